// Label changes no selector sees: the compiled table reads labels only through selectors (they
// decide groups, classes and memberships; no label is in the IR), so labels under which every
// selector of the cluster answers as before are, to the table, the same labels. A selector's answer
// depends only on the keys it names (matchLabels and matchExpressions keys), so two label maps need
// only be tried against the selectors naming a key where they differ: an index from key to those
// selectors, built once per policy set and kept by the compile state across pod events.
import type { Cluster, LabelSelector, Labels, NetworkPolicyPeer } from "../model/types.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";

/** Every pod selector and every namespace selector the cluster's policies write. */
function selectorsOf(cluster: Cluster): { pods: LabelSelector[]; namespaces: LabelSelector[] } {
  const pods: LabelSelector[] = [];
  const namespaces: LabelSelector[] = [];
  const peersOf = (peers: readonly NetworkPolicyPeer[] | undefined): void => {
    for (const peer of peers ?? []) {
      if (peer.podSelector !== undefined) pods.push(peer.podSelector);
      if (peer.namespaceSelector !== undefined) namespaces.push(peer.namespaceSelector);
    }
  };
  for (const p of cluster.networkPolicies) {
    pods.push(p.spec.podSelector);
    for (const r of p.spec.ingress) peersOf(r.from);
    for (const r of p.spec.egress) peersOf(r.to);
  }
  for (const c of cluster.clusterNetworkPolicies) {
    const subject = c.subject;
    if ("namespaces" in subject) namespaces.push(subject.namespaces);
    else {
      pods.push(subject.pods.podSelector);
      namespaces.push(subject.pods.namespaceSelector);
    }
    for (const rules of [c.ingress, c.egress])
      for (const rule of rules)
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

/** Label key → the selectors that name it. */
export type SelectorsByKey = ReadonlyMap<string, readonly LabelSelector[]>;

/** The cluster's pod and namespace selectors by the keys they name, and the policy lists they come from. */
export interface SelectorIndex {
  readonly networkPolicies: Cluster["networkPolicies"];
  readonly clusterNetworkPolicies: Cluster["clusterNetworkPolicies"];
  readonly pods: SelectorsByKey;
  readonly namespaces: SelectorsByKey;
  /** The names of the named ports some rule uses: a pod's other ports are never read. */
  readonly portNames: ReadonlySet<string>;
  /** Those some egress rule uses, and some ingress rule (each direction's named-port vectors read only its own). */
  readonly egressPortNames: ReadonlySet<string>;
  readonly ingressPortNames: ReadonlySet<string>;
  /** Per namespace, its pod selectors by role (selector-roles.ts), filled on first use. A cache. */
  readonly roles: Map<string, SelectorRoles>;
}

/** One namespace's pod selectors by the role their answer plays in the table (selector-roles.ts). */
export interface SelectorRoles {
  readonly subjects: SelectorsByKey;
  readonly local: SelectorsByKey;
  readonly global: SelectorsByKey;
}

/** The names of the named ports the cluster's rules use (NetworkPolicy `port: name`, admin `namedPort`): of every rule, or of one direction's. */
function portNamesOf(cluster: Cluster, direction?: "ingress" | "egress"): Set<string> {
  const names = new Set<string>();
  const np = (s: Cluster["networkPolicies"][number]["spec"]) =>
    direction === undefined ? [...s.ingress, ...s.egress] : s[direction];
  for (const p of cluster.networkPolicies)
    for (const rule of np(p.spec))
      for (const port of rule.ports ?? []) if (typeof port.port === "string") names.add(port.port);
  for (const c of cluster.clusterNetworkPolicies)
    for (const rule of direction === undefined ? [...c.ingress, ...c.egress] : c[direction])
      for (const port of rule.ports ?? []) if ("name" in port) names.add(port.name);
  return names;
}

/** Selectors by the keys they name. */
export function bySelectorKey(selectors: readonly LabelSelector[]): SelectorsByKey {
  const out = new Map<string, LabelSelector[]>();
  // Selectors alike in text are one selector here: policies repeat a few of them many times.
  const seen = new Set<string>();
  const add = (k: string, s: LabelSelector): void => {
    const list = out.get(k);
    if (list === undefined) out.set(k, [s]);
    else if (list[list.length - 1] !== s) list.push(s); // a key named twice by one selector
  };
  for (const s of selectors) {
    const text = textOf(s);
    if (seen.has(text)) continue;
    seen.add(text);
    const ml = s.matchLabels;
    if (ml !== undefined) for (const k in ml) if (Object.hasOwn(ml, k)) add(k, s);
    for (const e of s.matchExpressions ?? []) add(e.key, s);
  }
  return out;
}

/** A text equal only for equal selectors (equal selectors written in another order may differ: then both are kept). */
function textOf(s: LabelSelector): string {
  const ml = s.matchLabels;
  if ((s.matchExpressions ?? []).length === 0) {
    let only: string | undefined;
    let n = 0;
    for (const k in ml) if (Object.hasOwn(ml, k) && n++ === 0) only = k;
    if (n === 0) return "";
    if (n === 1) return `${only}\u0000${ml![only!]}`;
  }
  return JSON.stringify([ml ?? {}, s.matchExpressions ?? []]);
}

/**
 * The index of the cluster's selectors: `prior` when it was built from the same policy lists (the
 * model's updates keep a list it does not change, so pod and namespace events reuse it), else built.
 */
export function selectorIndex(cluster: Cluster, prior?: SelectorIndex): SelectorIndex {
  if (
    prior !== undefined &&
    prior.networkPolicies === cluster.networkPolicies &&
    prior.clusterNetworkPolicies === cluster.clusterNetworkPolicies
  )
    return prior;
  const { pods, namespaces } = selectorsOf(cluster);
  return {
    networkPolicies: cluster.networkPolicies,
    clusterNetworkPolicies: cluster.clusterNetworkPolicies,
    pods: bySelectorKey(pods),
    namespaces: bySelectorKey(namespaces),
    portNames: portNamesOf(cluster),
    egressPortNames: portNamesOf(cluster, "egress"),
    ingressPortNames: portNamesOf(cluster, "ingress"),
    roles: new Map(),
  };
}

/** Whether every selector of the index answers `before` and `after` alike. */
export function alike(selectors: SelectorsByKey, before: Labels, after: Labels): boolean {
  if (before === after) return true;
  const differs = (k: string): boolean =>
    Object.hasOwn(before, k) !== Object.hasOwn(after, k) || before[k] !== after[k];
  const seenAlike = (k: string): boolean =>
    (selectors.get(k) ?? []).every((s) => matchesSelector(before, s) === matchesSelector(after, s));
  for (const k of Object.keys(before)) if (differs(k) && !seenAlike(k)) return false;
  for (const k of Object.keys(after)) if (!Object.hasOwn(before, k) && !seenAlike(k)) return false;
  return true;
}
