// The cross-namespace part of the reachability pass (bench/reachability.ts): every pair of a source
// identity and a destination identity read as the cross-namespace answer reads it — the egress row
// of the source's block at the destination's class, ANDed with the ingress row of the
// destination's block at the source's class.
//
// Pod sources come sorted by their ingress class: per class, the destinations' ingress rows at it
// are read once (one column), and destinations of one egress class that read the same row there
// are one entry with a count. A source whose block the IR stores dense then reads one egress row
// per entry and ANDs it (no word loop where either row allows every class); one stored sparse reads
// the column once per default row (memoised) and then only its exceptions' entries. Address
// sources have no egress subject (every egress row ALL): what they add is the destinations'
// ingress rows at their class, the sparse blocks' defaults summed once and their exceptions at the
// class (an index by class) corrected. Two addresses: neither direction has a subject, every port
// is allowed (counted apart, no read). One-word masks with every block dense need no column: the
// pod sources go in any order, large class groups memoised by (group, row, source class).
import { KIND_POD, type PolicyTableIR, VARIANTS } from "../src/ir/policy-table-ir.ts";
import type { GlobalBlock } from "../src/ir/read-table.ts";
import {
  type Columns,
  clearMemo,
  columns,
  groupMemo,
  readDense,
  readRange,
  readSum,
} from "./reach-columns.ts";
import type { CrossIdentities } from "./reach-identities.ts";
import type { ReachRows } from "./reach-rows.ts";

/** What a part of the pass adds to the counts. */
export interface Tally {
  pairs: number;
  allowed: number;
  checksum: number;
}
export const tally = (): Tally => ({ pairs: 0, allowed: 0, checksum: 0 });

/** Cross-namespace pairs, per pair of variant classes (the file's header says how). */
export function crossPart(
  ir: PolicyTableIR,
  rows: ReachRows,
  x: CrossIdentities,
  vcRep: number[],
  pairVariant: Int32Array,
) {
  const cross = tally();
  const free = tally();
  const VC = vcRep.length;
  const isPod = (e: number): boolean => ir.kind[e] === KIND_POD;
  for (let a = 0; a < VC; a++)
    for (let b = 0; b < VC; b++) {
      const ss = x.src.byVariant[a]!;
      const ds = x.dst.byVariant[b]!;
      const v = pairVariant[a * VC + b]!;
      const n = ss.length * ds.length;
      if (v < 0) {
        cross.pairs += n; // unknown: no address of a common family
        continue;
      }
      if (!isPod(vcRep[a]!) && !isPod(vcRep[b]!)) {
        free.pairs += n;
        free.checksum = (free.checksum + Math.imul(n, rows.allSum)) | 0;
        continue;
      }
      cross.pairs += n;
      const t = isPod(vcRep[a]!) ? podSources(rows, x, ss, ds, v) : addressSources(rows, x, ss, ds, v);
      cross.allowed += t.allowed;
      cross.checksum = (cross.checksum + t.checksum) | 0;
    }
  free.allowed = free.pairs;
  return { cross, free };
}

/** Pod sources `ss` against destinations `ds` in variant v. */
function podSources(rows: ReachRows, x: CrossIdentities, ss: number[], ds: number[], v: number): Tally {
  const t = tally();
  const { classes, groupStart, dOff } = byEgressClass(x, ds, v);
  const groupOfClass = new Int32Array(x.rowsE.C).fill(-1);
  classes.forEach((c, g) => {
    groupOfClass[c] = g;
  });
  // One-word masks: an AND costs less than folding equal rows into one entry. Then, and with no
  // sparse block read in place, no column is filled: sources go in any order, one memo for all.
  const fold = rows.W > 1;
  const byColumn = fold || x.rowsE.sparse.length > 0 || x.rowsI.sparse.length > 0;
  const bySCls = byColumn
    ? ss.slice().sort((p, q) => x.src.cls[p * VARIANTS + v]! - x.src.cls[q * VARIANTS + v]!)
    : ss;
  const col = columns(rows.rows.length, x.rowsI, dOff, groupStart, fold);
  // Per column: what a sparse block's default row reads over all of it, and what a source block
  // reads (sources of one class and block differ only where the pass does not look): [allowed, sum].
  const byDefault = new Map<number, [number, number]>();
  const byBlock = new Map<number, [number, number]>();
  const memo = groupMemo();
  let colCls = -1;
  for (const s of bySCls) {
    const sCls = x.src.cls[s * VARIANTS + v]!;
    if (sCls !== colCls) {
      col.begin(sCls);
      colCls = sCls;
      if (byColumn) {
        byDefault.clear();
        byBlock.clear();
        clearMemo(memo);
      }
    }
    const base = x.src.base[s]!;
    if (!byColumn) {
      t.allowed += readDense(rows, x.rowsE.dense, base, col, classes, memo, x.rowsI.C);
      t.checksum = (t.checksum + readSum) | 0;
      continue;
    }
    const known = byBlock.get(base);
    if (known !== undefined) {
      t.allowed += known[0];
      t.checksum = (t.checksum + known[1]) | 0;
      continue;
    }
    const before = t.allowed;
    const beforeSum = t.checksum;
    if (base >= 0) {
      t.allowed += readDense(rows, x.rowsE.dense, base, col, classes, memo, 1);
      t.checksum = (t.checksum + readSum) | 0;
      byBlock.set(base, [t.allowed - before, (t.checksum - beforeSum) | 0]);
      continue;
    }
    const block = x.rowsE.sparse[-1 - base]!;
    const d = block.defaultRow;
    let whole = byDefault.get(d);
    if (whole === undefined) {
      let allowed = 0;
      let sum = 0;
      for (let g = 0; g < classes.length; g++) {
        col.ensure(g);
        allowed += readRange(rows, d, col, col.start[g]!, col.end[g]!);
        sum = (sum + readSum) | 0;
      }
      byDefault.set(d, (whole = [allowed, sum]));
    }
    t.allowed += whole[0];
    t.checksum = (t.checksum + whole[1]) | 0;
    readExceptions(rows, block, col, groupOfClass, t);
    byBlock.set(base, [t.allowed - before, (t.checksum - beforeSum) | 0]);
  }
  return t;
}

/** A sparse block's exceptions: each class's entries read with the exception's row instead of the default. */
function readExceptions(
  rows: ReachRows,
  block: GlobalBlock,
  col: Columns,
  groupOfClass: Int32Array,
  t: Tally,
): void {
  const classes = block.classes!;
  for (let i = 0; i < classes.length; i++) {
    const g = groupOfClass[classes[i]!]!;
    if (g < 0) continue;
    col.ensure(g);
    const from = col.start[g]!;
    const to = col.end[g]!;
    t.allowed += readRange(rows, block.rows[i]!, col, from, to);
    t.checksum = (t.checksum + readSum) | 0;
    t.allowed -= readRange(rows, block.defaultRow, col, from, to);
    t.checksum = (t.checksum - readSum) | 0;
  }
}

/**
 * Address sources `ss` (no egress subject: every egress row ALL) against destinations `ds` in
 * variant v: per source, the destinations' ingress rows at its class. Sparse blocks' default rows
 * are summed once; an index by class gives their exceptions (default and exception row).
 */
function addressSources(rows: ReachRows, x: CrossIdentities, ss: number[], ds: number[], v: number): Tally {
  const t = tally();
  const { rowAny, rowSum } = rows;
  const { C, dense, sparse } = x.rowsI;
  let baseAllowed = 0;
  let baseSum = 0;
  const denseBases: number[] = [];
  const excStart = new Int32Array(C + 1); // per class: its exceptions' start (CSR)
  for (const d of ds) {
    const base = x.dst.base[d]!;
    if (base >= 0) {
      denseBases.push(base);
      continue;
    }
    const block = sparse[-1 - base]!;
    baseAllowed += rowAny[block.defaultRow]!;
    baseSum = (baseSum + rowSum[block.defaultRow]!) | 0;
    for (const c of block.classes!) excStart[c + 1]!++;
  }
  for (let c = 0; c < C; c++) excStart[c + 1]! += excStart[c]!;
  const excDefault = new Int32Array(excStart[C]!);
  const excRow = new Int32Array(excStart[C]!);
  const at = excStart.slice(0, C);
  for (const d of ds) {
    const base = x.dst.base[d]!;
    if (base >= 0) continue;
    const block = sparse[-1 - base]!;
    block.classes!.forEach((c, i) => {
      excDefault[at[c]!] = block.defaultRow;
      excRow[at[c]!++] = block.rows[i]!;
    });
  }
  const byClass = new Map<number, [number, number]>(); // what a source class adds: [allowed, sum]
  for (const s of ss) {
    const sCls = x.src.cls[s * VARIANTS + v]!;
    if (sCls === C - 1) continue; // no class of the variant: NONE in every block, nothing allowed
    let known = byClass.get(sCls);
    if (known === undefined) {
      let allowed = baseAllowed;
      let sum = baseSum;
      for (let i = excStart[sCls]!; i < excStart[sCls + 1]!; i++) {
        allowed += rowAny[excRow[i]!]! - rowAny[excDefault[i]!]!;
        sum = (sum + rowSum[excRow[i]!]! - rowSum[excDefault[i]!]!) | 0;
      }
      for (const base of denseBases) {
        const r = dense[base + sCls]!;
        allowed += rowAny[r]!;
        sum = (sum + rowSum[r]!) | 0;
      }
      byClass.set(sCls, (known = [allowed, sum]));
    }
    t.allowed += known[0];
    t.checksum = (t.checksum + known[1]) | 0;
  }
  return t;
}

/** Destination identities `ds` grouped by their egress class in variant v: the classes, group starts, and block offsets in group order. */
function byEgressClass(x: CrossIdentities, ds: number[], v: number) {
  const byClass = new Map<number, number[]>();
  for (const d of ds) {
    const c = x.dst.cls[d * VARIANTS + v]!;
    const list = byClass.get(c);
    if (list === undefined) byClass.set(c, [d]);
    else list.push(d);
  }
  const classes = Int32Array.from(byClass.keys());
  const groupStart = new Int32Array(classes.length + 1);
  const dOff = new Int32Array(ds.length);
  let at = 0;
  classes.forEach((c, i) => {
    groupStart[i] = at;
    for (const d of byClass.get(c)!) dOff[at++] = x.dst.base[d]!;
  });
  groupStart[classes.length] = at;
  return { classes, groupStart, dOff };
}
