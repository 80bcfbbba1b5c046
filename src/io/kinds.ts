// Kinds parseCluster names or skips in a particular way (it reads only those in read-kinds.ts).

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
 * Policy kinds that can deny traffic but are not evaluated: skipping one may turn its denials
 * into "allow", so it is a warning, not an info line.
 */
export const UNEVALUATED_POLICY_KINDS: ReadonlySet<string> = new Set([
  "CiliumNetworkPolicy", // cilium.io/v2
  "CiliumClusterwideNetworkPolicy",
  "GlobalNetworkPolicy", // Calico projectcalico.org/v3 (its NetworkPolicy: READ_POLICY_KINDS)
  "MultiNetworkPolicy", // k8s.cni.cncf.io (Multus secondary networks)
  "AuthorizationPolicy", // Istio security.istio.io: DENY rules at the sidecar
  "Tier", // Calico and Antrea policy tiers, whose policies are not evaluated either
]);

/**
 * Policy kinds that are read at one apiVersion: at any other (`networking.k8s.io/v1beta1` or Calico's
 * `projectcalico.org/v3` NetworkPolicy, a ClusterNetworkPolicy of v1alpha1) they are skipped with
 * the same warning. (NetworkPolicy of the seed's legacy groups is read apart: legacy-read.ts.)
 */
export const READ_POLICY_KINDS: ReadonlySet<string> = new Set([
  "NetworkPolicy",
  "ClusterNetworkPolicy",
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
]);
