import type { LabelSelector, Protocol } from "../model/types.ts";
import { type CIDR, formatCIDR, parseCIDR } from "../net/cidr.ts";
import { IntSeqInterner, sortSmall } from "./int-seq-interner.ts";
import type { SelectorKeys } from "./label-index.ts";
import type { PodUniverse } from "./pod-universe.ts";

/**
 * A peer that can match endpoints anywhere in the cluster: by namespace+pod labels, by address
 * (an ipBlock, or an admin `networks` CIDR: an ipBlock without excepts), or by node labels (an
 * admin `nodes` peer: the addresses of the matching nodes).
 */
export type GlobalPeer =
  | {
      readonly kind: "labels";
      /** Namespace selector id and pod selector id (`PodUniverse`). */
      readonly namespaceSelector: number;
      readonly podSelector: number;
    }
  | { readonly kind: "ipBlock"; readonly cidr: CIDR; readonly except: readonly CIDR[] }
  | { readonly kind: "nodes"; readonly selector: LabelSelector };

/** A `podSelector`-only NetworkPolicy peer: matches pods of the policy's own namespace by label. */
export interface LocalPeer {
  readonly namespace: number;
  /** Pod selector id. */
  readonly podSelector: number;
}

/** A rule port: numeric range, or a name to resolve against the destination pod. */
export type RulePort =
  | { readonly protocol: Protocol; readonly lo: number; readonly hi: number }
  | { readonly protocol: Protocol; readonly name: string };

/** `peerRefs` entry of a peer with no selector and no ipBlock (or an admin peer with no field). */
export const EMPTY_PEER = -1;
/** `peerRefs` entry of local peer `l`: `LOCAL_REF_BASE - l`. */
export const LOCAL_REF_BASE = -2;

/** One rule of one direction, with peers interned. */
export interface CollectedRule {
  /** 1-based: NetworkPolicy rules first (policies sorted, then written order), then admin/baseline rules. */
  readonly id: number;
  readonly tier: number;
  readonly action: number;
  /** NetworkPolicy index (tier 1) or cluster policy index (tiers 0 and 2). */
  readonly policy: number;
  readonly index: number;
  /** The rule's `name` (admin/baseline rules), for provenance. */
  readonly name: string | undefined;
  /** The policy's namespace (NetworkPolicy), −1 for cluster policies. */
  readonly namespace: number;
  /** Matches every peer, addresses included (`from`/`to` absent or empty; a fail-closed Deny/Pass peer). */
  readonly allPeers: boolean;
  readonly globalPeers: readonly number[];
  readonly localPeers: readonly number[];
  /** `undefined`: every port of every protocol. */
  readonly ports: readonly RulePort[] | undefined;
  /** Interned `ports` (equal ⇔ same ports in the same order). */
  readonly portsId: number;
  /** Interned (tier, action, allPeers, globalPeers, ports): equal ⇔ the rule's global part behaves the same. */
  readonly globalKey: number;
  /** Interned (localPeers, ports). */
  readonly localKey: number;
  /** Its written peers are `peerRefs[peerRefStart + qi]` of the direction. */
  readonly peerRefStart: number;
  /** Whether `ports` names a port. */
  readonly hasNamedPorts: boolean;
  /** Its `domainNames` patterns (egress admin/baseline rules): they match nothing in the cells. */
  readonly domainNames: readonly string[];
}

/** Everything one direction's rules reference. */
export interface CollectedDirection {
  readonly rules: readonly CollectedRule[];
  readonly globalPeers: readonly GlobalPeer[];
  readonly localPeers: readonly LocalPeer[];
  /** Sorted `name/protocol` keys of every named port the direction's rules use. */
  readonly namedPorts: readonly string[];
  /** Per NetworkPolicy: whether the policy applies to this direction (policyTypes). */
  readonly appliesTo: readonly boolean[];
  /** Per NetworkPolicy: ids of its rules in this direction. */
  readonly policyRules: readonly (readonly number[])[];
  /** Per cluster policy: ids of its rules in this direction (empty: the policy does not act here). */
  readonly clusterPolicyRules: readonly (readonly number[])[];
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

/** What a rule is, as the tier collectors describe it. */
export interface RuleSpec
  extends Pick<
    CollectedRule,
    "tier" | "action" | "policy" | "index" | "name" | "namespace" | "allPeers" | "ports" | "domainNames"
  > {
  /** Its written peers' refs (global id, `LOCAL_REF_BASE - l`, or `EMPTY_PEER`). */
  readonly refs: readonly number[];
}

/** Interns one direction's peers and port lists, and numbers its rules. */
export interface RuleCollector {
  labelPeer(namespaceSelector: LabelSelector, podSelector: LabelSelector): number;
  /** A local peer's ref (`LOCAL_REF_BASE - id`). */
  localPeer(namespace: number, podSelector: LabelSelector): number;
  /** An address peer from CIDR texts (validated by io). */
  ipPeer(cidr: string, except: readonly string[] | undefined): number;
  nodesPeer(selector: LabelSelector): number;
  addRule(spec: RuleSpec): number;
  finish(
    appliesTo: readonly boolean[],
    policyRules: readonly (readonly number[])[],
    clusterPolicyRules: readonly (readonly number[])[],
  ): CollectedDirection;
}

/** Shared by every empty id list (they are only read). */
const NONE: readonly number[] = Object.freeze([]);

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
 * A collector for one direction. `keys` interns the rules' port lists and keys; share it between
 * the directions so that equal port lists get one id (the row store is shared too).
 */
export function createRuleCollector(
  universe: PodUniverse,
  keys: IntSeqInterner,
  selectorKey: SelectorKeys,
): RuleCollector {
  const globalPeers: GlobalPeer[] = [];
  const localPeers: LocalPeer[] = [];
  // (namespace selector, pod selector) pairs and (namespace, pod selector) pairs: a label peer's
  // global id is `labelPeerOf[pair]` (ipBlocks and node peers share that space).
  const labelPairs = new IntSeqInterner();
  const labelPeerOf: number[] = [];
  const localPairs = new IntSeqInterner();
  const ipPeerByText = new Map<string, number>();
  const ipPeerByCanonical = new Map<string, number>();
  const nodePeerByKey = new Map<string, number>();
  const portNames = new Map<string, number>();
  const named = new Set<string>();
  const rules: CollectedRule[] = [];
  const peerRefs: number[] = [];
  const portLists = new Map<number, readonly RulePort[] | undefined>();
  const g: number[] = [];
  const l: number[] = [];
  const exact = (xs: readonly number[], n: number): readonly number[] => (n === 0 ? NONE : xs.slice(0, n));

  /** Interned port list: equal ids ⇔ equal `RulePort` lists. */
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

  return {
    labelPeer(nsSel, podSel) {
      const namespaceSelector = universe.namespaceSelectorId(nsSel);
      const podSelector = universe.podSelectorId(podSel);
      labelPairs.push(namespaceSelector);
      labelPairs.push(podSelector);
      const pair = labelPairs.commit();
      if (pair === labelPeerOf.length) {
        labelPeerOf.push(globalPeers.length);
        globalPeers.push({ kind: "labels", namespaceSelector, podSelector });
      }
      return labelPeerOf[pair]!;
    },
    localPeer(ns, podSel) {
      const podSelector = universe.podSelectorId(podSel);
      localPairs.push(ns);
      localPairs.push(podSelector);
      const local = localPairs.commit();
      if (local === localPeers.length) localPeers.push({ namespace: ns, podSelector });
      return LOCAL_REF_BASE - local;
    },
    ipPeer(cidrText, exceptTexts) {
      const text = exceptTexts === undefined ? cidrText : `${cidrText}\u0000${exceptTexts.join("\u0000")}`;
      let id = ipPeerByText.get(text);
      if (id !== undefined) return id;
      const cidr = parseCIDR(cidrText)!;
      const except = (exceptTexts ?? []).map((e) => parseCIDR(e)!);
      const canonical = `${formatCIDR(cidr)}|${except.map(formatCIDR).sort().join(",")}`;
      id = ipPeerByCanonical.get(canonical);
      if (id === undefined) {
        id = globalPeers.length;
        globalPeers.push({ kind: "ipBlock", cidr, except });
        ipPeerByCanonical.set(canonical, id);
      }
      ipPeerByText.set(text, id);
      return id;
    },
    nodesPeer(selector) {
      const key = selectorKey(selector);
      let id = nodePeerByKey.get(key);
      if (id === undefined) {
        id = globalPeers.length;
        globalPeers.push({ kind: "nodes", selector });
        nodePeerByKey.set(key, id);
      }
      return id;
    },
    addRule(spec) {
      let ng = 0;
      let nl = 0;
      const peerRefStart = peerRefs.length;
      for (const ref of spec.refs) {
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
      const pid = portsId(spec.ports);
      if (!portLists.has(pid)) {
        for (const p of spec.ports ?? []) if ("name" in p) named.add(namedPortKey(p.name, p.protocol));
        portLists.set(pid, spec.ports);
      }
      keys.push(GLOBAL);
      keys.push(pid);
      keys.push(spec.tier * 4 + spec.action);
      keys.push(spec.allPeers ? 1 : 0);
      const globalKey = keys.internList(g, 0, ng);
      keys.push(LOCAL);
      keys.push(pid);
      const localKey = keys.internList(l, 0, nl);
      const ports = portLists.get(pid);
      const id = rules.length + 1;
      rules.push({
        id,
        tier: spec.tier,
        action: spec.action,
        policy: spec.policy,
        index: spec.index,
        name: spec.name,
        namespace: spec.namespace,
        allPeers: spec.allPeers,
        globalPeers: exact(g, ng),
        localPeers: exact(l, nl),
        ports,
        portsId: pid,
        globalKey,
        localKey,
        peerRefStart,
        hasNamedPorts: ports?.some((p) => "name" in p) ?? false,
        domainNames: spec.domainNames,
      });
      return id;
    },
    finish(appliesTo, policyRules, clusterPolicyRules) {
      return {
        rules,
        globalPeers,
        localPeers,
        namedPorts: [...named].sort(),
        appliesTo,
        policyRules,
        clusterPolicyRules,
        peerRefs,
      };
    },
  };
}
