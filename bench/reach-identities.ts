// The identities the reachability pass reads (bench/reachability.ts): endpoints that every read of
// the pass answers alike, interned to dense ids, and what the cross-namespace loop adds per
// identity. A source identity is what the cross-namespace answer reads of a source — its address
// variants, the node of a node's address (the own-node rule), its egress global block and its
// ingress global classes —, a destination identity the same the other way round (ingress block,
// egress classes).
import { type IRDirection, KIND_POD, type PolicyTableIR, VARIANTS } from "../src/ir/policy-table-ir.ts";
import { readsNode } from "../src/ir/read-identities.ts";
import { flowVariant } from "../src/ir/read-masks.ts";
import { blockRow, blockRowsInto, type GlobalBlock, globalBlock } from "../src/ir/read-table.ts";

/** Per identity: representative endpoint and member count. */
export interface Interned {
  readonly of: Int32Array; // endpoint → identity id (−1: not in this part)
  readonly rep: number[];
  readonly count: number[];
}

/**
 * Endpoints with equal keys get one identity; ids dense, in order of first appearance. `keys`
 * holds K ints per endpoint (`keys[e * K …]`), written by the caller in its own loop — no
 * callback per endpoint, the hashing here one tight loop; `include[e] === 0` leaves e out (−1).
 */
export function internKeys(keys: Int32Array, K: number, include?: Uint8Array): Interned {
  const E = keys.length / K;
  const of = new Int32Array(E).fill(-1);
  const rep: number[] = [];
  const count: number[] = [];
  let table = new Int32Array(64); // open addressing, linear probing: id + 1, 0 = empty
  let hashes = new Int32Array(32);
  const insert = (t: Int32Array, h: number, id: number): void => {
    const mask = t.length - 1;
    let slot = h & mask;
    while (t[slot] !== 0) slot = (slot + 1) & mask;
    t[slot] = id + 1;
  };
  for (let e = 0; e < E; e++) {
    if (include !== undefined && include[e] === 0) continue;
    const at = e * K;
    let h = K ^ 0x2545f491;
    for (let i = at; i < at + K; i++) h = Math.imul(h ^ keys[i]!, 0x9e3779b1) ^ (h >>> 15);
    h ^= h >>> 13;
    const mask = table.length - 1;
    let id = -1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) break;
      if (hashes[entry - 1] !== h) continue;
      const other = rep[entry - 1]! * K;
      let i = 0;
      while (i < K && keys[other + i] === keys[at + i]) i++;
      if (i === K) {
        id = entry - 1;
        break;
      }
    }
    if (id < 0) {
      id = rep.length;
      rep.push(e);
      count.push(0);
      if (id >= hashes.length) {
        const next = new Int32Array(hashes.length * 2);
        next.set(hashes);
        hashes = next;
      }
      hashes[id] = h;
      if (rep.length * 2 > table.length) {
        table = new Int32Array(table.length * 2);
        for (let j = 0; j < rep.length; j++) insert(table, hashes[j]!, j);
      } else insert(table, h, id);
    }
    count[id]!++;
    of[e] = id;
  }
  return { of, rep, count };
}

/** Variant classes — (kind, primary variant, variant mask) — and the flow's variant per pair of them. */
export interface VariantClasses {
  readonly of: Int32Array;
  readonly rep: number[];
  /** `pairVariant[a * rep.length + b]`: the variant of a flow from class a to class b, −1: none. */
  readonly pairVariant: Int32Array;
}

export function variantClasses(ir: PolicyTableIR): VariantClasses {
  const E = ir.kind.length;
  const of = new Int32Array(E);
  const rep: number[] = [];
  const seen = new Map<number, number>();
  for (let e = 0; e < E; e++) {
    const key = ir.kind[e]! * 64 + ir.primaryVariant[e]! * 8 + ir.variantMask[e]!;
    let id = seen.get(key);
    if (id === undefined) {
      seen.set(key, (id = rep.length));
      rep.push(e);
    }
    of[e] = id;
  }
  const VC = rep.length;
  const pairVariant = new Int32Array(VC * VC);
  for (let a = 0; a < VC; a++)
    for (let b = 0; b < VC; b++) pairVariant[a * VC + b] = flowVariant(ir, rep[a]!, rep[b]!);
  return { of, rep, pairVariant };
}

/** Global blocks by their base (shared blocks share it): dense ids, a representative group each. */
function blockIds(dir: IRDirection): { id: Int32Array; group: number[] } {
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
}

/**
 * A direction's blocks as the pass reads them. A block the IR stores dense is a row array of C =
 * classes + 1 entries in `dense` (the last class "no class in this variant": NONE, open everywhere
 * and no local rule across namespaces), and so is the "free" block (ALL: the side is not a pod); a
 * block the IR stores sparse stays its default row and exceptions (`globalBlock`), read in place,
 * where the dense arrays would pass `DENSE_INTS`, and is made dense otherwise.
 * A base ≥ 0 is an offset into `dense`, −1 − i sparse block i.
 */
export interface BlockRows {
  readonly dense: Int32Array;
  readonly sparse: GlobalBlock[];
  /** Per sparse block: a group holding it, for `blockRow` of the direction `dir`. */
  readonly sparseGroup: number[];
  readonly dir: IRDirection;
  readonly C: number;
  readonly NONE: number;
}

/** The row of the block at `base` for class `c` (C − 1: no class). */
export function rowAt(b: BlockRows, base: number, c: number): number {
  if (base >= 0) return b.dense[base + c]!;
  if (c === b.C - 1) return b.NONE;
  return blockRow(b.dir, b.sparseGroup[-1 - base]!, c);
}

/** Row arrays up to this many ints hold every block dense, sparse ones too (`denseInts` to test the other way). */
export const DENSE_INTS = 2 ** 22;

/** The blocks `used` read from the IR, and per block id its base (id `group.length`: the free block). */
function blockRows(
  dir: IRDirection,
  blocks: { group: number[] },
  used: Set<number>,
  ALL: number,
  NONE: number,
  denseInts: number,
): { rows: BlockRows; baseOf: Int32Array } {
  const C = dir.globalClassCount + 1;
  const nb = blocks.group.length;
  const baseOf = new Int32Array(nb + 1);
  const sparse: GlobalBlock[] = [];
  const sparseGroup: number[] = [];
  // Sparse blocks are read in place only when the dense arrays would be large: a dense read is
  // one load, a sparse one a binary search.
  const inPlace = (used.size + 1) * C > denseInts;
  let dense = 0;
  for (const b of [...used].sort((p, q) => p - q)) {
    const block = globalBlock(dir, blocks.group[b]!);
    if (block.classes === undefined || !inPlace) baseOf[b] = dense++ * C;
    else {
      for (let i = 1; i < block.classes.length; i++)
        if (block.classes[i - 1]! >= block.classes[i]!)
          throw new Error("reachability: a sparse block's classes are not ascending");
      baseOf[b] = -1 - sparse.length;
      sparse.push(block);
      sparseGroup.push(blocks.group[b]!);
    }
  }
  baseOf[nb] = dense * C;
  if ((dense + 1) * C > 2 ** 27)
    throw new Error(`reachability: ${dense} dense blocks × ${C} classes is too large`);
  const out = new Int32Array((dense + 1) * C).fill(ALL);
  for (const b of used) {
    const at = baseOf[b]!;
    if (at < 0) continue;
    blockRowsInto(dir, blocks.group[b]!, out, at);
    out[at + C - 1] = NONE;
  }
  return { rows: { dense: out, sparse, sparseGroup, dir, C, NONE }, baseOf };
}

/** One side of the cross-namespace loop: its identities and, per identity, what the loop adds. */
export interface CrossSide {
  readonly ids: Interned;
  /** Per identity: its block's base in its own direction's `BlockRows` (the free block when not a pod). */
  readonly base: Int32Array;
  /** Per identity and variant: its class in the other direction (or that direction's "no class"). */
  readonly cls: Int32Array;
  /** Identities by variant class, so that the inner loop reads one class array. */
  readonly byVariant: number[][];
}

export interface CrossIdentities {
  /** 1 for an endpoint that is a node's address (the own-node rule reads its node). */
  readonly nodeSource: Uint8Array;
  readonly src: CrossSide;
  readonly dst: CrossSide;
  /** Egress rows by (source block, destination egress class); ingress rows by (destination block, source ingress class). */
  readonly rowsE: BlockRows;
  readonly rowsI: BlockRows;
}

export function crossIdentities(
  ir: PolicyTableIR,
  vc: VariantClasses,
  ALL: number,
  NONE: number,
  denseInts = DENSE_INTS,
): CrossIdentities {
  const E = ir.kind.length;
  const eg = ir.egress;
  const ig = ir.ingress;
  const isPod = (e: number): boolean => ir.kind[e] === KIND_POD;
  const nodeSource = new Uint8Array(E);
  for (let e = 0; e < E; e++) if (readsNode(ir, e)) nodeSource[e] = 1;
  const eBlocks = blockIds(eg);
  const iBlocks = blockIds(ig);
  // A source: variant class, the node of a node's address, egress block (−1: not a pod, free), ingress classes.
  const SK = 3 + VARIANTS;
  const srcKeys = new Int32Array(E * SK);
  const DK = 2 + VARIANTS;
  const dstKeys = new Int32Array(E * DK);
  for (let e = 0; e < E; e++) {
    const pod = isPod(e);
    srcKeys[e * SK] = vc.of[e]!;
    srcKeys[e * SK + 1] = nodeSource[e] === 1 ? ir.node[e]! : -1;
    srcKeys[e * SK + 2] = pod ? eBlocks.id[eg.group[e]!]! : -1;
    dstKeys[e * DK] = vc.of[e]!;
    dstKeys[e * DK + 1] = pod ? iBlocks.id[ig.group[e]!]! : -1;
    for (let v = 0; v < VARIANTS; v++) {
      srcKeys[e * SK + 3 + v] = ig.globalClass[v * E + e]!;
      dstKeys[e * DK + 2 + v] = eg.globalClass[v * E + e]!;
    }
  }
  const src = internKeys(srcKeys, SK);
  const dst = internKeys(dstKeys, DK);
  const usedE = new Set<number>();
  for (const e of src.rep) if (isPod(e)) usedE.add(eBlocks.id[eg.group[e]!]!);
  const usedI = new Set<number>();
  for (const e of dst.rep) if (isPod(e)) usedI.add(iBlocks.id[ig.group[e]!]!);
  const rowsE = blockRows(eg, eBlocks, usedE, ALL, NONE, denseInts);
  const rowsI = blockRows(ig, iBlocks, usedI, ALL, NONE, denseInts);
  const side = (
    ids: Interned,
    own: IRDirection,
    blocks: typeof eBlocks,
    baseOf: Int32Array,
    other: IRDirection,
  ): CrossSide => {
    const n = ids.rep.length;
    const none = other.globalClassCount; // the other direction's "no class"
    const base = new Int32Array(n);
    const cls = new Int32Array(n * VARIANTS);
    const byVariant: number[][] = Array.from({ length: vc.rep.length }, () => []);
    for (let i = 0; i < n; i++) {
      const e = ids.rep[i]!;
      base[i] = baseOf[isPod(e) ? blocks.id[own.group[e]!]! : blocks.group.length]!;
      for (let v = 0; v < VARIANTS; v++) {
        const c = other.globalClass[v * E + e]!;
        cls[i * VARIANTS + v] = c < 0 ? none : c;
      }
      byVariant[vc.of[e]!]!.push(i);
    }
    return { ids, base, cls, byVariant };
  };
  return {
    nodeSource,
    src: side(src, eg, eBlocks, rowsE.baseOf, ig),
    dst: side(dst, ig, iBlocks, rowsI.baseOf, eg),
    rowsE: rowsE.rows,
    rowsI: rowsI.rows,
  };
}
