// A namespace relabelled like another namespace: its pods take the classes their twins there hold
// (src/incremental/namespace-relabel.ts), and the table equals a full compile byte for byte; where
// a cluster policy's subject, a missing twin or the numbering forbids it, the state compiles.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { refoldNamespace } from "../../src/engine/pack-refold.ts";
import { packTable } from "../../src/engine/pack-table.ts";
import { PolicyTable } from "../../src/engine/policy-table.ts";
import { serializeTable } from "../../src/engine/serialize-table.ts";
import { applyChange, type CompileState, compileState } from "../../src/incremental/compile-state.ts";
import { parseCluster } from "../../src/io/parse-cluster.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Labels } from "../../src/model/types.ts";
import { clusterArbOf } from "../arbitraries.ts";
import { expectLikeCompile, expectSameAnswers } from "./like-compile.ts";

const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 200);

const namespace = (name: string, team: string): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {team: ${team}}}\n`;
const pod = (ns: string, name: string, app: string, ip: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {namespace: ${ns}, name: ${name}, labels: {app: ${app}}}\nspec: {containers: [{name: c}]}\nstatus: {podIPs: [{ip: ${ip}}]}\n`;
/** In namespace `db`: ingress to every pod from `app: web` pods of `team: ty` namespaces and `app: api` pods of `team: tz` ones. */
const FROM_PEERS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {namespace: db, name: from-peers}
spec:
  podSelector: {}
  ingress:
  - from:
    - {namespaceSelector: {matchLabels: {team: ty}}, podSelector: {matchLabels: {app: web}}}
    - {namespaceSelector: {matchLabels: {team: tz}}, podSelector: {matchLabels: {app: api}}}
`;
// In c: ingress only from `team: tx` namespaces' pods — c's own pods too, once c is team tx.
const FROM_TX = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {namespace: c, name: from-tx}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: tx}}}]}]
`;
const ADMIN_TEAM_X = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: team-x}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: tx}}}
  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {team: tz}}}]}]
`;

function stateOf(...docs: string[]): CompileState {
  const { cluster } = parseCluster([{ name: "c.yaml", text: docs.join("---\n") }]);
  return compileState(cluster);
}
function relabel(state: CompileState, name: string, labels: Labels): CompileState {
  // The query's view too (the namespace folded anew).
  return expectLikeCompile(applyChange(state, { type: "namespace-labels", name, labels }));
}

/** An address beside `ip` for the `i`th copied pod (the same /24 or /120). */
const beside = (ip: string, i: number): string =>
  ip.includes(":") ? ip.replace(/[0-9a-f]*$/, (0xc8 + i).toString(16)) : ip.replace(/\d+$/, String(200 + i));
// Ingress classes in pod order: a/api, a/web, b/api 0 (no peer); b/web 1 (team ty, web);
// bz/api 2 (team tz, api); c/api 0; c/web 1; db/db 0.
const base = [
  namespace("a", "tx"),
  namespace("b", "ty"),
  namespace("bz", "tz"),
  namespace("c", "ty"),
  namespace("db", "td"),
  pod("a", "web", "web", "10.0.0.1"),
  pod("a", "api", "api", "10.0.0.2"),
  pod("b", "web", "web", "10.0.1.1"),
  pod("b", "api", "api", "10.0.1.2"),
  pod("bz", "api", "api", "10.0.4.2"),
  pod("c", "web", "web", "10.0.2.1"),
  pod("c", "api", "api", "10.0.2.2"),
  pod("db", "db", "db", "10.0.3.1"),
  FROM_PEERS,
];

describe("namespace relabel", () => {
  it("moves the namespace's pods to the classes their twins hold: a splice equal to a compile", () => {
    const state = stateOf(...base);
    const allowed = (t: CompileState) => t.table.allows({ from: "c/web", to: "db/db", port: 5432 });
    expect(allowed(state)).toBe(true);
    const moved = relabel(state, "c", { team: "tx" }); // twins in a
    expect(moved.applied).toBe("splice");
    expect(allowed(moved)).toBe(false);
    expect(moved.table.allows({ from: "b/web", to: "db/db", port: 5432 })).toBe(true);
    const back = relabel(moved, "c", { team: "ty" }); // twins in b
    expect(back.applied).toBe("splice");
    expect(allowed(back)).toBe(true);
    expect(serializeTable(back.table)).toBe(serializeTable(state.table));
    // Labels no namespace has, read as a's are (no selector asks for team q): twins in a.
    expect(relabel(state, "c", { team: "q", other: "1" }).applied).toBe("splice");
  });
  it("folds the namespace's same-namespace pairs anew when its pods are isolated", () => {
    const state = stateOf(...base, FROM_TX);
    const within = (t: CompileState) => t.table.allows({ from: "c/web", to: "c/api", port: 80 });
    expect(within(state)).toBe(false);
    const moved = relabel(state, "c", { team: "tx" });
    expect(moved.applied).toBe("splice");
    expect(within(moved)).toBe(true);
    const back = relabel(moved, "c", { team: "ty" });
    expect(within(back)).toBe(false);
  });
  it("folds anew as packing the new IR would, folded or split (any fold budget)", () => {
    const before = stateOf(...base, FROM_TX);
    const after = relabel(before, "c", { team: "tx" });
    const ns = after.table.ir.namespaces.indexOf("c");
    for (const foldBudget of [() => 0, () => Number.MAX_SAFE_INTEGER]) {
      const refolded = refoldNamespace(packTable(before.table.ir, { foldBudget }), after.table.ir, ns);
      expect(refolded?.split).toBe(foldBudget() === 0 ? 2 : 0);
      const table = new PolicyTable(after.table.ir, [], {}, undefined, refolded);
      expectSameAnswers(table, new PolicyTable(after.table.ir, [], { foldBudget }), "refolded");
    }
  });
  it("compiles where some pod has no twin in a namespace labelled alike", () => {
    // As team tz, a/api's twin is bz/api; a/web has none (no `app: web` pod in a team tz namespace).
    expect(relabel(stateOf(...base), "a", { team: "tz" }).applied).toBe("compile");
  });
  it("compiles where the namespace held the first member of a class (the numbering would move)", () => {
    // b/web is the first of class 1: moved to class 0, bz/api's class 2 would come first.
    expect(relabel(stateOf(...base), "b", { team: "tx" }).applied).toBe("compile");
  });
  it("compiles where a cluster policy's subject reads the new labels otherwise", () => {
    expect(relabel(stateOf(...base, ADMIN_TEAM_X), "c", { team: "tx" }).applied).toBe("compile");
  });
  it("equals a full compile for a copied namespace relabelled away and back (random clusters)", () => {
    const clusters = clusterArbOf({
      maxPods: 6,
      maxPolicies: 3,
      maxRules: 3,
      tiers: { maxClusterPolicies: 2, maxClusterRules: 3 },
    });
    const applied = { compile: 0, splice: 0, same: 0, none: 0 };
    fc.assert(
      fc.property(
        clusters,
        fc.constantFrom("conformance", "ipblock-external", "netpol-analyzer"),
        fc.nat(1000),
        (generated, profile, pick) => {
          const namespaces = generated.namespaces.filter((n) =>
            generated.pods.some((p) => p.namespace === n.name),
          );
          if (namespaces.length === 0) return;
          // A copy of one namespace (labels and pods, new addresses), sorting after it.
          const m = namespaces[pick % namespaces.length]!;
          const copy = `${m.name}-copy`;
          const pods = generated.pods
            .filter((p) => p.namespace === m.name)
            .map((p, i) => ({ ...p, namespace: copy, podIPs: p.podIPs.map((ip) => beside(ip, i)) }));
          // Its policies too: the copy's pods are isolated, and its same-namespace pairs folded.
          const policies = generated.networkPolicies
            .filter((p) => p.namespace === m.name)
            .map((p) => ({ ...p, namespace: copy }));
          const cluster = makeCluster({
            ...generated,
            namespaces: [...generated.namespaces, { name: copy, labels: m.labels }],
            pods: [...generated.pods, ...pods],
            networkPolicies: [...generated.networkPolicies, ...policies],
          });
          const other = generated.namespaces[(pick >> 2) % generated.namespaces.length]!;
          let state = compileState(cluster, { profile });
          for (const labels of [other.labels, { team: "blue" }, m.labels]) {
            state = relabel(state, copy, labels);
            applied[state.applied]++;
          }
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`namespace relabels: ${JSON.stringify(applied)}`);
    expect(applied.splice).toBeGreaterThan(RUNS / 20);
  });
});
