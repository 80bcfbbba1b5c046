// What io reads objects into before merging them (no zod here: merge-copies and the legacy
// translation are part of the public type graph, and a consumer's type check must not reach zod).
import type {
  ClusterNetworkPolicy,
  Namespace,
  NetworkPolicy,
  Node,
  Owner,
  Pod,
  WorkloadKind,
} from "../model/types.ts";

/** A Pod as read: the model's pod (`owner` its direct controller, until workloads.ts resolves the top one) and its phase. */
export type ReadPod = Pod & { readonly phase?: string };

/**
 * A workload as read: its kind, namespace and name, its controller (a ReplicaSet's Deployment, a
 * Job's CronJob) and its pod template as an address-less endpoint (`workloads.ts` decides whether
 * the template or the workload's pods are the endpoints).
 */
export interface ReadWorkload {
  readonly workload: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly controller?: Owner;
  readonly template: Pod;
}

/** What a kind is read into. */
export type ReadValue = Namespace | ReadPod | NetworkPolicy | Node | ClusterNetworkPolicy | ReadWorkload;
