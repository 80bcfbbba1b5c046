// Incremental updates (issue 14, docs/performance.md): a compiled table and the cluster it came
// from, held by the caller as a value; a change gives a new state, the old one stays valid. A
// change the state can apply in place of a compile (a pod put, removed or relabelled beside a twin;
// a namespace relabelled like another, docs/decisions.md #73, #74) is spliced into the IR; every
// other change compiles the changed cluster. Either
// way the table is the one `compile` gives for the new cluster, byte for byte
// (test/incremental/equivalence.test.ts).
import { type CompileOptions, compile } from "../compile.ts";
import { refoldNamespace } from "../engine/pack-refold.ts";
import { insertRecord, removeRecord } from "../engine/pack-splice.ts";
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
import type {
  Cluster,
  ClusterNetworkPolicy,
  Diagnostic,
  Labels,
  NetworkPolicy,
  Node,
  Pod,
} from "../model/types.ts";
import { type AddressCounts, addressCountsOf, countsAfter, sameAddresses } from "./address-counts.ts";
import { coveredAfter } from "./covered-pods.ts";
import { findTwin } from "./find-twin.ts";
import { reclassNamespace } from "./namespace-relabel.ts";
import { numberedInOrder } from "./numbering.ts";
import { podIndex } from "./pod-order.ts";
import { relabelInPlace } from "./relabel-in-place.ts";
import { sameCluster } from "./same-cluster.ts";
import { alike, type SelectorIndex, selectorIndex } from "./selectors-seen.ts";
import { spliceOut, spliceTwin } from "./splice-pod.ts";

/** One event of a controller's watch, as a change to the cluster. */
export type ClusterChange =
  | { readonly type: "pod-put"; readonly pod: Pod }
  | { readonly type: "pod-remove"; readonly namespace: string; readonly name: string }
  | {
      readonly type: "pod-labels";
      readonly namespace: string;
      readonly name: string;
      readonly labels: Labels;
    }
  | { readonly type: "namespace-labels"; readonly name: string; readonly labels: Labels }
  | { readonly type: "policy-put"; readonly policy: NetworkPolicy }
  | { readonly type: "policy-remove"; readonly namespace: string; readonly name: string }
  | { readonly type: "cluster-policy-put"; readonly policy: ClusterNetworkPolicy }
  | {
      readonly type: "cluster-policy-remove";
      readonly kind: ClusterNetworkPolicy["kind"];
      readonly name: string;
    }
  | { readonly type: "node-put"; readonly node: Node }
  | { readonly type: "node-remove"; readonly name: string };

/** A compiled table with the cluster it answers for. */
export interface CompileState {
  readonly cluster: Cluster;
  readonly table: PolicyTable;
  readonly options: CompileOptions;
  /**
   * How the last change was applied: `compile` (the whole cluster), `splice` (one endpoint put in
   * or taken out), `same` (a relabel no selector sees: the table unchanged), `none` (no change).
   */
  readonly applied: "compile" | "splice" | "same" | "none";
  /**
   * The cluster's selectors by the label keys they name (selectors-seen.ts), once a change needed
   * them; kept while the policies stay the same lists. A cache: it never changes an answer.
   */
  readonly selectors?: SelectorIndex;
  /** How many pods hold each address (address-counts.ts), once a splice needed it; kept while it counts these pods. */
  readonly addresses?: AddressCounts;
}

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

/**
 * Whether a twin after the pod (numbering.ts) could change a diagnostic: `same-priority-overlap`
 * names the first pod two tied cluster policies share, which a pod put before its twin may become,
 * or a pod taken out before its twin may have been.
 */
const namesFirstPod = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.code === "same-priority-overlap");

/** The pod (not a workload template) of that name. */
const podOf = (cluster: Cluster, namespace: string, name: string): Pod | undefined =>
  cluster.pods[podIndex(cluster.pods, namespace, name)];

/** Whether two versions of a pod differ in their labels alone (written alike otherwise). */
const labelsOnly = (a: Pod, b: Pod): boolean =>
  JSON.stringify({ ...a, labels: {} }) === JSON.stringify({ ...b, labels: {} });

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
 * What one `applyChange` builds on first use and hands on: the selector index (from `prior` when it
 * still holds) and the address counts of the pods the splice at hand starts from.
 */
interface Memo {
  readonly prior: SelectorIndex | undefined;
  index: SelectorIndex | undefined;
  counts: AddressCounts | undefined;
}
const indexOf = (memo: Memo, cluster: Cluster): SelectorIndex =>
  (memo.index = selectorIndex(cluster, memo.index ?? memo.prior));

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
      return state.table.withView(next, state.table.diagnostics, (packed) =>
        refoldNamespace(packed, next, next.namespaces.indexOf(change.name)),
      );
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
    if (next !== undefined)
      return state.table.withView(next, state.table.diagnostics, (packed) =>
        refoldNamespace(packed, next, next.namespaces.indexOf(namespace)),
      );
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

/**
 * One endpoint spliced in (`sign` 1: `pod` at index `at` of `cluster.pods`) or out (−1: `pod` at
 * index `at` of the state's pods), when it has a twin; else undefined (compile).
 */
function spliceEndpoint(
  state: CompileState,
  cluster: Cluster,
  memo: Memo,
  pod: Pod,
  at: number,
  sign: 1 | -1,
): PolicyTable | undefined {
  const { ir, diagnostics } = state.table;
  const adding = sign > 0;
  const counts = addressCountsOf(state.cluster.pods, memo.counts);
  memo.counts = counts;
  const selectors = (): SelectorIndex => indexOf(memo, cluster);
  const twin = findTwin(ir, state.cluster.pods, pod, at, adding ? 0 : 1, { selectors, counts });
  if (twin < 0) return undefined;
  // A twin after the pod: the pod may be (or have been) the first of a group or class
  // (numbering.ts), or the first pod a diagnostic names.
  const afterIt = adding ? twin >= at : twin > at;
  if (afterIt && namesFirstPod(diagnostics)) return undefined;
  const next = adding ? spliceTwin(ir, cluster, pod, at, twin) : spliceOut(ir, cluster, at);
  if (afterIt && !numberedInOrder(next)) return undefined;
  const rewritten = coveredAfter(diagnostics, pod, sign);
  if (rewritten === undefined) return undefined;
  memo.counts = countsAfter(counts, cluster.pods, pod, sign);
  return adding
    ? state.table.withView(next, rewritten, (packed, n) => insertRecord(next, packed, n, at, twin))
    : state.table.withView(next, rewritten, (packed, n) => removeRecord(packed, n, at));
}
