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
// is allowed (counted apart, no read).
import { KIND_POD, type PolicyTableIR, VARIANTS } from "../src/ir/policy-table-ir.ts";
import type { GlobalBlock } from "../src/ir/read-table.ts";
import { type BlockRows, type CrossIdentities, rowAt } from "./reach-identities.ts";
import { type PairCode, pairAllows, pairSum, type ReachRows } from "./reach-rows.ts";

/** Masks of at most this many words are ANDed per pair; wider ones through the pair memo. */
const INLINE_WORDS = 16;

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

/**
 * One source class's column: per class group, the distinct ingress rows of its destinations at
 * that class, and how many destinations read each (with `fold`; else one entry per destination). A group's entries are read from the blocks when
 * first needed in the column (`ensure`): a group every source of the class settles from the memo,
 * or skips (its egress row allows nothing), is never read.
 */
interface Columns {
  /** Whether equal rows of a group fold into one entry (masks of more than one word). */
  readonly fold: boolean;
  readonly rowsI: BlockRows;
  /** Per destination, in group order: its block's base. */
  readonly dOff: Int32Array;
  /** The column's source class. */
  readonly cls: number;
  readonly row: Int32Array;
  readonly count: Int32Array;
  /** Per class group, its first entry (its destinations' first position) and its end. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Start a column: source class `sCls`. */
  begin(sCls: number): void;
  /** Group g's entries read for the column. */
  ensure(g: number): void;
}

function columns(
  R: number,
  rowsI: BlockRows,
  dOff: Int32Array,
  groupStart: Int32Array,
  fold: boolean,
): Columns {
  const groups = groupStart.length - 1;
  const row = new Int32Array(dOff.length);
  const count = new Int32Array(dOff.length);
  const end = new Int32Array(groups);
  const filled = new Int32Array(groups); // per group: the column it was read for
  const tag = new Int32Array(R); // per row id: the read's tag when last seen
  const slot = new Int32Array(R);
  let next = 0;
  let column = 0;
  const out = {
    fold,
    rowsI,
    dOff,
    cls: 0,
    row,
    count,
    start: groupStart,
    end,
    begin(sCls: number) {
      out.cls = sCls;
      column++;
    },
    ensure(g: number) {
      if (filled[g] === column) return;
      filled[g] = column;
      const t = ++next;
      const cls = out.cls;
      let at = groupStart[g]!;
      for (let j = groupStart[g]!; j < groupStart[g + 1]!; j++) {
        const base = dOff[j]!;
        const r = base >= 0 ? rowsI.dense[base + cls]! : rowAt(rowsI, base, cls);
        if (!fold) {
          row[at] = r;
          count[at++] = 1;
        } else if (tag[r] === t) count[slot[r]!]!++;
        else {
          tag[r] = t;
          slot[r] = at;
          row[at] = r;
          count[at++] = 1;
        }
      }
      end[g] = at;
    },
  };
  return out;
}

/**
 * Egress row `er` against class group g of the column: its entries, or with one-word masks (no
 * folding) its destinations' rows read straight from the blocks, without filling the column.
 */
function readGroup(rows: ReachRows, col: Columns, er: number, g: number): number {
  if (col.fold) {
    col.ensure(g);
    return readRange(rows, er, col, col.start[g]!, col.end[g]!);
  }
  const { rowsI, dOff, cls } = col;
  let allowed = 0;
  let sum = 0;
  const from = col.start[g]!;
  const to = col.start[g + 1]!;
  if (rows.W === 1 && rowsI.sparse.length === 0) {
    // One word, every block dense: the plain loop.
    const { flat } = rows;
    const dense = rowsI.dense;
    const em = flat[er]!;
    for (let j = from; j < to; j++) {
      const mask = em & flat[dense[dOff[j]! + cls]!]!;
      allowed += mask === 0 ? 0 : 1;
      sum = (sum + mask) | 0;
    }
    readSum = sum;
    return allowed;
  }
  for (let j = from; j < to; j++) {
    const base = dOff[j]!;
    const code = pairCode(rows, er, base >= 0 ? rowsI.dense[base + cls]! : rowAt(rowsI, base, cls));
    if (pairAllows(code) === 0) continue;
    allowed++;
    sum = (sum + pairSum(code)) | 0;
  }
  readSum = sum;
  return allowed;
}

/** The checksum share of the last `readDense` / `readRange` (a second result without a tuple per call). */
let readSum = 0;

/** Egress row `er` against ingress row `ir`: the checksum share and whether some class is allowed. */
function pairCode(rows: ReachRows, er: number, ir: number): PairCode {
  const { W, full, rowAny, rowSum, flat } = rows;
  if (W === 1) {
    const m = flat[er]! & flat[ir]!;
    return m * 2 + (m === 0 ? 0 : 1);
  }
  if (full[er] === 1) return rowSum[ir]! * 2 + rowAny[ir]!;
  if (full[ir] === 1) return rowSum[er]! * 2 + rowAny[er]!;
  if (W > INLINE_WORDS) return rows.and(er, ir);
  // A few words per mask: the two rows ANDed in place (a memo lookup per pair costs more).
  const ea = er * W;
  const ia = ir * W;
  let any = 0;
  let s = 0;
  for (let w = 0; w < W; w++) {
    const m = flat[ea + w]! & flat[ia + w]!;
    any |= m;
    s = (s + m) | 0;
  }
  return s * 2 + (any === 0 ? 0 : 1);
}

/** Class groups of at least this many destinations are memoised per column by (group, egress row); smaller ones read. */
const MEMO_GROUP = 32;

/** What a (class group, egress row) reads of one column — or (group, row, source class) of every column — : index into `allowed` / `sum`. */
interface GroupMemo {
  readonly at: Map<number, number>;
  readonly allowed: number[];
  readonly sum: number[];
}
const groupMemo = (): GroupMemo => ({ at: new Map(), allowed: [], sum: [] });
function clearMemo(m: GroupMemo): void {
  m.at.clear();
  m.allowed.length = 0;
  m.sum.length = 0;
}

/**
 * A source whose block is dense (at `sOff`) against `col`, class group by class group: its egress
 * row at the group's class with each entry's ingress row, `col.count` destinations each (large
 * groups memoised by egress row — and, with `classStride` the number of source classes, by the
 * column's class too, for a memo kept across columns). Returns the pairs allowing some class;
 * their checksum share in `readSum`.
 */
function readDense(
  rows: ReachRows,
  dense: Int32Array,
  sOff: number,
  col: Columns,
  classes: Int32Array,
  memo: GroupMemo,
  classStride: number,
): number {
  const { start } = col;
  const cls = classStride === 1 ? 0 : col.cls;
  const R = rows.rows.length;
  let allowed = 0;
  let sum = 0;
  for (let g = 0; g < classes.length; g++) {
    const er = dense[sOff + classes[g]!]!;
    if (rows.rowAny[er] === 0) continue;
    if (start[g + 1]! - start[g]! < MEMO_GROUP) {
      allowed += readGroup(rows, col, er, g);
      sum = (sum + readSum) | 0;
      continue;
    }
    const key = (g * R + er) * classStride + cls;
    let at = memo.at.get(key);
    if (at === undefined) {
      at = memo.allowed.length;
      memo.at.set(key, at);
      memo.allowed.push(readGroup(rows, col, er, g));
      memo.sum.push(readSum);
    }
    allowed += memo.allowed[at]!;
    sum = (sum + memo.sum[at]!) | 0;
  }
  readSum = sum;
  return allowed;
}

/** Egress row `er` against the entries `from … to − 1` of `col`; as `readDense`. */
function readRange(rows: ReachRows, er: number, col: Columns, from: number, to: number): number {
  readSum = 0;
  if (rows.rowAny[er] === 0) return 0;
  const { row, count } = col;
  let allowed = 0;
  let sum = 0;
  for (let j = from; j < to; j++) {
    const code = pairCode(rows, er, row[j]!);
    if (pairAllows(code) === 0) continue;
    allowed += count[j]!;
    sum = (sum + Math.imul(count[j]!, pairSum(code))) | 0;
  }
  readSum = sum;
  return allowed;
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
