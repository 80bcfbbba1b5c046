// The values of incremental updates (compile-state.ts): a watch event as a change to the cluster,
// and the state a controller holds — the cluster, its table, and what splices look up.
import type { CompileOptions } from "../compile.ts";
import type { PolicyTable } from "../engine/policy-table.ts";
import type { Cluster, ClusterNetworkPolicy, Labels, NetworkPolicy, Node, Pod } from "../model/types.ts";
import type { AddressCounts } from "./address-counts.ts";
import type { SelectorIndex } from "./selectors-seen.ts";

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
