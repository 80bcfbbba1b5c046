// The cluster's pod selectors by the role their answer plays in the table (relabel-in-place.ts): a
// pod's *groups* follow the subject selectors of its namespace (its NetworkPolicies' podSelectors,
// and cluster policies' `pods` subjects); its *local classes* the local peers of its namespace
// (podSelector-only peers of its NetworkPolicies); its *global classes* the global label peers
// (namespaceSelector + podSelector peers of any NetworkPolicy, cluster policies' `pods` peers).
// Each role is indexed by the keys its selectors name (selectors-seen.ts), built on first use and
// kept by the selector index, which lives while the policy lists stay the same.
import type { Cluster, LabelSelector, NetworkPolicyPeer } from "../model/types.ts";
import {
  bySelectorKey,
  type SelectorIndex,
  type SelectorRoles,
  type SelectorsByKey,
} from "./selectors-seen.ts";

/** The peers a NetworkPolicy's rules write. */
function* peersOf(spec: Cluster["networkPolicies"][number]["spec"]): Generator<NetworkPolicyPeer> {
  for (const r of spec.ingress) yield* r.from ?? [];
  for (const r of spec.egress) yield* r.to ?? [];
}

/** The global label peers' pod selectors (the same for every namespace). */
function globalSelectors(cluster: Cluster): SelectorsByKey {
  const out: LabelSelector[] = [];
  for (const p of cluster.networkPolicies)
    for (const peer of peersOf(p.spec))
      if (peer.podSelector !== undefined && peer.namespaceSelector !== undefined) out.push(peer.podSelector);
  for (const c of cluster.clusterNetworkPolicies)
    for (const rule of [...c.ingress, ...c.egress])
      for (const peer of rule.peers) if (peer.pods !== undefined) out.push(peer.pods.podSelector);
  return bySelectorKey(out);
}

/** The selectors of namespace `namespace` by role, from `index`'s cache or built (and kept there). */
export function selectorRoles(cluster: Cluster, index: SelectorIndex, namespace: string): SelectorRoles {
  const cached = index.roles.get(namespace);
  if (cached !== undefined) return cached;
  let global = index.roles.values().next().value?.global;
  global ??= globalSelectors(cluster);
  const subjects: LabelSelector[] = [];
  const local: LabelSelector[] = [];
  for (const p of cluster.networkPolicies) {
    if (p.namespace !== namespace) continue;
    subjects.push(p.spec.podSelector);
    for (const peer of peersOf(p.spec))
      if (peer.podSelector !== undefined && peer.namespaceSelector === undefined)
        local.push(peer.podSelector);
  }
  for (const c of cluster.clusterNetworkPolicies)
    if ("pods" in c.subject) subjects.push(c.subject.pods.podSelector);
  const roles: SelectorRoles = { subjects: bySelectorKey(subjects), local: bySelectorKey(local), global };
  index.roles.set(namespace, roles);
  return roles;
}
