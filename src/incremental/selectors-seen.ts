// Label changes no selector sees: the compiled table reads labels only through selectors (they
// decide groups, classes and memberships; no label is in the IR), so a relabel under which every
// selector of the cluster answers as before leaves the table as it is.
import type { Cluster, LabelSelector, Labels } from "../model/types.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";

/** Every pod selector and every namespace selector the cluster's policies write. */
export function selectorsOf(cluster: Cluster): { pods: LabelSelector[]; namespaces: LabelSelector[] } {
  const pods: LabelSelector[] = [];
  const namespaces: LabelSelector[] = [];
  for (const p of cluster.networkPolicies) {
    pods.push(p.spec.podSelector);
    const peers = [
      ...p.spec.ingress.flatMap((r) => r.from ?? []),
      ...p.spec.egress.flatMap((r) => r.to ?? []),
    ];
    for (const peer of peers) {
      if (peer.podSelector !== undefined) pods.push(peer.podSelector);
      if (peer.namespaceSelector !== undefined) namespaces.push(peer.namespaceSelector);
    }
  }
  for (const c of cluster.clusterNetworkPolicies) {
    const subject = c.subject;
    if ("namespaces" in subject) namespaces.push(subject.namespaces);
    else {
      pods.push(subject.pods.podSelector);
      namespaces.push(subject.pods.namespaceSelector);
    }
    for (const rule of [...c.ingress, ...c.egress])
      for (const peer of rule.peers) {
        if (peer.namespaces !== undefined) namespaces.push(peer.namespaces);
        if (peer.pods !== undefined) {
          pods.push(peer.pods.podSelector);
          namespaces.push(peer.pods.namespaceSelector);
        }
      }
  }
  return { pods, namespaces };
}

/** Whether every selector answers `before` and `after` alike. */
export function unseen(selectors: readonly LabelSelector[], before: Labels, after: Labels): boolean {
  return selectors.every((s) => matchesSelector(before, s) === matchesSelector(after, s));
}
