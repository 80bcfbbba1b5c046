// Incremental updates (issue 14, docs/performance.md): a compiled table and the cluster it came
// from, held by the caller as a value; a change gives a new state, the old one stays valid. A
// change the state can apply in place of a compile (a pod put, removed or relabelled beside a twin,
// or taking its ids role by role from pods that read alike; a namespace relabelled like another;
// docs/decisions.md #73–#75) is spliced into the IR; every other change compiles the changed
// cluster. Either
// way the table is the one `compile` gives for the new cluster, byte for byte
// (test/incremental/equivalence.test.ts).
import { type CompileOptions, compile } from "../compile.ts";
import { refoldNamespace } from "../engine/pack-refold.ts";
import type { PolicyTable } from "../engine/policy-table.ts";
import {
  withNamespaceLabels,
  withoutPod,
  withoutPolicy,
  withPod,
  withPodLabels,
  withPolicy,
} from "../model/cluster.ts";
import { withClusterPolicy, withNode, withoutClusterPolicy, withoutNode } from "../model/cluster-scoped.ts";
import type { Cluster, Pod } from "../model/types.ts";
import { sameAddresses } from "./address-counts.ts";
import { reclassNamespace } from "./namespace-relabel.ts";
import { podIndex } from "./pod-order.ts";
import { relabelInPlace } from "./relabel-in-place.ts";
import { sameCluster } from "./same-cluster.ts";
import { alike } from "./selectors-seen.ts";
import { indexOf, type Memo, namesFirstPod, spliceEndpoint } from "./splice-endpoint.ts";
import type { ClusterChange, CompileState } from "./state-types.ts";

export type { ClusterChange, CompileState } from "./state-types.ts";

/**
 * The state of a freshly compiled cluster.
 *
 * @example
 * let state = compileState(cluster);
 * state = applyChange(state, { type: "pod-put", pod });
 * state.table.decide({ from: "shop/web-2", to: "shop/db", port: 5432 });
 */
export function compileState(cluster: Cluster, options: CompileOptions = {}): CompileState {
  return { cluster, table: compile(cluster, options), options, applied: "compile" };
}

/** The cluster after a change (the model's immutable updates). */
export function changedCluster(cluster: Cluster, change: ClusterChange): Cluster {
  switch (change.type) {
    case "pod-put":
      return withPod(cluster, change.pod);
    case "pod-remove":
      return withoutPod(cluster, change.namespace, change.name);
    case "pod-labels":
      return withPodLabels(cluster, change.namespace, change.name, change.labels);
    case "namespace-labels":
      return withNamespaceLabels(cluster, change.name, change.labels);
    case "policy-put":
      return withPolicy(cluster, change.policy);
    case "policy-remove":
      return withoutPolicy(cluster, change.namespace, change.name);
    case "cluster-policy-put":
      return withClusterPolicy(cluster, change.policy);
    case "cluster-policy-remove":
      return withoutClusterPolicy(cluster, change.kind, change.name);
    case "node-put":
      return withNode(cluster, change.node);
    case "node-remove":
      return withoutNode(cluster, change.name);
  }
}

/** The pod (not a workload template) of that name. */
const podOf = (cluster: Cluster, namespace: string, name: string): Pod | undefined =>
  cluster.pods[podIndex(cluster.pods, namespace, name)];

/** Whether two versions of a pod differ in their labels alone (written alike otherwise). */
const labelsOnly = (a: Pod, b: Pod): boolean =>
  JSON.stringify({ ...a, labels: {} }) === JSON.stringify({ ...b, labels: {} });

/** The table of `ir`, which moved pods of namespace `namespace` only: that namespace of the view folded anew. */
const refolded = (table: PolicyTable, ir: PolicyTable["ir"], namespace: string): PolicyTable =>
  table.withView(ir, table.diagnostics, (packed) =>
    refoldNamespace(packed, ir, ir.namespaces.indexOf(namespace)),
  );

/** The changes that may add, drop or move a pod address. */
const ADDRESS_CHANGES: ReadonlySet<ClusterChange["type"]> = new Set(["pod-put", "pod-remove"]);

/** Apply a change: a new state; `state` is left as it was. */
export function applyChange(state: CompileState, change: ClusterChange): CompileState {
  const cluster = changedCluster(state.cluster, change);
  // Nothing to do (a removal of nothing, a put of what is there): the state as it was.
  if (sameCluster(cluster, state.cluster)) return { ...state, applied: "none" };
  const memo: Memo = { prior: state.selectors, index: undefined, counts: state.addresses };
  const spliced = splice(state, cluster, change, memo);
  // The index, when built or kept, goes on while it answers for the new cluster's policies.
  const kept = memo.index ?? state.selectors;
  const selectors =
    kept !== undefined &&
    kept.networkPolicies === cluster.networkPolicies &&
    kept.clusterNetworkPolicies === cluster.clusterNetworkPolicies
      ? { selectors: kept }
      : {};
  // The address counts go on while they count the new cluster's pods — or the old ones, where the
  // change moved no address (a relabel, a policy or node event): then they count the new list too.
  const prior = memo.counts?.pods === state.cluster.pods ? memo.counts : state.addresses;
  const counts =
    memo.counts?.pods === cluster.pods
      ? memo.counts
      : prior?.pods === state.cluster.pods && !ADDRESS_CHANGES.has(change.type)
        ? sameAddresses(prior, cluster.pods)
        : undefined;
  const addresses = counts === undefined ? {} : { addresses: counts };
  if (spliced !== undefined)
    return {
      cluster,
      table: spliced,
      options: state.options,
      applied: spliced === state.table ? "same" : "splice",
      ...selectors,
      ...addresses,
    };
  return {
    cluster,
    table: compile(cluster, state.options),
    options: state.options,
    applied: "compile",
    ...selectors,
    ...addresses,
  };
}

/**
 * The new table by a splice, when the change allows one: a pod added or removed that has a twin
 * (find-twin.ts, splice-pod.ts), or relabelled or replaced (removed and added: both), in a
 * namespace that stays, with the diagnostics that count pods rewritten (covered-pods.ts); a pod or
 * namespace relabelled where no selector sees the difference (the same table); a namespace
 * relabelled whose pods have twins in a namespace labelled alike (namespace-relabel.ts); else
 * undefined (compile).
 */
function splice(
  state: CompileState,
  cluster: Cluster,
  change: ClusterChange,
  memo: Memo,
): PolicyTable | undefined {
  const before = state.cluster;
  if (change.type === "namespace-labels" || change.type === "pod-labels") {
    // A relabel no selector sees leaves the table as it is (selectors-seen.ts).
    const selectors = indexOf(memo, cluster);
    const same =
      change.type === "namespace-labels"
        ? alike(
            selectors.namespaces,
            before.namespaces.find((n) => n.name === change.name)!.labels,
            cluster.namespaces.find((n) => n.name === change.name)!.labels,
          )
        : alike(
            selectors.pods,
            podOf(before, change.namespace, change.name)?.labels ?? {},
            podOf(cluster, change.namespace, change.name)?.labels ?? {},
          );
    if (same) return state.table;
    if (change.type === "namespace-labels") {
      // Its pods move to classes pods of a namespace labelled alike hold (namespace-relabel.ts).
      const next = reclassNamespace(state.table.ir, before, cluster, change.name, selectors);
      if (next === undefined) return undefined;
      if (next === state.table.ir) return state.table; // no selectable pod there
      return refolded(state.table, next, change.name);
    }
  }
  if (cluster.namespaces.length !== before.namespaces.length) return undefined;
  // A workload template is found by name with its kind; the splice handles Pods only.
  if (change.type === "pod-put" && change.pod.workload !== undefined) return undefined;
  if (change.type === "pod-put" && cluster.pods.length === before.pods.length + 1) {
    const at = podIndex(cluster.pods, change.pod.namespace, change.pod.name);
    return at < 0 ? undefined : spliceEndpoint(state, cluster, memo, cluster.pods[at]!, at, 1);
  }
  if (change.type === "pod-remove" && cluster.pods.length === before.pods.length - 1) {
    const at = podIndex(before.pods, change.namespace, change.name);
    return at < 0 ? undefined : spliceEndpoint(state, cluster, memo, before.pods[at]!, at, -1);
  }
  const replaced =
    change.type === "pod-labels"
      ? podOf(before, change.namespace, change.name)
      : change.type === "pod-put" && cluster.pods.length === before.pods.length
        ? podOf(before, change.pod.namespace, change.pod.name)
        : undefined;
  if (replaced === undefined) return undefined;
  const moved = podOf(cluster, replaced.namespace, replaced.name);
  if (moved === undefined) return undefined;
  // A relabel (or a pod put back with new labels only): the pod takes its groups and classes role
  // by role from pods that read alike (relabel-in-place.ts).
  if (labelsOnly(replaced, moved) && !namesFirstPod(state.table.diagnostics)) {
    const { namespace, name } = moved;
    const next = relabelInPlace(state.table.ir, before, cluster, namespace, name, indexOf(memo, cluster));
    if (next === state.table.ir) return state.table;
    if (next !== undefined) return refolded(state.table, next, namespace);
  }
  // Else (a new address too, or no such pods): the pod removed and put back as it is now — two
  // splices, or a compile.
  const removed: ClusterChange = { type: "pod-remove", namespace: replaced.namespace, name: replaced.name };
  const without = changedCluster(before, removed);
  const middle = splice(state, without, removed, memo);
  if (middle === undefined) return undefined;
  return splice(
    { ...state, cluster: without, table: middle },
    cluster,
    { type: "pod-put", pod: moved },
    memo,
  );
}
