// Incremental updates: any random sequence of changes applied to a compile state gives, after each
// step, a table byte-identical (serializeTable) to compiling the changed cluster from scratch, with
// the same diagnostics and the same answer to every endpoint pair on every port class — whether the
// step was spliced or compiled — and the old state unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { serializeTable } from "../../src/engine/serialize-table.ts";
import { applyChange, type ClusterChange, compileState } from "../../src/incremental/compile-state.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Cluster, Pod } from "../../src/model/types.ts";
import { clusterArbOf } from "../arbitraries.ts";

const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 200);
const PROFILES = ["conformance", "ipblock-external", "netpol-analyzer"] as const;
const clusters = clusterArbOf({
  maxPods: 6,
  maxPolicies: 3,
  maxRules: 3,
  tiers: { maxClusterPolicies: 2, maxClusterRules: 3 },
});

/** The cluster with every pod owned by a Deployment named after its `app` label. */
const withOwners = (c: Cluster): Cluster =>
  makeCluster({
    ...c,
    pods: c.pods.map((p) =>
      p.workload === undefined
        ? { ...p, owner: { kind: "Deployment", name: `d-${p.labels.app ?? "none"}` } }
        : p,
    ),
  });

/** A fresh address beside `ip` (the same /24 or /120, a host no pod uses), or `ip` itself when none is free. */
function freshBeside(ip: string, used: Set<string>, k: number): string {
  const v6 = ip.includes(":");
  for (let h = 200 + k; h < 255; h++) {
    const candidate = v6 ? ip.replace(/[0-9a-f]+$/, h.toString(16)) : ip.replace(/\d+$/, String(h));
    if (!used.has(candidate)) return candidate;
  }
  return ip;
}

/** A change drawn from the cluster: mostly clones (the splice path), and every other kind. */
function changeOf(cluster: Cluster, pick: number, k: number): ClusterChange {
  const pods = cluster.pods.filter((p) => p.workload === undefined);
  const pod = pods[pick % Math.max(1, pods.length)];
  const used = new Set(cluster.pods.flatMap((p) => p.podIPs));
  const ns = cluster.namespaces[pick % Math.max(1, cluster.namespaces.length)]?.name ?? "x";
  const relabel = (labels: Record<string, string>): ClusterChange =>
    cluster.namespaces.length === 0
      ? {
          type: "pod-put",
          pod: { namespace: "x", name: `n${k}`, labels, ports: [], hostNetwork: false, podIPs: [] },
        }
      : { type: "namespace-labels", name: ns, labels };
  switch (pick % 9) {
    case 0:
    case 1:
    case 2:
      if (pod !== undefined) {
        // A clone; or one whose labels differ only where no selector looks (a key no selector
        // names, or `role`, which some name) and with a port more that no rule reads (unnamed, or
        // of a name no rule uses).
        const variant = (pick >> 4) % 4;
        // Variant 3: labels mixed key by key from the pod and another of its namespace (a new
        // label set whose ids exist role by role).
        const mate = pods.find((p) => p.namespace === pod.namespace && p !== pod);
        const mixed: Record<string, string> = { ...pod.labels };
        if (mate !== undefined)
          for (const [key, value] of Object.entries(mate.labels))
            if ((pick >> key.length) % 2 === 0) mixed[key] = value;
        const clone: Pod = {
          ...pod,
          // Named to sort after the pod (its twin is before it), or before every pod (after it).
          name: (pick >> 6) % 2 === 0 ? `${pod.name}-c${k}` : `0-c${k}-${pod.name}`,
          podIPs: pod.podIPs.map((ip) => freshBeside(ip, used, k)),
          ...(variant === 0
            ? {}
            : variant === 3
              ? { labels: mixed }
              : {
                  labels: {
                    ...pod.labels,
                    ...(variant === 1 ? { "pod-template-hash": `h${k}` } : { role: "r" }),
                  },
                  ports: [
                    ...pod.ports,
                    {
                      containerPort: 9000 + k,
                      protocol: "TCP" as const,
                      ...(variant === 2 ? { name: "spare" } : {}),
                    },
                  ],
                }),
        };
        return { type: "pod-put", pod: clone };
      }
      return relabel({ team: "a" });
    case 3: {
      // A clone when there is one (it has a twin before it: the splice path), else any pod.
      const clone = pods.find((p) => p.name.includes("-c")) ?? pod;
      return clone === undefined
        ? relabel({})
        : { type: "pod-remove", namespace: clone.namespace, name: clone.name };
    }
    case 4: {
      // A clone relabelled like another pod of its namespace (an identity that exists), or anew;
      // or a pod given a mix of two pods' labels there, key by key (ids to take role by role).
      const clone = pods.find((p) => p.name.includes("-c"));
      const like = clone && pods.find((p) => p.namespace === clone.namespace && p !== clone);
      if (clone !== undefined && like !== undefined && k % 2 === 0)
        return { type: "pod-labels", namespace: clone.namespace, name: clone.name, labels: like.labels };
      const mates = pod === undefined ? [] : pods.filter((p) => p.namespace === pod.namespace && p !== pod);
      if (pod !== undefined && mates.length >= 2 && k % 4 === 1) {
        const [a, b] = [mates[pick % mates.length]!, mates[(pick >> 5) % mates.length]!];
        const labels: Record<string, string> = {};
        for (const key of new Set([...Object.keys(a.labels), ...Object.keys(b.labels)])) {
          const from = (pick >> key.length) % 2 === 0 ? a : b;
          const value = from.labels[key] ?? (from === a ? b : a).labels[key];
          if (value !== undefined) labels[key] = value;
        }
        return { type: "pod-labels", namespace: pod.namespace, name: pod.name, labels };
      }
      return pod === undefined
        ? relabel({})
        : { type: "pod-labels", namespace: pod.namespace, name: pod.name, labels: { app: `a${k % 3}` } };
    }
    case 5: {
      // A namespace relabelled: like another namespace, or anew (namespace-relabel.test.ts has
      // namespaces whose pods have twins elsewhere).
      const namespaces = cluster.namespaces;
      const ns = namespaces[pick % Math.max(1, namespaces.length)];
      const like = namespaces[(pick >> 3) % Math.max(1, namespaces.length)];
      return {
        type: "namespace-labels",
        name: ns?.name ?? "x",
        labels: k % 3 !== 2 && like !== undefined ? like.labels : { env: k % 2 === 0 ? "prod" : "dev" },
      };
    }
    case 7: {
      // A resync: a put of what is there, as a copy (no change: the state as it was).
      const policy = cluster.networkPolicies[pick % Math.max(1, cluster.networkPolicies.length)];
      if (policy !== undefined && (k % 2 === 0 || pod === undefined))
        return { type: "policy-put", policy: structuredClone(policy) };
      return pod === undefined ? relabel({}) : { type: "pod-put", pod: structuredClone(pod) };
    }
    case 8: {
      // A pod put in place of one of its name: a new address, or another pod's labels.
      // A clone when there is one (its twin is before it: the splice path), else any pod.
      const target = pods.find((p) => p.name.includes("-c")) ?? pod;
      if (target === undefined) return relabel({ team: "c" });
      const like = pods.find((p) => p.namespace === target.namespace && p !== target);
      // Or a workload template of the pod's name (found by name and kind; never spliced).
      if (k % 3 === 2)
        return {
          type: "pod-put",
          pod: { ...target, workload: "Deployment", podIPs: [], labels: like?.labels ?? { app: "t" } },
        };
      const moved: Pod =
        k % 2 === 0 || like === undefined
          ? { ...target, podIPs: target.podIPs.map((ip) => freshBeside(ip, used, k)) }
          : { ...target, labels: like.labels };
      return { type: "pod-put", pod: moved };
    }
    default: {
      const policy = cluster.networkPolicies[pick % Math.max(1, cluster.networkPolicies.length)];
      return policy === undefined
        ? relabel({ team: "b" })
        : { type: "policy-remove", namespace: policy.namespace, name: policy.name };
    }
  }
}

describe("incremental updates", () => {
  it("equal a full compile after every change, spliced or not, and leave the old state as it was", () => {
    const applied = { compile: 0, splice: 0, same: 0, none: 0 };
    let removedBySplice = 0;
    let relabelledBySplice = 0;
    let replacedBySplice = 0;
    let resyncs = 0;
    let alikeBySplice = 0; // pods spliced in whose labels no pod of their namespace has
    let firstBySplice = 0; // pods spliced in or out that sort before every other pod
    let coveredBySplice = 0; // splices where a diagnostic counts pods by address (rewritten)
    fc.assert(
      fc.property(
        clusters,
        fc.constantFrom(...PROFILES),
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (generated, profile, picks, owned) => {
          // Pods owned by Deployments (one per app label): owner names are aliases of their
          // first pod, which a pod spliced in before its twin becomes.
          const cluster = owned ? withOwners(generated) : generated;
          let state = compileState(cluster, { profile });
          picks.forEach((pick, k) => {
            const before = state;
            const beforeText = serializeTable(before.table);
            const change = changeOf(state.cluster, pick, k);
            state = applyChange(state, change);
            applied[state.applied]++;
            if (change.type === "pod-remove" && state.applied === "splice") removedBySplice++;
            const name =
              change.type === "pod-put" ? change.pod.name : change.type === "pod-remove" ? change.name : "";
            if (name.startsWith("0-") && state.applied === "splice") firstBySplice++;
            if (
              state.applied === "splice" &&
              before.table.diagnostics.some((d) => d.code === "networks-cover-pod-ips")
            )
              coveredBySplice++;
            if (change.type === "pod-labels" && state.applied !== "compile") relabelledBySplice++;
            if (change.type === "pod-put") {
              const { pod } = change;
              const held = before.cluster.pods.find(
                (p) => p.namespace === pod.namespace && p.name === pod.name,
              );
              if (held !== undefined && held !== pod && state.applied === "splice") replacedBySplice++;
              const labelsNew = !before.cluster.pods.some(
                (p) =>
                  p.namespace === pod.namespace && JSON.stringify(p.labels) === JSON.stringify(pod.labels),
              );
              if (labelsNew && state.applied === "splice") alikeBySplice++;
            }
            if ((change.type === "pod-put" || change.type === "policy-put") && state.applied === "none") {
              resyncs++;
              expect(state.table).toBe(before.table);
            }
            const fresh = compile(state.cluster, { profile });
            expect(serializeTable(state.table), `step ${k} (${state.applied})`).toBe(serializeTable(fresh));
            expect(state.table.diagnostics, `step ${k} diagnostics`).toEqual(fresh.diagnostics);
            // The query's view too (a splice inserts a record instead of packing again).
            const E = fresh.endpointCount;
            expect(state.table.endpointCount).toBe(E);
            for (let a = 0; a < E; a++)
              for (let b = 0; b < E; b++)
                for (let c = 0; c < fresh.ir.portClassCount; c++)
                  if (state.table.decideIndex(a, b, c) !== fresh.decideIndex(a, b, c))
                    expect.fail(`step ${k} (${state.applied}): decideIndex(${a}, ${b}, ${c}) differs`);
            expect(serializeTable(before.table)).toBe(beforeText);
          });
        },
      ),
      { numRuns: RUNS },
    );
    console.log(
      `incremental: ${JSON.stringify(applied)} steps, ${removedBySplice} removals, ${relabelledBySplice} relabels and ${replacedBySplice} replaced pods and ${alikeBySplice} with labels new to their namespace spliced, ${firstBySplice} before their twin, ${coveredBySplice} beside pods counted by address, ${resyncs} resyncs kept`,
    );
    expect(replacedBySplice).toBeGreaterThan(0);
    expect(alikeBySplice).toBeGreaterThan(0);
    expect(firstBySplice).toBeGreaterThan(0);
    expect(coveredBySplice).toBeGreaterThan(0);
    expect(resyncs).toBeGreaterThan(RUNS / 20);
    expect(relabelledBySplice).toBeGreaterThan(0);
    expect(applied.same).toBeGreaterThan(0);
    expect(removedBySplice).toBeGreaterThan(RUNS / 40);
    expect(applied.splice).toBeGreaterThan(RUNS / 4);
    expect(applied.compile).toBeGreaterThan(0);
  });
});
