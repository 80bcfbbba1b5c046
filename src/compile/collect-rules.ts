import type { DirectionIndex } from "../ir/policy-table-ir.ts";
import type {
  Cluster,
  IPBlock,
  LabelSelector,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from "../model/types.ts";
import { type CIDR, formatCIDR, parseCIDR } from "../net/cidr.ts";
import { IntSeqInterner, sortSmall } from "./int-seq-interner.ts";
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
  /** Its written peers are `peerRefs[peerRefStart + qi]` of the direction. */
  readonly peerRefStart: number;
  /** Whether `ports` names a port. */
  readonly hasNamedPorts: boolean;
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
  /** Per written peer of every rule: its global peer id, `LOCAL_REF_BASE - localId`, or `EMPTY_PEER` (for diagnostics). */
  readonly peerRefs: readonly number[];
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

/** Shared by every empty id list (they are only read). */
const NONE: readonly number[] = Object.freeze([]);
/** `podSelector` absent next to a `namespaceSelector`: every pod (one object, so its key is memoised once). */
const EVERY_POD: LabelSelector = Object.freeze({});

const includes = (xs: readonly number[], n: number, x: number): boolean => {
  for (let i = 0; i < n; i++) if (xs[i] === x) return true;
  return false;
};

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
  const policyRules: (readonly number[])[] = [];

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
      const podSelector = universe.podSelectorId(peer.podSelector ?? EVERY_POD);
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
  /** Interned port list; encoded as `rulePorts` would read it, so equal ids ⇔ equal `RulePort` lists. */
  const portsId = (ports: readonly NetworkPolicyPort[] | undefined): number => {
    keys.push(PORTS);
    if (ports === undefined || ports.length === 0) keys.push(ALL_PORTS);
    else
      for (const p of ports) {
        const proto = protocolIndex(p.protocol);
        if (typeof p.port === "string") {
          let nameId = portNames.get(p.port);
          if (nameId === undefined) portNames.set(p.port, (nameId = portNames.size));
          keys.push(proto + 3);
          keys.push(nameId);
          keys.push(0);
        } else {
          keys.push(proto);
          keys.push(p.port === undefined ? 0 : p.port);
          keys.push(p.port === undefined ? 65535 : (p.endPort ?? p.port));
        }
      }
    return keys.commit();
  };
  /** One `RulePort` list per distinct port list (rules only read it); its named ports recorded once. */
  const portLists = new Map<number, RulePort[] | undefined>();
  const portList = (id: number, ports: readonly NetworkPolicyPort[] | undefined): RulePort[] | undefined => {
    if (portLists.has(id)) return portLists.get(id);
    const list = rulePorts(ports);
    for (const p of list ?? []) if ("name" in p) named.add(namedPortKey(p.name, p.protocol));
    portLists.set(id, list);
    return list;
  };
  const exact = (xs: readonly number[], n: number): readonly number[] => (n === 0 ? NONE : xs.slice(0, n));

  const peerRefs: number[] = [];
  const g: number[] = [];
  const l: number[] = [];
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
      let ng = 0;
      let nl = 0;
      const peerRefStart = peerRefs.length;
      if (!allPeers)
        for (let q = 0; q < peers.length; q++) {
          const peer = peers[q]!;
          const ref = peerRef(peer, ns);
          peerRefs.push(ref);
          if (ref >= 0) {
            if (!includes(g, ng, ref)) g[ng++] = ref;
          } else if (ref <= LOCAL_REF_BASE) {
            const local = LOCAL_REF_BASE - ref;
            if (!includes(l, nl, local)) l[nl++] = local;
          }
        }
      sortSmall(g, ng);
      sortSmall(l, nl);
      const pid = portsId(rule.ports);
      const ports = portList(pid, rule.ports);
      keys.push(GLOBAL);
      keys.push(pid);
      keys.push(allPeers ? 1 : 0);
      const globalKey = keys.internList(g, 0, ng);
      keys.push(LOCAL);
      keys.push(pid);
      const localKey = keys.internList(l, 0, nl);
      const id = rules.length + 1;
      ids[index] = id;
      rules.push({
        id,
        policy: policyIndex,
        index,
        namespace: ns,
        allPeers,
        globalPeers: exact(g, ng),
        localPeers: exact(l, nl),
        ports,
        portsId: pid,
        globalKey,
        localKey,
        peerRefStart,
        hasNamedPorts: ports?.some((p) => "name" in p) ?? false,
      });
    }
    policyRules.push(ids);
  }
  return {
    rules,
    globalPeers,
    localPeers,
    namedPorts: [...named].sort(),
    appliesTo,
    policyRules,
    peerRefs,
  };
}
