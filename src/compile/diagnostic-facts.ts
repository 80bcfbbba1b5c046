import { ACTION_ACCEPT, ACTION_DENY } from "../ir/policy-table-ir.ts";
import type { Cluster, ClusterNetworkPolicy } from "../model/types.ts";
import type { CollectedDirection, CollectedRule } from "./collect-rules.ts";
import type { NamedVectors } from "./named-ports.ts";
import type { PeerClasses } from "./peer-classes.ts";

// What the diagnostics passes share: the facts compile established, and how cluster policies' rules are named.

/** What one direction's compile already established, reused by the diagnostics instead of re-evaluating selectors. */
export interface DirectionFacts {
  readonly collected: CollectedDirection;
  readonly peers: Pick<PeerClasses, "globalPeerHit" | "localPeerHit">;
  readonly named: Pick<NamedVectors, "declared" | "keyIndex">;
}

export const clusterObject = (p: ClusterNetworkPolicy): string => `${p.kind} ${p.name}`;
export const podName = (cluster: Cluster, i: number): string =>
  `${cluster.pods[i]!.namespace}/${cluster.pods[i]!.name}`;
/** The action as the policy's kind spells it (v1alpha1 kinds say `Allow` for `Accept`). */
export const actionName = (action: number, kind: ClusterNetworkPolicy["kind"]): string =>
  action === ACTION_ACCEPT
    ? kind === "ClusterNetworkPolicy"
      ? "Accept"
      : "Allow"
    : action === ACTION_DENY
      ? "Deny"
      : "Pass";
export const ruleLabel = (field: string, r: CollectedRule): string =>
  `spec.${field}[${r.index}]${r.name === undefined ? "" : ` ("${r.name}")`}`;
