// The reads of the cross-namespace part (bench/reach-cross.ts): a source class's column of
// destination ingress rows (filled per class group when first needed, equal rows folded into one
// entry with a count where masks have several words), and a source's egress rows against it — one
// AND per entry, no word loop where a row allows every class, the pair memo past INLINE_WORDS.
import { type BlockRows, rowAt } from "./reach-identities.ts";
import { type PairCode, pairAllows, pairSum, type ReachRows } from "./reach-rows.ts";

/** Masks of at most this many words are ANDed per pair; wider ones through the pair memo. */
const INLINE_WORDS = 16;

/**
 * One source class's column: per class group, the distinct ingress rows of its destinations at
 * that class, and how many destinations read each (with `fold`; else one entry per destination). A group's entries are read from the blocks when
 * first needed in the column (`ensure`): a group every source of the class settles from the memo,
 * or skips (its egress row allows nothing), is never read.
 */
export interface Columns {
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

export function columns(
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
export function readGroup(rows: ReachRows, col: Columns, er: number, g: number): number {
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
export let readSum = 0;

/** Egress row `er` against ingress row `ir`: the checksum share and whether some class is allowed. */
export function pairCode(rows: ReachRows, er: number, ir: number): PairCode {
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
export const MEMO_GROUP = 32;

/** What a (class group, egress row) reads of one column — or (group, row, source class) of every column — : index into `allowed` / `sum`. */
export interface GroupMemo {
  readonly at: Map<number, number>;
  readonly allowed: number[];
  readonly sum: number[];
}
export const groupMemo = (): GroupMemo => ({ at: new Map(), allowed: [], sum: [] });
export function clearMemo(m: GroupMemo): void {
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
export function readDense(
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
export function readRange(rows: ReachRows, er: number, col: Columns, from: number, to: number): number {
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
