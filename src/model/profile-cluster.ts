// The profile switches that change what the input means rather than how a flow is decided: they
// rewrite the cluster once, before compiling (and before the reference evaluates), so that the
// compiler and the reference read the same input.
import type { Profile } from "./profile.ts";
import type { Cluster, ClusterNetworkPolicy, ClusterPolicyRule } from "./types.ts";

/** Rules without their `nodes` peers; a rule left with no peer matches nothing and goes. */
function withoutNodePeers(rules: readonly ClusterPolicyRule[]): readonly ClusterPolicyRule[] {
  if (!rules.some((r) => r.peers.some((p) => p.nodes !== undefined))) return rules;
  const out: ClusterPolicyRule[] = [];
  for (const rule of rules) {
    const peers = rule.peers.filter((p) => p.nodes === undefined);
    if (peers.length === rule.peers.length) out.push(rule);
    else if (peers.length > 0) out.push({ ...rule, peers });
  }
  return out;
}

/**
 * The cluster as `profile` reads it: hostNetwork pods as ordinary pods (`hostNetworkPoliced`),
 * admin/baseline `nodes` peers left out (`ignoreNodePeers`). The same object when neither applies.
 *
 * @example
 * clusterUnderProfile(cluster, CONFORMANCE_PROFILE) === cluster; // true
 */
export function clusterUnderProfile(cluster: Cluster, profile: Profile): Cluster {
  const hostNetwork = profile.hostNetworkPoliced === true && cluster.pods.some((p) => p.hostNetwork);
  const nodePeers = profile.ignoreNodePeers === true;
  if (!hostNetwork && !nodePeers) return cluster;
  const pods = hostNetwork
    ? cluster.pods.map((p) => (p.hostNetwork ? { ...p, hostNetwork: false } : p))
    : cluster.pods;
  const policies = nodePeers
    ? cluster.clusterNetworkPolicies.map((c): ClusterNetworkPolicy => {
        const egress = withoutNodePeers(c.egress);
        return egress === c.egress ? c : { ...c, egress };
      })
    : cluster.clusterNetworkPolicies;
  return { ...cluster, pods, clusterNetworkPolicies: policies };
}
