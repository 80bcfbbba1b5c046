// The bench's one door to incremental updates. The event-stream part of every scenario
// (scale-scenario.ts) calls only this module, so that when the incremental API
// (src/incremental/) is wired in, only this file changes.
//
// Contract:
//
//   initialState(cluster, options) → state
//   applyEvent(state, event) → { state, table }
//
// * `state` is a value: `applyEvent` never changes the state it is given (the old one stays
//   valid); `state.cluster` is the cluster after the event, `table` (= `state.table`) answers for it.
// * `table` must be byte-identical, by `serializeTable` (src/engine/serialize-table.ts), to
//   `compile(state.cluster, options)`: the bench checks it after every event, outside the timing,
//   and CI fails when one differs (bench/gates.ts).
// * events (`ClusterEvent`, the shape of src/incremental's `ClusterChange`): pod add (`pod-put` of a
//   new pod) / remove / relabel (`pod-labels`), namespace relabel (`namespace-labels`), policy add /
//   change (`policy-put` of a new / an existing name) / remove; and the cluster-scoped ones
//   (cluster policies, nodes) the bench does not stream yet.
// * `applied` says how the implementation got the table (`compile`: the whole cluster), so the
//   results say what was measured.
//
// Today: a full recompile of the changed cluster (the model's immutable updates, then `compile`),
// so every incremental ratio is ≈ 1 — the floor the incremental API must beat. To wire the API in:
// `initialState` → `compileState(cluster, options)`, `applyEvent` → `applyChange(state, event)`
// (src/incremental/compile-state.ts), `IMPLEMENTATION` → "src/incremental".
import { type CompileOptions, compile } from "../src/compile.ts";
import type { PolicyTable } from "../src/engine/policy-table.ts";
import {
  withNamespaceLabels,
  withoutPod,
  withoutPolicy,
  withPod,
  withPodLabels,
  withPolicy,
} from "../src/model/cluster.ts";
import {
  withClusterPolicy,
  withNode,
  withoutClusterPolicy,
  withoutNode,
} from "../src/model/cluster-scoped.ts";
import type { Cluster, ClusterNetworkPolicy, Labels, NetworkPolicy, Node, Pod } from "../src/model/types.ts";

/** What computes the tables below (reported with every incremental result). */
export const IMPLEMENTATION = "full recompile (bench/incremental.ts stand-in)";

/** One event of a controller's watch, as a change to the cluster. */
export type ClusterEvent =
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

export interface IncrementalState {
  readonly cluster: Cluster;
  readonly table: PolicyTable;
  readonly options: CompileOptions;
  /** How the last event was applied. */
  readonly applied: string;
}

export function initialState(cluster: Cluster, options: CompileOptions = {}): IncrementalState {
  return { cluster, table: compile(cluster, options), options, applied: "compile" };
}

/** The cluster after an event (the model's immutable updates). */
export function changedCluster(cluster: Cluster, event: ClusterEvent): Cluster {
  switch (event.type) {
    case "pod-put":
      return withPod(cluster, event.pod);
    case "pod-remove":
      return withoutPod(cluster, event.namespace, event.name);
    case "pod-labels":
      return withPodLabels(cluster, event.namespace, event.name, event.labels);
    case "namespace-labels":
      return withNamespaceLabels(cluster, event.name, event.labels);
    case "policy-put":
      return withPolicy(cluster, event.policy);
    case "policy-remove":
      return withoutPolicy(cluster, event.namespace, event.name);
    case "cluster-policy-put":
      return withClusterPolicy(cluster, event.policy);
    case "cluster-policy-remove":
      return withoutClusterPolicy(cluster, event.kind, event.name);
    case "node-put":
      return withNode(cluster, event.node);
    case "node-remove":
      return withoutNode(cluster, event.name);
  }
}

export function applyEvent(
  state: IncrementalState,
  event: ClusterEvent,
): { state: IncrementalState; table: PolicyTable } {
  const cluster = changedCluster(state.cluster, event);
  const table = compile(cluster, state.options);
  return { state: { cluster, table, options: state.options, applied: "compile" }, table };
}
