// A pod relabelled into a label set no pod of its namespace has: it takes its groups, local
// classes and global classes from pods that read alike role by role (src/incremental/relabel-in-place.ts),
// and the table equals a full compile byte for byte; where no pod reads alike in some role, where a
// group or class would be left unused, or where a rule-less cluster policy's subject reads the pod,
// the state compiles.
import { describe, expect, it } from "vitest";
import { applyChange, type CompileState, compileState } from "../../src/incremental/compile-state.ts";
import { parseCluster } from "../../src/io/parse-cluster.ts";
import type { Labels } from "../../src/model/types.ts";
import { expectLikeCompile } from "./like-compile.ts";

const namespace = (name: string, team: string): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {team: ${team}}}\n`;
const pod = (ns: string, name: string, labels: string, ip: string, ports = ""): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {namespace: ${ns}, name: ${name}, labels: {${labels}}}\n` +
  `spec: {containers: [{name: c${ports === "" ? "" : `, ports: [${ports}]`}}]}\nstatus: {podIPs: [{ip: ${ip}}]}\n`;
const policy = (ns: string, name: string, spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {namespace: ${ns}, name: ${name}}\nspec:\n${spec}`;

// Namespace a: `app` decides the groups (which policy isolates), `role` the local classes (peers of
// a), `tier` the global classes (a peer in b reads it). Pods a/p0…a/p3 each hold one combination.
const DOCS = [
  namespace("a", "ta"),
  namespace("b", "tb"),
  pod("a", "p0", "app: web, role: r1, tier: t1", "10.0.0.1"),
  pod("a", "p1", "app: api, role: r2, tier: t1", "10.0.0.2"),
  pod("a", "p2", "app: web, role: r2, tier: t2", "10.0.0.3"),
  pod("a", "p3", "app: api, role: r1, tier: t2", "10.0.0.4"),
  pod("b", "q0", "app: db", "10.0.1.1"),
  policy(
    "a",
    "web",
    "  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {role: r1}}}]}]\n",
  ),
  policy(
    "a",
    "api",
    "  podSelector: {matchLabels: {app: api}}\n  ingress: [{from: [{podSelector: {matchLabels: {role: r2}}}], ports: [{port: 8080}]}]\n",
  ),
  policy(
    "b",
    "db",
    "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {tier: t1}}}]}]\n",
  ),
];

function stateOf(...docs: string[]): CompileState {
  const { cluster } = parseCluster([{ name: "c.yaml", text: docs.join("---\n") }]);
  return compileState(cluster);
}

/** Relabel, then check the table, the diagnostics and every answer against a full compile. */
const relabel = (state: CompileState, ns: string, name: string, labels: Labels): CompileState =>
  expectLikeCompile(applyChange(state, { type: "pod-labels", namespace: ns, name, labels }));

describe("a pod relabelled in place", () => {
  it("takes its group, local class and global class from three different pods", () => {
    const state = stateOf(...DOCS, pod("a", "p4", "app: web, role: r1, tier: t1", "10.0.0.5"));
    // p4 → (api, r2, t2): no pod has all three, p1 has api+r2, p2 r2+t2, p3 api+t2.
    const next = relabel(state, "a", "p4", { app: "api", role: "r2", tier: "t2" });
    expect(next.applied).toBe("splice");
    // The answers moved: p4 now reaches b (tier t2 is not a db peer) no more, and only r2 pods reach it on 8080.
    expect(next.table.allows({ from: "a/p4", to: "b/q0", port: 5432 })).toBe(false);
    expect(next.table.allows({ from: "a/p1", to: "a/p4", port: 8080 })).toBe(true);
    expect(next.table.allows({ from: "a/p0", to: "a/p4", port: 8080 })).toBe(false);
    // And back (its old labels are p0's): a splice too.
    expect(relabel(next, "a", "p4", { app: "web", role: "r1", tier: "t1" }).applied).toBe("splice");
  });

  it("compiles when no pod of the namespace reads alike in some role", () => {
    const state = stateOf(...DOCS);
    // role r3: no local peer reads it as any pod of a is read (none matches r1 or r2).
    expect(relabel(state, "a", "p0", { app: "web", role: "r3", tier: "t1" }).applied).toBe("compile");
    // app: db is selected by no policy of a, and every pod of a is: no pod holds that group.
    expect(relabel(state, "a", "p0", { app: "db", role: "r1", tier: "t1" }).applied).toBe("compile");
  });

  it("compiles when the pod was the last of its group or class", () => {
    // p3 (api, r1, t2) → (api, r2, t1): its local class r1 stays p0's, its global class t2 p2's — a
    // splice. Without p0, the local class r1 would be nobody's: a compile.
    const held = stateOf(...DOCS);
    expect(relabel(held, "a", "p3", { app: "api", role: "r2", tier: "t1" }).applied).toBe("splice");
    const last = stateOf(...DOCS.filter((d) => !d.includes("name: p0")));
    expect(relabel(last, "a", "p3", { app: "api", role: "r2", tier: "t1" }).applied).toBe("compile");
  });

  it("takes groups and classes only from pods with the same named ports the rules use", () => {
    // api pods are reached on the port they name `http`: p1 declares it, p4 does not, so p4 as an
    // api pod is in a group of its own (another named-port vector) — not p1's.
    const docs = [
      namespace("a", "ta"),
      pod("a", "p0", "app: web", "10.0.0.1"),
      pod("a", "p1", "app: api", "10.0.0.2", "{name: http, containerPort: 80}"),
      pod("a", "p4", "app: web", "10.0.0.5"),
      policy(
        "a",
        "api",
        "  podSelector: {matchLabels: {app: api}}\n  ingress: [{from: [{podSelector: {}}], ports: [{port: http}]}]\n",
      ),
    ];
    expect(relabel(stateOf(...docs), "a", "p4", { app: "api" }).applied).toBe("compile");
    // With the port declared, p1's group is p4's to take.
    const declared = docs.map((d) =>
      d.includes("name: p4") ? pod("a", "p4", "app: web", "10.0.0.5", "{name: http, containerPort: 80}") : d,
    );
    expect(relabel(stateOf(...declared), "a", "p4", { app: "api" }).applied).toBe("splice");
  });

  it("compiles when a cluster policy without rules selects the pod by its labels", () => {
    const ruleless = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: canary}
spec:
  tier: Admin
  priority: 5
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {canary: "yes"}}}}
`;
    const state = stateOf(
      ...DOCS,
      ruleless,
      pod("a", "p4", "app: web, role: r1, tier: t1, canary: 'yes'", "10.0.0.5"),
    );
    // p4 was the canary policy's only subject: it now selects nothing (`selects-no-subject`).
    const next = relabel(state, "a", "p4", { app: "web", role: "r1", tier: "t1" });
    expect(next.applied).toBe("compile");
    expect(next.table.diagnostics.some((d) => d.code === "selects-no-subject")).toBe(true);
  });

  it("adds a pod whose label set no pod has the same way, role by role", () => {
    const state = stateOf(...DOCS);
    const put = (st: CompileState, name: string, labels: string, ip: string): CompileState => {
      const { cluster } = parseCluster([{ name: "p.yaml", text: pod("a", name, labels, ip) }]);
      return expectLikeCompile(applyChange(st, { type: "pod-put", pod: cluster.pods[0]! }));
    };
    // (api, r2, t2): group of p1/p3 (api), local class of p1/p2 (r2), global class of p2/p3 (t2).
    const added = put(state, "p5", "app: api, role: r2, tier: t2", "10.0.0.6");
    expect(added.applied).toBe("splice");
    expect(added.table.allows({ from: "a/p2", to: "a/p5", port: 8080 })).toBe(true);
    expect(added.table.allows({ from: "a/p0", to: "a/p5", port: 8080 })).toBe(false);
    // A role no pod reads alike (role r3): a compile.
    expect(put(state, "p5", "app: api, role: r3, tier: t2", "10.0.0.6").applied).toBe("compile");
  });
});
