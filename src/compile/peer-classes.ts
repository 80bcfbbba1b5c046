import { KIND_POD, VARIANTS } from "../ir/policy-table-ir.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";
import type { CollectedDirection } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { EndpointLayout } from "./layout-endpoints.ts";
import { buildLocalClasses, type LocalClasses } from "./local-classes.ts";
import type { NamedVectors } from "./named-ports.ts";
import { buildOpenRanges, type OpenRange, podRangeSigs } from "./pod-range.ts";
import { postings } from "./postings.ts";
import type { TableContext } from "./table-context.ts";

/** One direction's endpoints as *peers*: global classes (cluster-wide) and local classes (per namespace). */
export interface PeerClasses extends LocalClasses {
  /** Per (variant × endpoint): global class, −1 when the endpoint has no address of that variant. */
  readonly globalClass: Int32Array;
  readonly classCount: number;
  /** Per global class: its named-port vector id (egress; 0 for ingress, where named ports follow the subject). */
  readonly classNamed: Int32Array;
  /** Per global peer: the classes whose members it matches, ascending. */
  readonly classesOfPeer: readonly (readonly number[])[];
  /**
   * Address-less pods the pod range leaves open (docs/decisions.md #47): per pod `e` and family
   * variant `f`, `joinClass[f·P + e]` is its join class (−1: decided, or no range of `f`); its own
   * variant-2 class is the meet.
   */
  readonly joinClass: Int32Array;
  readonly opens: readonly OpenRange[];
  /** Per global peer: 1 when it matches some selectable pod (ipBlocks: always). For diagnostics. */
  readonly globalPeerHit: Uint8Array;
}

/**
 * Classify endpoints as peers. A pod's global signature is the set of global peers matching it;
 * its label part depends only on (the set of label peers selecting its namespace, its label set),
 * so it is computed once per such pair; its ipBlock part is its address class's. Classes are the
 * distinct (label part, ipBlock part, named vector) triples, numbered in endpoint order.
 */
export function buildPeerClasses(
  ctx: TableContext,
  collected: CollectedDirection,
  named: NamedVectors,
  egress: boolean,
): PeerClasses {
  const layout: EndpointLayout = ctx.layout;
  const P = layout.podCount;
  const E = layout.count;
  const peers = collected.globalPeers;
  const globalPeerHit = new Uint8Array(peers.length);
  const sigs = new IntSeqInterner();
  sigs.commit(); // 0: the empty signature

  const { classIpSig, range } = addressSignatures(ctx, peers, sigs, globalPeerHit);

  const labelSig = labelSignatures(ctx, peers, sigs, globalPeerHit);

  // Global classes: (label part, ipBlock part, named vector), numbered in endpoint order.
  const globalClass = new Int32Array(VARIANTS * E).fill(-1);
  const triples = new IntSeqInterner();
  const classNamed: number[] = [];
  const classesOfPeer: number[][] = peers.map(() => []);
  /** `own` < 0: a class of its own whose cells are computed, not filled (−1 meet, −2 − f join; `opens`). */
  const intern = (label: number, ip: number, vector: number, own = 0): number => {
    triples.push(label);
    triples.push(ip);
    triples.push(vector);
    if (own !== 0) triples.push(own);
    const before = triples.size;
    const c = triples.commit();
    if (c !== before) return c;
    classNamed.push(vector);
    // Label peers and ipBlock peers are disjoint, so the class's peers are both parts.
    for (let i = 0; i < sigs.length(label); i++) classesOfPeer[sigs.at(label, i)]!.push(c);
    for (let i = 0; i < sigs.length(ip); i++) classesOfPeer[sigs.at(ip, i)]!.push(c);
    return c;
  };
  const assign = (v: number, e: number, label: number, ip: number, vector: number): void => {
    globalClass[v * E + e] = intern(label, ip, vector);
  };
  // An address-less pod's class (variant 2) takes the pod range's decided ipBlock part; when the
  // range leaves it open, its possible classes are listed per family (after every endpoint's own).
  const rangeOf: (readonly [number, number, number])[] = [];
  for (let e = 0; e < P; e++) {
    if (layout.kind[e] !== KIND_POD) continue;
    const mask = layout.variantMask[e]!;
    const label = labelSig(e);
    const vector = egress ? named.vectorOf[e]! : 0;
    for (let v = 0; v < VARIANTS; v++) {
      if ((mask & (1 << v)) === 0) continue;
      if (v === 2) {
        const open = range.families !== undefined;
        globalClass[v * E + e] = intern(label, range.primary, vector, open ? -1 : 0);
        if (open) rangeOf.push([e, label, vector]);
        continue;
      }
      const ac = layout.podAddressClass[v as 0 | 1][e]!;
      assign(v, e, label, ctx.ipBlockMatchesPodIPs && ac >= 0 ? classIpSig[ac]! : 0, vector);
    }
  }
  for (let e = P; e < E; e++) assign(layout.primaryVariant[e]!, e, 0, classIpSig[e - P]!, 0);
  // A hostNetwork pod is its node's addresses: per family, the class of that address.
  for (let e = 0; e < P; e++) {
    if (layout.kind[e] === KIND_POD) continue;
    for (let v = 0; v < 2; v++) {
      const ac = layout.podAddressClass[v as 0 | 1][e]!;
      if (ac >= 0) globalClass[v * E + e] = globalClass[layout.primaryVariant[P + ac]! * E + P + ac]!;
    }
  }

  const { joinClass, opens } = buildOpenRanges(rangeOf, range, intern, (e) => globalClass[2 * E + e]!, P);

  const locals = buildLocalClasses(ctx, collected, named, egress);

  return {
    globalClass,
    classCount: triples.size,
    classNamed: Int32Array.from(classNamed),
    classesOfPeer,
    ...locals,
    joinClass,
    opens: [...opens.values()],
    globalPeerHit,
  };
}

/**
 * The address part of the global signatures, per address class: each address peer covers a
 * contiguous run of classes (the classes are cut at every CIDR boundary), minus its excepts; node
 * peers cover their nodes' address classes. Visiting peers in id order keeps every class's list
 * ascending, and the work is the classes each peer covers, not classes × peers. Also the pod
 * range's signatures (docs/decisions.md #46), and the hits of address and node peers.
 */
function addressSignatures(
  ctx: TableContext,
  peers: CollectedDirection["globalPeers"],
  sigs: IntSeqInterner,
  globalPeerHit: Uint8Array,
) {
  const layout = ctx.layout;
  const P = layout.podCount;
  const addressClasses = ctx.addresses.classes;
  const A = addressClasses.length;
  const perClass: number[][] = new Array<number[]>(A);
  // The same without `nodes` peers: what an address-less pod would match at such an address.
  // Only needed when some selectable pod has no address and ipBlocks match pods (#46).
  let addressLess = false;
  for (let e = 0; e < P && !addressLess; e++)
    addressLess = layout.kind[e] === KIND_POD && layout.variantMask[e] === 4;
  const ranged = addressLess && ctx.ipBlockMatchesPodIPs;
  const perClassCidr: number[][] = new Array<number[]>(ranged ? A : 0);
  const coverIn = (lists: number[][], j: number, id: number): void => {
    const list = lists[j];
    if (list === undefined) lists[j] = [id];
    else if (list[list.length - 1] !== id) list.push(id);
  };
  const cover = (j: number, id: number): void => coverIn(perClass, j, id);
  peers.forEach((peer, id) => {
    if (peer.kind === "labels") return;
    if (peer.kind === "nodes") {
      const set = new Set<number>();
      ctx.nodes.labels.forEach((labels, n) => {
        if (!matchesSelector(labels, peer.selector)) return;
        for (const ip of ctx.nodes.addresses[n]!) set.add(ctx.addresses.classOf(ip.family, ip.value));
      });
      if (set.size > 0) globalPeerHit[id] = 1;
      for (const j of [...set].sort((x, y) => x - y)) cover(j, id);
      return;
    }
    globalPeerHit[id] = 1;
    const { cidr, except } = peer;
    const first = ctx.addresses.classOf(cidr.family, cidr.first);
    const last = ctx.addresses.classOf(cidr.family, cidr.last);
    const holes = except.map(
      (x) => [ctx.addresses.classOf(x.family, x.first), ctx.addresses.classOf(x.family, x.last)] as const,
    );
    holes.sort((x, y) => x[0] - y[0]);
    let h = 0;
    for (let j = first; j <= last; j++) {
      while (h < holes.length && holes[h]![1] < j) h++;
      if (h < holes.length && holes[h]![0] <= j) {
        j = holes[h]![1];
        continue;
      }
      cover(j, id);
      if (ranged) coverIn(perClassCidr, j, id);
    }
  });
  const classIpSig = new Int32Array(A);
  for (let j = 0; j < A; j++) classIpSig[j] = perClass[j] === undefined ? 0 : sigs.internList(perClass[j]!);
  const classCidrSig = new Int32Array(ranged ? A : 0);
  for (let j = 0; j < classCidrSig.length; j++)
    classCidrSig[j] = perClassCidr[j] === undefined ? 0 : sigs.internList(perClassCidr[j]!);
  const range = podRangeSigs(ctx.addresses, ctx.podRanges, classCidrSig, sigs, ranged);

  return { classIpSig, range };
}

/**
 * The label part of the global signatures: per pod, the label peers matching it, which depends
 * only on (the label peers selecting its namespace, its label set) — computed once per such pair.
 */
function labelSignatures(
  ctx: TableContext,
  peers: CollectedDirection["globalPeers"],
  sigs: IntSeqInterner,
  globalPeerHit: Uint8Array,
): (pod: number) => number {
  const { universe } = ctx;
  const N = universe.nsPodStart.length - 1;
  // Label peers selecting each namespace, interned per namespace.
  const byNs = postings(N, (emit) => {
    peers.forEach((peer, id) => {
      if (peer.kind === "labels")
        for (const ns of universe.selectedNamespaces(peer.namespaceSelector)) emit(ns, id);
    });
  });
  const nsSig = new Int32Array(N);
  for (let n = 0; n < N; n++) nsSig[n] = sigs.internList(byNs.items, byNs.start[n]!, byNs.start[n + 1]!);

  // (namespace signature, label set) → label part, computed on first sight.
  const pairs = new IntSeqInterner();
  const labelSigOfPair: number[] = [];
  const labelSig = (pod: number): number => {
    const ns = nsSig[universe.podNamespace[pod]!]!;
    const set = universe.labelSetOf[pod]!;
    pairs.push(ns);
    pairs.push(set);
    const pair = pairs.commit();
    if (pair < labelSigOfPair.length) return labelSigOfPair[pair]!;
    for (let i = 0; i < sigs.length(ns); i++) {
      const id = sigs.at(ns, i);
      const peer = peers[id]!;
      if (peer.kind === "labels" && universe.podMember(peer.podSelector)[set] === 1) {
        sigs.push(id);
        globalPeerHit[id] = 1;
      }
    }
    const sig = sigs.commit();
    labelSigOfPair.push(sig);
    return sig;
  };

  return labelSig;
}
