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
// Wired to the incremental API (src/incremental/compile-state.ts, docs/decisions.md #65):
// `initialState` is `compileState`, `applyEvent` is `applyChange` — a splice for pods that have a
// twin, the same table for relabels no selector sees, a full compile for everything else.
import type { CompileOptions } from "../src/compile.ts";
import type { PolicyTable } from "../src/engine/policy-table.ts";
import {
  applyChange,
  type ClusterChange,
  type CompileState,
  changedCluster as changed,
  compileState,
} from "../src/incremental/compile-state.ts";
import type { Cluster } from "../src/model/types.ts";

/** What computes the tables below (reported with every incremental result). */
export const IMPLEMENTATION = "src/incremental (compileState / applyChange)";

/** One event of a controller's watch, as a change to the cluster (src/incremental's `ClusterChange`). */
export type ClusterEvent = ClusterChange;

export type IncrementalState = CompileState;

export function initialState(cluster: Cluster, options: CompileOptions = {}): IncrementalState {
  return compileState(cluster, options);
}

/** The cluster after an event (the model's immutable updates). */
export function changedCluster(cluster: Cluster, event: ClusterEvent): Cluster {
  return changed(cluster, event);
}

export function applyEvent(
  state: IncrementalState,
  event: ClusterEvent,
): { state: IncrementalState; table: PolicyTable } {
  const next = applyChange(state, event);
  return { state: next, table: next.table };
}
