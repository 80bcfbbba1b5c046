import type { DirectionIndex } from "../ir/policy-table-ir.ts";
import type {
  Cluster,
  LabelSelector,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from "../model/types.ts";
import { type CIDR, formatCIDR, parseCIDR } from "../net/cidr.ts";
import { selectorKey } from "./label-index.ts";

/** A peer that can match endpoints anywhere in the cluster: by namespace+pod labels, or by address. */
export type GlobalPeer =
  | {
      readonly kind: "labels";
      readonly namespaceSelector: LabelSelector;
      readonly podSelector: LabelSelector;
    }
  | { readonly kind: "ipBlock"; readonly cidr: CIDR; readonly except: readonly CIDR[] };

/** A `podSelector`-only peer: matches pods of the policy's own namespace by label. */
export interface LocalPeer {
  readonly namespace: number;
  readonly podSelector: LabelSelector;
}

/** A rule port: numeric range, or a name to resolve against the destination pod. */
export type RulePort =
  | { readonly protocol: Protocol; readonly lo: number; readonly hi: number }
  | { readonly protocol: Protocol; readonly name: string };

/** One rule of one direction, with peers interned. */
export interface CollectedRule {
  /** 1-based, in canonical order (policies sorted, then written order). */
  readonly id: number;
  readonly policy: number;
  readonly index: number;
  readonly namespace: number;
  /** `from`/`to` absent or empty: every peer, addresses included. */
  readonly allPeers: boolean;
  readonly globalPeers: readonly number[];
  readonly localPeers: readonly number[];
  /** `undefined`: every port of every protocol. */
  readonly ports: readonly RulePort[] | undefined;
  /** Canonical text of `ports`. */
  readonly portsKey: string;
  /** Canonical text of (allPeers, globalPeers, ports): equal ⇔ the rule's global part behaves the same. */
  readonly globalKey: string;
  /** Canonical text of (localPeers, ports). */
  readonly localKey: string;
}

/** Everything one direction's rules reference. */
export interface CollectedDirection {
  readonly rules: readonly CollectedRule[];
  readonly globalPeers: readonly GlobalPeer[];
  readonly localPeers: readonly LocalPeer[];
  /** Sorted `name/protocol` keys of every named port the direction's rules use. */
  readonly namedPorts: readonly string[];
  /** Per policy: whether the policy applies to this direction (policyTypes). */
  readonly appliesTo: readonly boolean[];
  /** Per policy: ids of its rules in this direction. */
  readonly policyRules: readonly (readonly number[])[];
}

/** `name/protocol`, the key of a named port. */
export function namedPortKey(name: string, protocol: Protocol): string {
  return `${name}/${protocol}`;
}

function rulePorts(ports: readonly NetworkPolicyPort[] | undefined): RulePort[] | undefined {
  if (ports === undefined || ports.length === 0) return undefined;
  return ports.map((p): RulePort => {
    if (p.port === undefined) return { protocol: p.protocol, lo: 0, hi: 65535 };
    if (typeof p.port === "string") return { protocol: p.protocol, name: p.port };
    return { protocol: p.protocol, lo: p.port, hi: p.endPort ?? p.port };
  });
}

function portsKey(ports: readonly RulePort[] | undefined): string {
  if (ports === undefined) return "*";
  return ports
    .map((p) => ("name" in p ? `${p.protocol}:${p.name}` : `${p.protocol}:${p.lo}-${p.hi}`))
    .join(",");
}

/** Collect one direction's rules, interning peers (global ones cluster-wide, local ones per namespace). */
export function collectDirection(
  cluster: Cluster,
  direction: DirectionIndex,
  namespaceIndex: ReadonlyMap<string, number>,
): CollectedDirection {
  const type = direction === 0 ? "Egress" : "Ingress";
  const globalPeers: GlobalPeer[] = [];
  const globalIds = new Map<string, number>();
  const localPeers: LocalPeer[] = [];
  const localIds = new Map<string, number>();
  const named = new Set<string>();
  const rules: CollectedRule[] = [];
  const appliesTo: boolean[] = [];
  const policyRules: number[][] = [];

  const internGlobal = (key: string, make: () => GlobalPeer): number => {
    let id = globalIds.get(key);
    if (id === undefined) {
      id = globalPeers.length;
      globalPeers.push(make());
      globalIds.set(key, id);
    }
    return id;
  };

  const peerIds = (peer: NetworkPolicyPeer, ns: number, global: Set<number>, local: Set<number>): void => {
    if (peer.ipBlock !== undefined) {
      const cidr = parseCIDR(peer.ipBlock.cidr)!;
      const except = (peer.ipBlock.except ?? []).map((e) => parseCIDR(e)!);
      const key = `ip|${formatCIDR(cidr)}|${except.map(formatCIDR).sort().join(",")}`;
      global.add(internGlobal(key, () => ({ kind: "ipBlock", cidr, except })));
    } else if (peer.namespaceSelector !== undefined) {
      const podSelector = peer.podSelector ?? {};
      const key = `labels|${selectorKey(peer.namespaceSelector)}|${selectorKey(podSelector)}`;
      global.add(
        internGlobal(key, () => ({
          kind: "labels",
          namespaceSelector: peer.namespaceSelector!,
          podSelector,
        })),
      );
    } else if (peer.podSelector !== undefined) {
      const key = `${ns}|${selectorKey(peer.podSelector)}`;
      let id = localIds.get(key);
      if (id === undefined) {
        id = localPeers.length;
        localPeers.push({ namespace: ns, podSelector: peer.podSelector });
        localIds.set(key, id);
      }
      local.add(id);
    }
  };

  cluster.networkPolicies.forEach((policy, policyIndex) => {
    const applies = policy.spec.policyTypes.includes(type);
    appliesTo.push(applies);
    const ids: number[] = [];
    policyRules.push(ids);
    if (!applies) return;
    const ns = namespaceIndex.get(policy.namespace)!;
    const written = direction === 0 ? policy.spec.egress : policy.spec.ingress;
    written.forEach((rule, index) => {
      const peers =
        direction === 0 ? (rule as NetworkPolicyEgressRule).to : (rule as NetworkPolicyIngressRule).from;
      const allPeers = peers === undefined || peers.length === 0;
      const global = new Set<number>();
      const local = new Set<number>();
      if (!allPeers) for (const peer of peers) peerIds(peer, ns, global, local);
      const ports = rulePorts(rule.ports);
      for (const p of ports ?? []) if ("name" in p) named.add(namedPortKey(p.name, p.protocol));
      const g = [...global].sort((a, b) => a - b);
      const l = [...local].sort((a, b) => a - b);
      const pk = portsKey(ports);
      const id = rules.length + 1;
      ids.push(id);
      rules.push({
        id,
        policy: policyIndex,
        index,
        namespace: ns,
        allPeers,
        globalPeers: g,
        localPeers: l,
        ports,
        portsKey: pk,
        globalKey: `${allPeers ? "*" : g.join(".")}>${pk}`,
        localKey: `${l.join(".")}>${pk}`,
      });
    });
  });
  return { rules, globalPeers, localPeers, namedPorts: [...named].sort(), appliesTo, policyRules };
}
