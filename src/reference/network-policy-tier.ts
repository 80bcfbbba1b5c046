import type {
  Cluster,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Pod,
  PolicyType,
} from "../model/types.ts";
import { cidrContains, parseCIDR } from "../net/cidr.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";
import { addressIn } from "./endpoints.ts";
import type { DirectionQuery, Tier, TierVerdict } from "./tiers.ts";

/** The NetworkPolicies of the subject's namespace that select it for this direction (policyTypes). */
export function selectingPolicies(cluster: Cluster, pod: Pod, type: PolicyType): NetworkPolicy[] {
  return cluster.networkPolicies.filter(
    (p) =>
      p.namespace === pod.namespace &&
      p.spec.policyTypes.includes(type) &&
      matchesSelector(pod.labels, p.spec.podSelector),
  );
}

/**
 * Whether a peer matches the other end. `ipBlock` tests the endpoint's address of the flow's
 * family (a pod's only when the profile lets ipBlocks match pod IPs); `except` subtracts only
 * inside its own ipBlock. Label peers select only non-hostNetwork pods: `podSelector` alone within
 * the policy's namespace, `namespaceSelector` (AND `podSelector`) anywhere.
 */
function peerMatches(q: DirectionQuery, policy: NetworkPolicy, peer: NetworkPolicyPeer): boolean {
  const other = q.peer;
  if (peer.ipBlock !== undefined) {
    if (other.kind === "pod" && !q.profile.ipBlockMatchesPodIPs) return false;
    const ip = addressIn(other, q.family);
    if (ip === undefined) return false;
    const cidr = parseCIDR(peer.ipBlock.cidr);
    if (cidr === undefined || !cidrContains(cidr, ip)) return false;
    return !(peer.ipBlock.except ?? []).some((e) => {
      const x = parseCIDR(e);
      return x !== undefined && cidrContains(x, ip);
    });
  }
  if (other.kind !== "pod") return false;
  const pod = other.pod;
  if (peer.podSelector !== undefined && !matchesSelector(pod.labels, peer.podSelector)) return false;
  if (peer.namespaceSelector === undefined) return pod.namespace === policy.namespace;
  const ns = q.cluster.namespaces.find((n) => n.name === pod.namespace);
  return ns !== undefined && matchesSelector(ns.labels, peer.namespaceSelector);
}

/**
 * Whether a rule port matches the flow: same protocol, and no port (every port of it), a numeric
 * port or inclusive `port`–`endPort` range, or a name that the *destination pod* declares with
 * that protocol and the flow's port number. Towards an IP or a hostNetwork pod a name matches nothing.
 */
function portMatches(q: DirectionQuery, p: NetworkPolicyPort): boolean {
  if (p.protocol !== q.protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === "number") return p.port <= q.port && q.port <= (p.endPort ?? p.port);
  const dst = q.destination;
  if (dst.kind !== "pod") return false;
  const declared = dst.pod.ports.find((c) => c.name === p.port && c.protocol === p.protocol);
  return declared !== undefined && declared.containerPort === q.port;
}

/** An empty or absent peer list means every peer; an empty or absent port list every port of every protocol. */
function ruleMatches(
  q: DirectionQuery,
  policy: NetworkPolicy,
  peers: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
): boolean {
  const peerOk = peers === undefined || peers.length === 0 || peers.some((x) => peerMatches(q, policy, x));
  const portOk = ports === undefined || ports.length === 0 || ports.some((p) => portMatches(q, p));
  return peerOk && portOk;
}

/**
 * The NetworkPolicy tier: if no policy selects the subject for this direction, `pass`; otherwise
 * `allow` iff some rule of those policies matches, else `deny` (final).
 */
export const networkPolicyTier: Tier = {
  name: "network-policy",
  decide(q: DirectionQuery): TierVerdict {
    const type: PolicyType = q.direction === "egress" ? "Egress" : "Ingress";
    const policies = selectingPolicies(q.cluster, q.subject.pod, type);
    if (policies.length === 0) return "pass";
    const allowed = policies.some((policy) =>
      q.direction === "egress"
        ? policy.spec.egress.some((r) => ruleMatches(q, policy, r.to, r.ports))
        : policy.spec.ingress.some((r) => ruleMatches(q, policy, r.from, r.ports)),
    );
    return allowed ? "allow" : "deny";
  },
};
