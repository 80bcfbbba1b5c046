import type {
  ClusterNetworkPolicy,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  LabelSelector,
  Pod,
} from "../model/types.ts";
import { cidrContains, parseCIDR } from "../net/cidr.ts";
import { anyDomainNameMatches } from "../net/domain-names.ts";
import { formatIP } from "../net/ip.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";
import { addressIn } from "./endpoints.ts";
import { nodesWithAddress } from "./nodes.ts";
import type { DirectionQuery, Tier, TierVerdict } from "./tiers.ts";

/** Whether pod `pod` (not hostNetwork) is in a namespace `nsSel` selects and, when given, matches `podSel`. */
function podIn(q: DirectionQuery, pod: Pod, nsSel: LabelSelector, podSel?: LabelSelector): boolean {
  if (pod.hostNetwork) return false;
  const ns = q.cluster.namespaces.find((n) => n.name === pod.namespace);
  if (ns === undefined || !matchesSelector(ns.labels, nsSel)) return false;
  return podSel === undefined || matchesSelector(pod.labels, podSel);
}

/** Whether the policy's subject selects the direction's subject pod. */
function selects(q: DirectionQuery, policy: ClusterNetworkPolicy): boolean {
  const s = policy.subject;
  return "namespaces" in s
    ? podIn(q, q.subject.pod, s.namespaces)
    : podIn(q, q.subject.pod, s.pods.namespaceSelector, s.pods.podSelector);
}

/**
 * Whether one peer matches the other end. `namespaces`/`pods` select non-hostNetwork pods;
 * `nodes` an address (a node's, or a hostNetwork pod's) of a node whose labels match; `networks`
 * an address of the flow's family in a CIDR (a pod's only when the profile lets CIDRs match pod
 * IPs); `domainNames` match nothing offline. A peer with no field matches everything (it is only
 * kept in Deny/Pass rules: see `ruleMatches`).
 */
function peerMatches(q: DirectionQuery, peer: ClusterPolicyPeer): boolean {
  const other = q.peer;
  if (peer.namespaces !== undefined) return other.kind === "pod" && podIn(q, other.pod, peer.namespaces);
  if (peer.pods !== undefined)
    return other.kind === "pod" && podIn(q, other.pod, peer.pods.namespaceSelector, peer.pods.podSelector);
  if (peer.nodes !== undefined) {
    if (other.kind !== "address" && other.kind !== "host") return false;
    const ip = addressIn(other, q.family);
    if (ip === undefined) return false;
    return nodesWithAddress(q.cluster, ip).some((n) => matchesSelector(n.labels, peer.nodes!));
  }
  if (peer.networks !== undefined) {
    if (other.kind === "pod" && !q.profile.ipBlockMatchesPodIPs) return false;
    const ip = addressIn(other, q.family);
    if (ip === undefined) return false;
    return peer.networks.some((n) => {
      const cidr = parseCIDR(n);
      return cidr !== undefined && cidrContains(cidr, ip);
    });
  }
  if (peer.domainNames !== undefined) {
    // Names of a non-pod destination, as the caller's resolver gives them (none without one).
    if (q.domainNames === undefined || other.kind === "pod") return false;
    const ip = addressIn(other, q.family);
    const names = ip === undefined ? undefined : q.domainNames(formatIP(ip));
    return names !== undefined && anyDomainNameMatches(peer.domainNames, names);
  }
  return true;
}

/** A port: a range of the flow's protocol, or a name the destination pod declares for the flow's protocol and port. */
function portMatches(q: DirectionQuery, p: ClusterPolicyPort): boolean {
  if (!("name" in p)) return p.protocol === q.protocol && p.start <= q.port && q.port <= p.end;
  const dst = q.destination;
  if (dst.kind !== "pod") return false;
  return dst.pod.ports.some(
    (c) => c.name === p.name && c.protocol === q.protocol && c.containerPort === q.port,
  );
}

const isEmpty = (peer: ClusterPolicyPeer): boolean =>
  peer.namespaces === undefined &&
  peer.pods === undefined &&
  peer.nodes === undefined &&
  peer.networks === undefined &&
  peer.domainNames === undefined;

/** A rule matches when one of its peers and one of its ports (none: every port) match; fail-closed peers per action. */
function ruleMatches(q: DirectionQuery, rule: ClusterPolicyRule): boolean {
  const peers = rule.peers.filter((p) => !(isEmpty(p) && rule.action === "Accept"));
  if (!peers.some((p) => peerMatches(q, p))) return false;
  return rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((p) => portMatches(q, p));
}

/**
 * One cluster-scoped tier: its policies in evaluation order (`Cluster.clusterNetworkPolicies`),
 * those whose subject selects the pod, their rules of this direction in written order; the first
 * matching rule decides — Accept allows, Deny denies, Pass leaves the tier — and no match passes.
 */
function clusterTier(tier: "Admin" | "Baseline"): Tier {
  return {
    name: tier,
    decide(q): TierVerdict {
      for (const policy of q.cluster.clusterNetworkPolicies) {
        if (policy.tier !== tier || !selects(q, policy)) continue;
        const rules = q.direction === "egress" ? policy.egress : policy.ingress;
        for (const rule of rules) {
          if (!ruleMatches(q, rule)) continue;
          return rule.action === "Accept" ? "allow" : rule.action === "Deny" ? "deny" : "pass";
        }
      }
      return "pass";
    },
  };
}

export const adminTier: Tier = clusterTier("Admin");
export const baselineTier: Tier = clusterTier("Baseline");
