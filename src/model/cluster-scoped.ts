// Immutable updates of the cluster-scoped objects: Nodes and admin/baseline policies.
import { compareClusterPolicies, putByName, update } from "./cluster.ts";
import type { Cluster, ClusterNetworkPolicy, Node } from "./types.ts";

/**
 * Add a Node, or replace the one of the same name.
 *
 * @example
 * withNode(makeCluster({}), { name: "node-a", labels: {}, addresses: ["172.18.0.2"] }).nodes.length; // 1
 */
export function withNode(cluster: Cluster, node: Node): Cluster {
  return update(cluster, (d) => {
    putByName(d.nodes, node);
  });
}

/**
 * Remove a Node (no-op when there is none of that name).
 *
 * @example
 * withoutNode(withNode(makeCluster({}), { name: "n", labels: {}, addresses: [] }), "n").nodes.length; // 0
 */
export function withoutNode(cluster: Cluster, name: string): Cluster {
  return update(cluster, (d) => {
    d.nodes = d.nodes.filter((n) => n.name !== name);
  });
}

/**
 * Add an admin/baseline policy, or replace the one of the same kind and name; kept in evaluation order.
 *
 * @example
 * withClusterPolicy(makeCluster({}), { kind: "ClusterNetworkPolicy", name: "deny", tier: "Admin", priority: 1,
 *   subject: { namespaces: {} }, ingress: [{ action: "Deny", peers: [{ namespaces: {} }] }], egress: [] }).clusterNetworkPolicies.length; // 1
 */
export function withClusterPolicy(cluster: Cluster, policy: ClusterNetworkPolicy): Cluster {
  return update(cluster, (d) => {
    const list = d.clusterNetworkPolicies.filter((p) => !(p.kind === policy.kind && p.name === policy.name));
    list.push(policy);
    d.clusterNetworkPolicies = list.sort(compareClusterPolicies);
  });
}

/**
 * Remove an admin/baseline policy by kind and name (no-op when there is none).
 *
 * @example
 * withoutClusterPolicy(cluster, "ClusterNetworkPolicy", "deny");
 */
export function withoutClusterPolicy(
  cluster: Cluster,
  kind: ClusterNetworkPolicy["kind"],
  name: string,
): Cluster {
  return update(cluster, (d) => {
    d.clusterNetworkPolicies = d.clusterNetworkPolicies.filter((p) => !(p.kind === kind && p.name === name));
  });
}
