// Whole-cluster reachability at identity level, over all port classes (issue 14's `reachability`
// metric): for every ordered pair of identities, the port classes it allows, read from the IR
// through ir/read-table.ts and ir/read-masks.ts — never per endpoint pair and port.
//
// Three parts, which together answer every ordered endpoint pair:
// * cross-namespace pairs (and pairs with an address endpoint): a source identity is what the
//   cross-namespace answer reads of a source — its address variants, its egress global block and
//   its ingress global classes —, a destination identity the same the other way round (ingress
//   block, egress classes). A pair reads two rows (the egress row of the source's block at the
//   destination's class, the ingress row of the destination's block at the source's class) out of
//   per-block row arrays built first, and ANDs their allow masks (bench/reach-cross.ts: per
//   source class one column of ingress rows, destinations reading one row counted as one);
// * same-namespace pairs, per namespace over its pods' full identities (groups, global and local
//   classes): allow | (open & local) per direction, as `directionMaskInto`;
// * sources that are a node's address: source identities of their own (one per node address
//   class), read as above, and besides, per such source, one all-allowed pair per destination
//   identity with a pod on that node (the own-node rule: ingress from the pod's own node).
// Pairs of two addresses have no subject in either direction: allowed, counted, not read.
//
// What it counts: the identity pairs read, those allowing some port class, and a checksum of the
// masks. `maskOf(src, dst)` answers one endpoint pair from the same structures, for the check
// against `allowsIndex` (outside the timing). Tables with address-less pods whose pod range is left
// open (join classes, docs/decisions.md #47) are not covered (the scenarios have none).
import { KIND_POD, type PolicyTableIR, VARIANTS } from "../src/ir/policy-table-ir.ts";
import type { PortMasks } from "../src/ir/read-masks.ts";
import { blockRow, isOwnNode, localRow } from "../src/ir/read-table.ts";
import { crossPart, type Tally, tally } from "./reach-cross.ts";
import {
  type BlockRows,
  type CrossIdentities,
  type CrossSide,
  crossIdentities,
  DENSE_INTS,
  internKeys,
  rowAt,
  variantClasses,
} from "./reach-identities.ts";
import { type FoldInput, foldNamespace } from "./reach-namespace.ts";
import { pairAllows, pairSum, reachRows } from "./reach-rows.ts";

export interface ReachabilityCounts {
  readonly sourceIdentities: number;
  readonly destinationIdentities: number;
  readonly crossPairs: number;
  readonly crossAllowed: number;
  /** The cross part's share of `checksum`. */
  readonly crossChecksum: number;
  readonly namespaceIdentities: number;
  readonly namespacePairs: number;
  readonly namespaceAllowed: number;
  /** Source identities that are a node's address, and their own-node pairs (allowed at every port). */
  readonly nodeSources: number;
  readonly ownNodePairs: number;
  /** Identity pairs of two addresses: no subject on either side, allowed without a read. */
  readonly addressPairs: number;
  readonly pairs: number;
  readonly allowed: number;
  readonly checksum: number;
}

/** The structures a reachability pass reads, built from the IR (part of the timed work). */
export interface ReachabilityIndex {
  readonly ir: PolicyTableIR;
  readonly masks: PortMasks;
  run(): ReachabilityCounts;
  /** One endpoint pair's allowed port classes (words), through the identities: for checks. */
  maskOf(src: number, dst: number): Int32Array;
}

/**
 * `denseInts`: where sparse blocks are read in place (reach-identities.ts `DENSE_INTS`);
 * `foldNamespaces`: same-namespace identities alike folded (reach-namespace.ts). Tests set both
 * ways; the metric uses the defaults.
 */
export function reachabilityIndex(
  ir: PolicyTableIR,
  denseInts = DENSE_INTS,
  foldNamespaces = true,
): ReachabilityIndex {
  const E = ir.kind.length;
  for (let i = 0; i < ir.egress.joinClass.length; i++)
    if (ir.egress.joinClass[i]! >= 0 || ir.ingress.joinClass[i]! >= 0)
      throw new Error("reachability: address-less pods with an open pod range are not covered");
  const rows = reachRows(ir);
  const { masks: m, W } = rows;
  const eg = ir.egress;
  const ig = ir.ingress;
  const vc = variantClasses(ir);
  const VC = vc.rep.length;
  const x = crossIdentities(ir, vc, rows.ALL, rows.NONE, denseInts);
  const { src, dst } = x;
  const isPod = (e: number): boolean => ir.kind[e] === KIND_POD;

  // Same-namespace identities: per namespace, its pods' full identities — the cross identities
  // and the groups and local classes the same-namespace cells add.
  const NK = 7;
  const nsKeys = new Int32Array(E * NK);
  const pods = new Uint8Array(E);
  for (let e = 0; e < E; e++) {
    if (!isPod(e)) continue;
    pods[e] = 1;
    const at = e * NK;
    nsKeys[at] = ir.namespace[e]!;
    nsKeys[at + 1] = src.ids.of[e]!;
    nsKeys[at + 2] = dst.ids.of[e]!;
    nsKeys[at + 3] = eg.group[e]!;
    nsKeys[at + 4] = ig.group[e]!;
    nsKeys[at + 5] = eg.localClass[e]!;
    nsKeys[at + 6] = ig.localClass[e]!;
  }
  const ns = internKeys(nsKeys, NK, pods);
  const nsMembers = new Map<number, number[]>(); // namespace → its identity ids
  for (let i = 0; i < ns.rep.length; i++) {
    const n = ir.namespace[ns.rep[i]!]!;
    const list = nsMembers.get(n);
    if (list === undefined) nsMembers.set(n, [i]);
    else list.push(i);
  }
  const nodeSourceIds = ownNodeSources(ir, x);

  /** The derived row id of one direction of a same-namespace pod pair: allow | (open & local). */
  const sameRow = (dir: typeof eg, subject: number, peer: number, v: number): number => {
    const g = dir.group[subject]!;
    const c = dir.globalClass[v * E + peer]!;
    return rows.derive(c < 0 ? -1 : blockRow(dir, g, c), localRow(dir, g, peer));
  };
  /**
   * `sameRow`'s mask when a mask is one word, the global row read from the cross part's row
   * arrays (a pod's cross identities carry its block and classes): subject side `own`, peer side `other`.
   */
  const sameWord = (
    dir: typeof eg,
    blocks: BlockRows,
    own: CrossSide,
    other: CrossSide,
    subject: number,
    peer: number,
    v: number,
  ): number => {
    const local = m.allow[localRow(dir, dir.group[subject]!, peer)]!;
    const row = rowAt(
      blocks,
      own.base[own.ids.of[subject]!]!,
      other.cls[other.ids.of[peer]! * VARIANTS + v]!,
    );
    return row === rows.NONE ? local : m.allow[row]! | (m.open[row]! & local);
  };
  const fold: FoldInput = {
    ir,
    rep: ns.rep,
    count: ns.count,
    vc,
    sameRow,
    and: rows.and,
  };
  const namespacePart = (): Tally => {
    const t = tally();
    for (const ids of nsMembers.values()) {
      // Wide masks: a pair costs a memo lookup or a word loop; identities alike are folded first.
      if (W > 1 && foldNamespaces && foldNamespace(fold, ids, t)) continue;
      for (const a of ids)
        for (const b of ids) {
          if (a === b && ns.count[a] === 1) continue; // one pod: its pair with itself
          t.pairs++;
          const sa = ns.rep[a]!;
          const sb = ns.rep[b]!;
          const v = vc.pairVariant[vc.of[sa]! * VC + vc.of[sb]!]!;
          if (v < 0) continue;
          if (W === 1) {
            // One word: the two directions' masks directly, no derived row ids (as `and` would).
            const mask =
              sameWord(eg, x.rowsE, src, dst, sa, sb, v) & sameWord(ig, x.rowsI, dst, src, sb, sa, v);
            t.checksum = (t.checksum + mask) | 0;
            t.allowed += mask === 0 ? 0 : 1;
            continue;
          }
          const code = rows.and(sameRow(eg, sa, sb, v), sameRow(ig, sb, sa, v));
          t.checksum = (t.checksum + pairSum(code)) | 0;
          t.allowed += pairAllows(code);
        }
    }
    return t;
  };
  const nodePart = (): Tally => {
    const t = tally();
    for (const [, own] of nodeSourceIds) {
      t.pairs += own;
      t.checksum = (t.checksum + Math.imul(own, rows.allSum)) | 0;
    }
    t.allowed = t.pairs;
    return t;
  };
  const run = (): ReachabilityCounts => {
    const { cross, free } = crossPart(ir, rows, x, vc.rep, vc.pairVariant);
    const same = namespacePart();
    const node = nodePart();
    const parts = [cross, same, node, free];
    return {
      sourceIdentities: src.ids.rep.length,
      destinationIdentities: dst.ids.rep.length,
      crossPairs: cross.pairs,
      crossAllowed: cross.allowed,
      crossChecksum: cross.checksum,
      namespaceIdentities: ns.rep.length,
      namespacePairs: same.pairs,
      namespaceAllowed: same.allowed,
      nodeSources: nodeSourceIds.length,
      ownNodePairs: node.pairs,
      addressPairs: free.pairs,
      pairs: parts.reduce((n, p) => n + p.pairs, 0),
      allowed: parts.reduce((n, p) => n + p.allowed, 0),
      checksum: parts.reduce((n, p) => (n + p.checksum) | 0, 0),
    };
  };

  const eMask = new Int32Array(W);
  const iMask = new Int32Array(W);
  /** One direction of a same-namespace pod pair into `out`: allow | (open & local). */
  const sameDir = (dir: typeof eg, subject: number, peer: number, v: number, out: Int32Array): void => {
    const g = dir.group[subject]!;
    const c = dir.globalClass[v * E + peer]!;
    const row = c < 0 ? -1 : blockRow(dir, g, c);
    const local = localRow(dir, g, peer) * W;
    for (let w = 0; w < W; w++)
      out[w] =
        row < 0 ? m.allow[local + w]! : m.allow[row * W + w]! | (m.open[row * W + w]! & m.allow[local + w]!);
  };
  const maskOf = (s: number, d: number): Int32Array => {
    const out = new Int32Array(W);
    const v = vc.pairVariant[vc.of[s]! * VC + vc.of[d]!]!;
    if (v < 0) return out;
    if (x.nodeSource[s] === 1 && isPod(d) && isOwnNode(ir, d, s)) {
      out.set(m.all);
      return out;
    }
    if (isPod(s) && isPod(d) && ir.namespace[s] === ir.namespace[d]) {
      const sa = ns.rep[ns.of[s]!]!;
      const sb = ns.rep[ns.of[d]!]!;
      sameDir(eg, sa, sb, v, eMask);
      sameDir(ig, sb, sa, v, iMask);
      for (let w = 0; w < W; w++) out[w] = eMask[w]! & iMask[w]!;
      return out;
    }
    const a = src.ids.of[s]!;
    const b = dst.ids.of[d]!;
    const er = rows.rows[rowAt(x.rowsE, src.base[a]!, dst.cls[b * VARIANTS + v]!)]!;
    const irow = rows.rows[rowAt(x.rowsI, dst.base[b]!, src.cls[a * VARIANTS + v]!)]!;
    for (let w = 0; w < W; w++) out[w] = er[w]! & irow[w]!;
    return out;
  };
  return { ir, masks: m, run, maskOf };
}

/**
 * Sources that are a node's address, each with its own-node pairs: the destination identities
 * with a pod on that node (ingress from the pod's own node is allowed at every port).
 */
function ownNodeSources(ir: PolicyTableIR, x: CrossIdentities): [number, number][] {
  const E = ir.kind.length;
  const D = x.dst.ids.rep.length;
  const ids: number[] = [];
  for (let i = 0; i < x.src.ids.rep.length; i++) if (x.nodeSource[x.src.ids.rep[i]!] === 1) ids.push(i);
  const ownPairs = new Int32Array(ir.nodes.length); // per node: destination identities with a pod on it
  if (ids.length > 0) {
    const seen = new Uint8Array(ir.nodes.length * D);
    for (let e = 0; e < E; e++) {
      const k = ir.node[e]!;
      const d = x.dst.ids.of[e]!;
      if (ir.kind[e] !== KIND_POD || k < 0 || seen[k * D + d] === 1) continue;
      seen[k * D + d] = 1;
      ownPairs[k]!++;
    }
  }
  return ids.map((i) => [i, ownPairs[ir.node[x.src.ids.rep[i]!]!]!]);
}

/** The whole computation, as the metric times it: build the index from the IR, then read every identity pair. */
export function identityReachability(ir: PolicyTableIR): ReachabilityCounts {
  return reachabilityIndex(ir).run();
}
