// Kinds parseCluster names or skips in a particular way (it reads only those in its READ table).

/** Kinds that have no namespace: named `Kind name` in every message, never `Kind default/name`. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "ClusterNetworkPolicy",
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
  "CiliumClusterwideNetworkPolicy",
  "GlobalNetworkPolicy",
]);

/**
 * Policy kinds that can deny traffic but are not evaluated (yet): skipping one may turn its
 * denials into "allow", so it is a warning, not an info line. A `NetworkPolicy` of another
 * apiVersion counts too.
 */
export const UNEVALUATED_POLICY_KINDS: ReadonlySet<string> = new Set([
  "NetworkPolicy",
  "ClusterNetworkPolicy",
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
  "CiliumNetworkPolicy",
  "CiliumClusterwideNetworkPolicy",
  "GlobalNetworkPolicy",
]);
