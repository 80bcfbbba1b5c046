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
//   per-block row arrays built first, and ANDs their allow masks — destinations grouped by their
//   egress class, so that one read of the egress row settles every pair it closes;
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
import { IntSeqInterner } from "../src/compile/int-seq-interner.ts";
import { KIND_POD, type PolicyTableIR, VARIANTS } from "../src/ir/policy-table-ir.ts";
import { readsNode } from "../src/ir/read-identities.ts";
import { flowVariant, type PortMasks, portMasks } from "../src/ir/read-masks.ts";
import { blockRow, isOwnNode, localRow } from "../src/ir/read-table.ts";

export interface ReachabilityCounts {
  readonly sourceIdentities: number;
  readonly destinationIdentities: number;
  readonly crossPairs: number;
  readonly crossAllowed: number;
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

/** Per identity: representative endpoint and member count. */
interface Interned {
  readonly of: Int32Array; // endpoint → identity id (−1: not in this part)
  readonly rep: number[];
  readonly count: number[];
}

/** Endpoints with equal keys (the ints `key` pushes) get one identity; ids dense, in order of first appearance. */
function intern(
  E: number,
  include: (e: number) => boolean,
  key: (e: number, out: IntSeqInterner) => void,
): Interned {
  const seqs = new IntSeqInterner();
  const of = new Int32Array(E).fill(-1);
  const rep: number[] = [];
  const count: number[] = [];
  for (let e = 0; e < E; e++) {
    if (!include(e)) continue;
    key(e, seqs);
    const id = seqs.commit();
    if (id === rep.length) {
      rep.push(e);
      count.push(0);
    }
    count[id]!++;
    of[e] = id;
  }
  return { of, rep, count };
}

/** The structures a reachability pass reads, built from the IR (part of the timed work). */
export interface ReachabilityIndex {
  readonly ir: PolicyTableIR;
  readonly masks: PortMasks;
  run(): ReachabilityCounts;
  /** One endpoint pair's allowed port classes (words), through the identities: for checks. */
  maskOf(src: number, dst: number): Int32Array;
}

export function reachabilityIndex(ir: PolicyTableIR): ReachabilityIndex {
  const E = ir.kind.length;
  for (let i = 0; i < ir.egress.joinClass.length; i++)
    if (ir.egress.joinClass[i]! >= 0 || ir.ingress.joinClass[i]! >= 0)
      throw new Error("reachability: address-less pods with an open pod range are not covered");
  const m = portMasks(ir);
  const W = m.words;
  const R = m.allow.length / W; // rows; R: every class, R + 1: none
  // W = 1: one array of every row's mask, ALL and NONE at the end (the cross loop reads it);
  // more words: the rows stay where portMasks put them (`masks` below), ALL and NONE beside.
  const allow = new Int32Array(W === 1 ? R + 2 : 0);
  if (W === 1) {
    allow.set(m.allow);
    allow[R] = m.all[0]!;
  }
  const ALL = R;
  const NONE = R + 1;
  // Rows as ids: the IR's rows, ALL, NONE, then rows derived for same-namespace pairs
  // (allow | (open & local)). Per row: whether it allows some class and the sum of its words (the
  // checksum's share), so that a pair whose other side is ALL costs no word loop, and a pair of
  // two rows is combined once per distinct pair (memo) when a mask has more than one word.
  const masks: Int32Array[] = [];
  for (let r = 0; r < R; r++) masks.push(m.allow.subarray(r * W, (r + 1) * W));
  masks.push(m.all, new Int32Array(W));
  const rowAny: number[] = [];
  const rowSum: number[] = [];
  const summarize = (mask: Int32Array): void => {
    let any = 0;
    let sum = 0;
    for (let w = 0; w < W; w++) {
      any |= mask[w]!;
      sum = (sum + mask[w]!) | 0;
    }
    rowAny.push(any === 0 ? 0 : 1);
    rowSum.push(sum);
  };
  for (const mask of masks) summarize(mask);
  const derived = new Map<number, number>();
  /** The row id of allow[g] | (open[g] & allow[l]) (g < 0: open everywhere, i.e. allow[l]). */
  const derive = (g: number, l: number): number => {
    if (g < 0) return l;
    const key = g * (R + 2) + l;
    let id = derived.get(key);
    if (id === undefined) {
      const out = new Int32Array(W);
      for (let w = 0; w < W; w++) out[w] = m.allow[g * W + w]! | (m.open[g * W + w]! & m.allow[l * W + w]!);
      id = masks.length;
      masks.push(out);
      summarize(out);
      derived.set(key, id);
    }
    return id;
  };
  const pairs = new Map<number, number>(); // row pair → 2·sum + any, for W > 1
  let pairAny = 0;
  /** Combine rows a and b: returns the checksum share of a & b and sets `pairAny`. */
  const and = (a: number, b: number): number => {
    if (a === ALL || b === ALL) {
      const r = a === ALL ? b : a;
      pairAny = rowAny[r]!;
      return rowSum[r]!;
    }
    if (W === 1) {
      const x = masks[a]![0]! & masks[b]![0]!;
      pairAny = x === 0 ? 0 : 1;
      return x;
    }
    const key = a * 67108864 + b;
    let code = pairs.get(key);
    if (code === undefined) {
      const x = masks[a]!;
      const y = masks[b]!;
      let any = 0;
      let sum = 0;
      for (let w = 0; w < W; w++) {
        const v = x[w]! & y[w]!;
        any |= v;
        sum = (sum + v) | 0;
      }
      code = sum * 2 + (any === 0 ? 0 : 1);
      pairs.set(key, code);
    }
    pairAny = code & 1;
    return (code - (code & 1)) / 2;
  };
  const eg = ir.egress;
  const ig = ir.ingress;
  const nodeSource = Uint8Array.from({ length: E }, (_, e) => (readsNode(ir, e) ? 1 : 0));

  // Variant classes: (kind, primary variant, variant mask); the flow's variant per pair of them.
  const vclassOf = new Int32Array(E);
  const vclassRep: number[] = [];
  {
    const seen = new Map<number, number>();
    for (let e = 0; e < E; e++) {
      const key = ir.kind[e]! * 64 + ir.primaryVariant[e]! * 8 + ir.variantMask[e]!;
      let id = seen.get(key);
      if (id === undefined) {
        seen.set(key, (id = vclassRep.length));
        vclassRep.push(e);
      }
      vclassOf[e] = id;
    }
  }
  const VC = vclassRep.length;
  const pairVariant = new Int32Array(VC * VC);
  for (let a = 0; a < VC; a++)
    for (let b = 0; b < VC; b++) pairVariant[a * VC + b] = flowVariant(ir, vclassRep[a]!, vclassRep[b]!);

  // Global blocks by their base (shared blocks share it): dense ids, a representative group each.
  const blockIds = (dir: typeof eg): { id: Int32Array; group: number[] } => {
    const byBase = new Map<number, number>();
    const id = new Int32Array(dir.globalBase.length);
    const group: number[] = [];
    for (let g = 0; g < dir.globalBase.length; g++) {
      const base = dir.globalBase[g]!;
      let b = byBase.get(base);
      if (b === undefined) {
        byBase.set(base, (b = group.length));
        group.push(g);
      }
      id[g] = b;
    }
    return { id, group };
  };
  const eBlocks = blockIds(eg);
  const iBlocks = blockIds(ig);
  const isPod = (e: number): boolean => ir.kind[e] === KIND_POD;
  // Source identities (cross part): variant class, the node of a node's address (the own-node
  // rule), egress block (−1: not a pod, free), ingress classes.
  const src = intern(
    E,
    () => true,
    (e, k) => {
      k.push(vclassOf[e]!);
      k.push(nodeSource[e] === 1 ? ir.node[e]! : -1);
      k.push(isPod(e) ? eBlocks.id[eg.group[e]!]! : -1);
      k.push(ig.globalClass[e]!);
      k.push(ig.globalClass[E + e]!);
      k.push(ig.globalClass[2 * E + e]!);
    },
  );
  const dst = intern(
    E,
    () => true,
    (e, k) => {
      k.push(vclassOf[e]!);
      k.push(isPod(e) ? iBlocks.id[ig.group[e]!]! : -1);
      k.push(eg.globalClass[e]!);
      k.push(eg.globalClass[E + e]!);
      k.push(eg.globalClass[2 * E + e]!);
    },
  );
  // Row arrays per block: (blocks + 1) × (classes + 1); the last block is "free" (ALL), the last
  // class "no class in this variant" (NONE: open everywhere, and no local rule across namespaces).
  const rowArrays = (dir: typeof eg, blocks: { group: number[] }, used: Set<number>): Int32Array => {
    const C = dir.globalClassCount + 1;
    const nb = blocks.group.length;
    if ((nb + 1) * C > 2 ** 27) throw new Error(`reachability: ${nb} blocks × ${C} classes is too large`);
    const out = new Int32Array((nb + 1) * C).fill(ALL);
    for (const b of used) {
      const g = blocks.group[b]!;
      for (let c = 0; c < C - 1; c++) out[b * C + c] = blockRow(dir, g, c);
      out[b * C + C - 1] = NONE;
    }
    return out;
  };
  const usedE = new Set<number>();
  for (const e of src.rep) if (isPod(e)) usedE.add(eBlocks.id[eg.group[e]!]!);
  const usedI = new Set<number>();
  for (const e of dst.rep) if (isPod(e)) usedI.add(iBlocks.id[ig.group[e]!]!);
  const CE = eg.globalClassCount + 1;
  const CI = ig.globalClassCount + 1;
  const rowsE = rowArrays(eg, eBlocks, usedE);
  const rowsI = rowArrays(ig, iBlocks, usedI);
  const S = src.rep.length;
  const D = dst.rep.length;
  // Per identity and variant: the row-array offsets the inner loop adds.
  const srcBase = new Int32Array(S); // egress block offset into rowsE
  const srcClass = new Int32Array(S * VARIANTS); // ingress class (or CI − 1)
  const srcV = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    const e = src.rep[s]!;
    srcBase[s] = (isPod(e) ? eBlocks.id[eg.group[e]!]! : eBlocks.group.length) * CE;
    for (let v = 0; v < VARIANTS; v++) {
      const c = ig.globalClass[v * E + e]!;
      srcClass[s * VARIANTS + v] = c < 0 ? CI - 1 : c;
    }
    srcV[s] = vclassOf[e]!;
  }
  const dstBase = new Int32Array(D);
  const dstClass = new Int32Array(D * VARIANTS);
  const dstV = new Int32Array(D);
  for (let d = 0; d < D; d++) {
    const e = dst.rep[d]!;
    dstBase[d] = (isPod(e) ? iBlocks.id[ig.group[e]!]! : iBlocks.group.length) * CI;
    for (let v = 0; v < VARIANTS; v++) {
      const c = eg.globalClass[v * E + e]!;
      dstClass[d * VARIANTS + v] = c < 0 ? CE - 1 : c;
    }
    dstV[d] = vclassOf[e]!;
  }
  // Identities split by variant class, so that the inner loop reads one class array.
  const byV = (vs: Int32Array, n: number): number[][] => {
    const out: number[][] = Array.from({ length: VC }, () => []);
    for (let i = 0; i < n; i++) out[vs[i]!]!.push(i);
    return out;
  };
  const srcByV = byV(srcV, S);
  const dstByV = byV(dstV, D);

  // Same-namespace identities: per namespace, its pods' full identities.
  const ns = intern(
    E,
    (e) => isPod(e),
    (e, k) => {
      // Within a namespace: the cross identities (variant class, blocks, global classes) and the
      // groups and local classes the same-namespace cells add.
      k.push(ir.namespace[e]!);
      k.push(src.of[e]!);
      k.push(dst.of[e]!);
      k.push(eg.group[e]!);
      k.push(ig.group[e]!);
      k.push(eg.localClass[e]!);
      k.push(ig.localClass[e]!);
    },
  );
  const nsMembers = new Map<number, number[]>(); // namespace → its identity ids
  for (let i = 0; i < ns.rep.length; i++) {
    const n = ir.namespace[ns.rep[i]!]!;
    const list = nsMembers.get(n);
    if (list === undefined) nsMembers.set(n, [i]);
    else list.push(i);
  }
  // Node sources: per node, the destination identities with a pod on it (own-node pairs).
  const nodeSourceIds: number[] = [];
  for (let i = 0; i < src.rep.length; i++) if (nodeSource[src.rep[i]!] === 1) nodeSourceIds.push(i);
  const ownPairs = new Int32Array(ir.nodes.length); // per node: destination identities with a pod on it
  if (nodeSourceIds.length > 0) {
    const seen = new Uint8Array(ir.nodes.length * D);
    for (let e = 0; e < E; e++) {
      const k = ir.node[e]!;
      if (!isPod(e) || k < 0 || seen[k * D + dst.of[e]!] === 1) continue;
      seen[k * D + dst.of[e]!] = 1;
      ownPairs[k]!++;
    }
  }
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
  /** The derived row id of one direction of a same-namespace pod pair (`sameDir` as a row). */
  const sameRow = (dir: typeof eg, subject: number, peer: number, v: number): number => {
    const g = dir.group[subject]!;
    const c = dir.globalClass[v * E + peer]!;
    return derive(c < 0 ? -1 : blockRow(dir, g, c), localRow(dir, g, peer));
  };
  const run = (): ReachabilityCounts => {
    let crossPairs = 0;
    let crossAllowed = 0;
    let freePairs = 0;
    let checksum = 0;
    let allSum = 0;
    for (let w = 0; w < W; w++) allSum = (allSum + m.all[w]!) | 0;
    for (let a = 0; a < VC; a++)
      for (let b = 0; b < VC; b++) {
        const ss = srcByV[a]!;
        const ds = dstByV[b]!;
        const v = pairVariant[a * VC + b]!;
        if (v < 0) {
          crossPairs += ss.length * ds.length; // unknown: no address of a common family
          continue;
        }
        if (!isPod(vclassRep[a]!) && !isPod(vclassRep[b]!)) {
          // Two addresses: neither direction has a subject, every port is allowed (no read).
          freePairs += ss.length * ds.length;
          checksum = (checksum + Math.imul(ss.length * ds.length, allSum)) | 0;
          continue;
        }
        crossPairs += ss.length * ds.length;
        // Destinations grouped by their egress class in v: a source reads its egress row once per
        // group, and a group its egress row closes is settled by that one read (mask 0).
        const byClass = new Map<number, number[]>();
        for (const d of ds) {
          const c = dstClass[d * VARIANTS + v]!;
          const list = byClass.get(c);
          if (list === undefined) byClass.set(c, [d]);
          else list.push(d);
        }
        const classes = Int32Array.from(byClass.keys());
        const groupStart = new Int32Array(classes.length + 1);
        const dOff = new Int32Array(ds.length);
        {
          let at = 0;
          classes.forEach((c, i) => {
            groupStart[i] = at;
            for (const d of byClass.get(c)!) dOff[at++] = dstBase[d]!;
          });
          groupStart[classes.length] = at;
        }
        for (const s of ss) {
          const sOff = srcBase[s]!;
          const sCls = srcClass[s * VARIANTS + v]!;
          for (let g = 0; g < classes.length; g++) {
            const er = rowsE[sOff + classes[g]!]!;
            if (rowAny[er] === 0) continue;
            const to = groupStart[g + 1]!;
            if (W === 1) {
              const em = allow[er]!;
              for (let j = groupStart[g]!; j < to; j++) {
                const mask = em & allow[rowsI[dOff[j]! + sCls]!]!;
                crossAllowed += mask === 0 ? 0 : 1;
                checksum = (checksum + mask) | 0;
              }
            } else
              for (let j = groupStart[g]!; j < to; j++) {
                checksum = (checksum + and(er, rowsI[dOff[j]! + sCls]!)) | 0;
                crossAllowed += pairAny;
              }
          }
        }
      }
    let namespacePairs = 0;
    let namespaceAllowed = 0;
    for (const ids of nsMembers.values())
      for (const a of ids)
        for (const b of ids) {
          if (a === b && ns.count[a] === 1) continue; // one pod: its pair with itself
          namespacePairs++;
          const sa = ns.rep[a]!;
          const sb = ns.rep[b]!;
          const v = pairVariant[vclassOf[sa]! * VC + vclassOf[sb]!]!;
          if (v < 0) continue;
          checksum = (checksum + and(sameRow(eg, sa, sb, v), sameRow(ig, sb, sa, v))) | 0;
          namespaceAllowed += pairAny;
        }
    let nodePairs = 0;
    for (const i of nodeSourceIds) {
      const own = ownPairs[ir.node[src.rep[i]!]!]!;
      nodePairs += own;
      checksum = (checksum + Math.imul(own, allSum)) | 0;
    }
    return {
      sourceIdentities: S,
      destinationIdentities: D,
      crossPairs,
      crossAllowed,
      namespaceIdentities: ns.rep.length,
      namespacePairs,
      namespaceAllowed,
      nodeSources: nodeSourceIds.length,
      ownNodePairs: nodePairs,
      addressPairs: freePairs,
      pairs: crossPairs + namespacePairs + nodePairs + freePairs,
      allowed: crossAllowed + namespaceAllowed + nodePairs + freePairs,
      checksum,
    };
  };

  const maskOf = (s: number, d: number): Int32Array => {
    const out = new Int32Array(W);
    const v = pairVariant[vclassOf[s]! * VC + vclassOf[d]!]!;
    if (v < 0) return out;
    if (nodeSource[s] === 1 && isPod(d) && isOwnNode(ir, d, s)) {
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
    const a = src.of[s]!;
    const b = dst.of[d]!;
    const er = masks[rowsE[srcBase[a]! + dstClass[b * VARIANTS + v]!]!]!;
    const irow = masks[rowsI[dstBase[b]! + srcClass[a * VARIANTS + v]!]!]!;
    for (let w = 0; w < W; w++) out[w] = er[w]! & irow[w]!;
    return out;
  };
  return { ir, masks: m, run, maskOf };
}

/** The whole computation, as the metric times it: build the index from the IR, then read every identity pair. */
export function identityReachability(ir: PolicyTableIR): ReachabilityCounts {
  return reachabilityIndex(ir).run();
}
