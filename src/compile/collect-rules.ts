import type { DirectionIndex } from "../ir/policy-table-ir.ts";
import type {
  Cluster,
  IPBlock,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from "../model/types.ts";
import { type CIDR, formatCIDR, parseCIDR } from "../net/cidr.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { PodUniverse } from "./pod-universe.ts";

/** A peer that can match endpoints anywhere in the cluster: by namespace+pod labels, or by address. */
export type GlobalPeer =
  | {
      readonly kind: "labels";
      /** Namespace selector id and pod selector id (`PodUniverse`). */
      readonly namespaceSelector: number;
      readonly podSelector: number;
    }
  | { readonly kind: "ipBlock"; readonly cidr: CIDR; readonly except: readonly CIDR[] };

/** A `podSelector`-only peer: matches pods of the policy's own namespace by label. */
export interface LocalPeer {
  readonly namespace: number;
  /** Pod selector id. */
  readonly podSelector: number;
}

/** A rule port: numeric range, or a name to resolve against the destination pod. */
export type RulePort =
  | { readonly protocol: Protocol; readonly lo: number; readonly hi: number }
  | { readonly protocol: Protocol; readonly name: string };

/** `peerRefs` entry of a peer with no selector and no ipBlock. */
export const EMPTY_PEER = -1;
/** `peerRefs` entry of local peer `l`: `LOCAL_REF_BASE - l`. */
export const LOCAL_REF_BASE = -2;

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
  /** Interned `ports` (equal ⇔ same ports in the same order). */
  readonly portsId: number;
  /** Interned (allPeers, globalPeers, ports): equal ⇔ the rule's global part behaves the same. */
  readonly globalKey: number;
  /** Interned (localPeers, ports). */
  readonly localKey: number;
  /** Per written peer: its global peer id, `LOCAL_REF_BASE - localId`, or `EMPTY_PEER` (for diagnostics). */
  readonly peerRefs: Int32Array;
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

/** Index of a protocol in `PROTOCOLS` order (TCP, UDP, SCTP). */
export function protocolIndex(protocol: Protocol): number {
  return protocol === "TCP" ? 0 : protocol === "UDP" ? 1 : 2;
}

function rulePorts(ports: readonly NetworkPolicyPort[] | undefined): RulePort[] | undefined {
  if (ports === undefined || ports.length === 0) return undefined;
  return ports.map((p): RulePort => {
    if (p.port === undefined) return { protocol: p.protocol, lo: 0, hi: 65535 };
    if (typeof p.port === "string") return { protocol: p.protocol, name: p.port };
    return { protocol: p.protocol, lo: p.port, hi: p.endPort ?? p.port };
  });
}

// Tags keep the kinds of interned sequences apart in the shared key interner.
const PORTS = 1;
const GLOBAL = 2;
const LOCAL = 3;
const ALL_PORTS = -1;

/**
 * Collect one direction's rules, interning peers (global ones cluster-wide, local ones per
 * namespace). `keys` interns the rules' port lists and keys; share it between the directions so
 * that equal port lists get one id (the row store is shared too).
 */
export function collectDirection(
  cluster: Cluster,
  direction: DirectionIndex,
  universe: PodUniverse,
  keys: IntSeqInterner,
): CollectedDirection {
  const type = direction === 0 ? "Egress" : "Ingress";
  const globalPeers: GlobalPeer[] = [];
  const localPeers: LocalPeer[] = [];
  // (namespace selector, pod selector) pairs, and (namespace, pod selector) pairs: the local peer
  // id is the pair's id; a label peer's global id is `labelPeerOf[pair]` (ipBlocks share that space).
  const labelPairs = new IntSeqInterner();
  const labelPeerOf: number[] = [];
  const localPairs = new IntSeqInterner();
  const ipPeerByText = new Map<string, number>();
  const ipPeerByCanonical = new Map<string, number>();
  const portNames = new Map<string, number>();
  const named = new Set<string>();
  const rules: CollectedRule[] = [];
  const appliesTo: boolean[] = [];
  const policyRules: number[][] = [];

  /** An ipBlock's peer id: parsed and canonicalised once per distinct text. */
  const ipPeer = (block: IPBlock): number => {
    const text =
      block.except === undefined ? block.cidr : `${block.cidr}\u0000${block.except.join("\u0000")}`;
    let id = ipPeerByText.get(text);
    if (id !== undefined) return id;
    const cidr = parseCIDR(block.cidr)!;
    const except = (block.except ?? []).map((e) => parseCIDR(e)!);
    const canonical = `${formatCIDR(cidr)}|${except.map(formatCIDR).sort().join(",")}`;
    id = ipPeerByCanonical.get(canonical);
    if (id === undefined) {
      id = globalPeers.length;
      globalPeers.push({ kind: "ipBlock", cidr, except });
      ipPeerByCanonical.set(canonical, id);
    }
    ipPeerByText.set(text, id);
    return id;
  };
  const peerRef = (peer: NetworkPolicyPeer, ns: number): number => {
    if (peer.ipBlock !== undefined) return ipPeer(peer.ipBlock);
    if (peer.namespaceSelector !== undefined) {
      const namespaceSelector = universe.namespaceSelectorId(peer.namespaceSelector);
      const podSelector = universe.podSelectorId(peer.podSelector ?? {});
      labelPairs.push(namespaceSelector);
      labelPairs.push(podSelector);
      const pair = labelPairs.commit();
      if (pair === labelPeerOf.length) {
        labelPeerOf.push(globalPeers.length);
        globalPeers.push({ kind: "labels", namespaceSelector, podSelector });
      }
      return labelPeerOf[pair]!;
    }
    if (peer.podSelector === undefined) return EMPTY_PEER;
    const podSelector = universe.podSelectorId(peer.podSelector);
    localPairs.push(ns);
    localPairs.push(podSelector);
    const local = localPairs.commit();
    if (local === localPeers.length) localPeers.push({ namespace: ns, podSelector });
    return LOCAL_REF_BASE - local;
  };
  const portsId = (ports: readonly RulePort[] | undefined): number => {
    keys.push(PORTS);
    if (ports === undefined) keys.push(ALL_PORTS);
    else
      for (const p of ports) {
        const proto = protocolIndex(p.protocol);
        if ("name" in p) {
          let nameId = portNames.get(p.name);
          if (nameId === undefined) portNames.set(p.name, (nameId = portNames.size));
          keys.push(proto + 3);
          keys.push(nameId);
          keys.push(0);
        } else {
          keys.push(proto);
          keys.push(p.lo);
          keys.push(p.hi);
        }
      }
    return keys.commit();
  };

  const global: number[] = [];
  const local: number[] = [];
  cluster.networkPolicies.forEach((policy, policyIndex) => {
    const applies = policy.spec.policyTypes.includes(type);
    appliesTo.push(applies);
    const ids: number[] = [];
    policyRules.push(ids);
    if (!applies) return;
    const ns = universe.namespaceOf.get(policy.namespace)!;
    const written = direction === 0 ? policy.spec.egress : policy.spec.ingress;
    written.forEach((rule, index) => {
      const peers =
        direction === 0 ? (rule as NetworkPolicyEgressRule).to : (rule as NetworkPolicyIngressRule).from;
      const allPeers = peers === undefined || peers.length === 0;
      global.length = 0;
      local.length = 0;
      const peerRefs = new Int32Array(allPeers ? 0 : peers.length);
      if (!allPeers)
        peers.forEach((peer, qi) => {
          const ref = peerRef(peer, ns);
          peerRefs[qi] = ref;
          if (ref >= 0) {
            if (!global.includes(ref)) global.push(ref);
          } else if (ref <= LOCAL_REF_BASE) {
            const l = LOCAL_REF_BASE - ref;
            if (!local.includes(l)) local.push(l);
          }
        });
      const ports = rulePorts(rule.ports);
      for (const p of ports ?? []) if ("name" in p) named.add(namedPortKey(p.name, p.protocol));
      const g = global.sort((a, b) => a - b).slice();
      const l = local.sort((a, b) => a - b).slice();
      const pid = portsId(ports);
      keys.push(GLOBAL);
      keys.push(pid);
      keys.push(allPeers ? 1 : 0);
      const globalKey = keys.internList(g);
      keys.push(LOCAL);
      keys.push(pid);
      const localKey = keys.internList(l);
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
        portsId: pid,
        globalKey,
        localKey,
        peerRefs,
      });
    });
  });
  return { rules, globalPeers, localPeers, namedPorts: [...named].sort(), appliesTo, policyRules };
}
