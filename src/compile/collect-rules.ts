import {
  ACTION_ACCEPT,
  ACTION_DENY,
  ACTION_PASS,
  type DirectionIndex,
  TIER_ADMIN,
  TIER_BASELINE,
  TIER_NETWORK_POLICY,
} from "../ir/policy-table-ir.ts";
import type {
  Cluster,
  ClusterPolicyPort,
  ClusterPolicyRule,
  LabelSelector,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from "../model/types.ts";
import { PROTOCOLS } from "../model/types.ts";
import type { IntSeqInterner } from "./int-seq-interner.ts";
import type { SelectorKeys } from "./label-index.ts";
import type { PodUniverse } from "./pod-universe.ts";
import {
  type CollectedDirection,
  createRuleCollector,
  EMPTY_PEER,
  type RuleCollector,
  type RulePort,
} from "./rule-collector.ts";

export type { CollectedDirection, CollectedRule, GlobalPeer, LocalPeer, RulePort } from "./rule-collector.ts";
export { EMPTY_PEER, LOCAL_REF_BASE, namedPortKey, protocolIndex } from "./rule-collector.ts";

function rulePorts(ports: readonly NetworkPolicyPort[] | undefined): RulePort[] | undefined {
  if (ports === undefined || ports.length === 0) return undefined;
  return ports.map((p): RulePort => {
    if (p.port === undefined) return { protocol: p.protocol, lo: 0, hi: 65535 };
    if (typeof p.port === "string") return { protocol: p.protocol, name: p.port };
    return { protocol: p.protocol, lo: p.port, hi: p.endPort ?? p.port };
  });
}

/** Admin/baseline ports: a named port matches the name on any protocol the destination declares it with. */
function clusterRulePorts(ports: readonly ClusterPolicyPort[] | undefined): RulePort[] | undefined {
  if (ports === undefined || ports.length === 0) return undefined;
  const out: RulePort[] = [];
  for (const p of ports) {
    if ("name" in p) for (const protocol of PROTOCOLS) out.push({ protocol, name: p.name });
    else out.push({ protocol: p.protocol, lo: p.start, hi: p.end });
  }
  return out;
}

const NONE: readonly number[] = Object.freeze([]);
const NO_NAMES: readonly string[] = Object.freeze([]);
/** `podSelector` absent next to a `namespaceSelector`: every pod (one object, so its key is memoised once). */
const EVERY_POD: LabelSelector = Object.freeze({});

/** The NetworkPolicy tier's rules of one direction. */
function collectNetworkPolicies(
  cluster: Cluster,
  direction: DirectionIndex,
  universe: PodUniverse,
  c: RuleCollector,
): { appliesTo: boolean[]; policyRules: (readonly number[])[] } {
  const type = direction === 0 ? "Egress" : "Ingress";
  const appliesTo: boolean[] = [];
  const policyRules: (readonly number[])[] = [];
  const peerRef = (peer: NetworkPolicyPeer, ns: number): number => {
    if (peer.ipBlock !== undefined) return c.ipPeer(peer.ipBlock.cidr, peer.ipBlock.except);
    if (peer.namespaceSelector !== undefined)
      return c.labelPeer(peer.namespaceSelector, peer.podSelector ?? EVERY_POD);
    if (peer.podSelector === undefined) return EMPTY_PEER;
    return c.localPeer(ns, peer.podSelector);
  };
  const refs: number[] = [];
  const policies = cluster.networkPolicies;
  for (let policyIndex = 0; policyIndex < policies.length; policyIndex++) {
    const policy = policies[policyIndex]!;
    const applies = policy.spec.policyTypes.includes(type);
    appliesTo.push(applies);
    const written = direction === 0 ? policy.spec.egress : policy.spec.ingress;
    if (!applies || written.length === 0) {
      policyRules.push(NONE);
      continue;
    }
    const ns = universe.namespaceOf.get(policy.namespace)!;
    const ids = new Array<number>(written.length);
    for (let index = 0; index < written.length; index++) {
      const rule = written[index]!;
      const peers =
        direction === 0 ? (rule as NetworkPolicyEgressRule).to : (rule as NetworkPolicyIngressRule).from;
      const allPeers = peers === undefined || peers.length === 0;
      refs.length = 0;
      if (!allPeers) for (const peer of peers) refs.push(peerRef(peer, ns));
      ids[index] = c.addRule({
        tier: TIER_NETWORK_POLICY,
        action: ACTION_ACCEPT,
        policy: policyIndex,
        index,
        name: undefined,
        namespace: ns,
        allPeers,
        refs,
        ports: rulePorts(rule.ports),
        domainNames: NO_NAMES,
      });
    }
    policyRules.push(ids);
  }
  return { appliesTo, policyRules };
}

const ACTIONS = { Accept: ACTION_ACCEPT, Deny: ACTION_DENY, Pass: ACTION_PASS } as const;

/**
 * The admin and baseline tiers' rules of one direction. A peer with no recognised field fails
 * closed: in an Accept rule it matches nothing, in a Deny or Pass rule every peer. `domainNames`
 * peers match nothing here (offline, no address is known to carry a name); the rule records how
 * many it had, so that `decide` can say `unknown`.
 */
function collectClusterPolicies(cluster: Cluster, direction: DirectionIndex, c: RuleCollector) {
  const clusterPolicyRules: (readonly number[])[] = [];
  const refs: number[] = [];
  cluster.clusterNetworkPolicies.forEach((policy, policyIndex) => {
    const written: readonly ClusterPolicyRule[] = direction === 0 ? policy.egress : policy.ingress;
    if (written.length === 0) {
      clusterPolicyRules.push(NONE);
      return;
    }
    const tier = policy.tier === "Admin" ? TIER_ADMIN : TIER_BASELINE;
    const ids = written.map((rule, index) => {
      const action = ACTIONS[rule.action];
      refs.length = 0;
      let failClosed = false;
      const domainNames: string[] = [];
      for (const peer of rule.peers) {
        if (peer.namespaces !== undefined) refs.push(c.labelPeer(peer.namespaces, EVERY_POD));
        else if (peer.pods !== undefined)
          refs.push(c.labelPeer(peer.pods.namespaceSelector, peer.pods.podSelector));
        else if (peer.nodes !== undefined) refs.push(c.nodesPeer(peer.nodes));
        else if (peer.networks !== undefined)
          for (const n of peer.networks) refs.push(c.ipPeer(n, undefined));
        else if (peer.domainNames !== undefined) domainNames.push(...peer.domainNames);
        else {
          refs.push(EMPTY_PEER);
          failClosed = true;
        }
      }
      return c.addRule({
        tier,
        action,
        policy: policyIndex,
        index,
        name: rule.name,
        namespace: -1,
        allPeers: failClosed && action !== ACTION_ACCEPT,
        refs,
        ports: clusterRulePorts(rule.ports),
        domainNames,
      });
    });
    clusterPolicyRules.push(ids);
  });
  return clusterPolicyRules;
}

/**
 * Collect one direction's rules of every tier, interning peers (global ones cluster-wide, local
 * ones per namespace). `keys` interns the rules' port lists and keys; share it between the
 * directions so that equal port lists get one id (the row store is shared too).
 */
export function collectDirection(
  cluster: Cluster,
  direction: DirectionIndex,
  universe: PodUniverse,
  keys: IntSeqInterner,
  selectorKey: SelectorKeys,
): CollectedDirection {
  const c = createRuleCollector(universe, keys, selectorKey);
  const { appliesTo, policyRules } = collectNetworkPolicies(cluster, direction, universe, c);
  const clusterPolicyRules = collectClusterPolicies(cluster, direction, c);
  return c.finish(appliesTo, policyRules, clusterPolicyRules);
}
