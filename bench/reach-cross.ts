// The cross-namespace part of the reachability pass (bench/reachability.ts): every pair of a source
// identity and a destination identity read as the cross-namespace answer reads it — the egress row
// of the source's block at the destination's class, ANDed with the ingress row of the
// destination's block at the source's class.
//
// Sources come sorted by their ingress class: per class, the destinations' ingress rows at it are
// read once (one column), and destinations of one egress class that read the same row there are
// one entry with a count. A source then reads one egress row per entry and ANDs it (no word loop
// where either row allows every class). Two addresses: neither direction has a subject, every port
// is allowed (counted apart, no read).
import { KIND_POD, type PolicyTableIR, VARIANTS } from "../src/ir/policy-table-ir.ts";
import type { CrossIdentities } from "./reach-identities.ts";
import { pairAllows, pairSum, type ReachRows } from "./reach-rows.ts";

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
  const { rowsE, rowsI } = x;
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
      const { classes, groupStart, dOff } = byEgressClass(x, ds, v);
      // Sources by ingress class: per class, the destinations' ingress rows at it are read once,
      // and per class group kept as its distinct rows with their counts (`col`): every source of
      // that class then reads, per entry, its egress row at the group's class and one AND.
      const bySCls = ss.slice().sort((p, q) => x.src.cls[p * VARIANTS + v]! - x.src.cls[q * VARIANTS + v]!);
      const col = columns(rows.rows.length, dOff.length, classes.length);
      let colCls = -1;
      for (const s of bySCls) {
        const sCls = x.src.cls[s * VARIANTS + v]!;
        if (sCls !== colCls) {
          col.fill(rowsI, dOff, classes, groupStart, sCls);
          colCls = sCls;
        }
        cross.allowed += readSource(rows, rowsE, x.src.base[s]!, col);
        cross.checksum = (cross.checksum + readSum) | 0;
      }
    }
  free.allowed = free.pairs;
  return { cross, free };
}

/** Per class group, the distinct ingress rows of its destinations at one source class, and how many destinations read each. */
interface Columns {
  /** Entries: the destinations' egress class, their ingress row, how many destinations. */
  readonly cls: Int32Array;
  readonly row: Int32Array;
  readonly count: Int32Array;
  /** Entries in use. */
  size: number;
  fill(rowsI: Int32Array, dOff: Int32Array, classes: Int32Array, groupStart: Int32Array, sCls: number): void;
}

function columns(R: number, D: number, groups: number): Columns {
  const cls = new Int32Array(D);
  const row = new Int32Array(D);
  const count = new Int32Array(D);
  const tag = new Int32Array(R); // per row id: the fill's group tag when last seen
  const slot = new Int32Array(R);
  let next = 0;
  const out: Columns = {
    cls,
    row,
    count,
    size: 0,
    fill(rowsI, dOff, classes, groupStart, sCls) {
      let at = 0;
      for (let g = 0; g < groups; g++) {
        const t = ++next;
        for (let j = groupStart[g]!; j < groupStart[g + 1]!; j++) {
          const r = rowsI[dOff[j]! + sCls]!;
          if (tag[r] === t) count[slot[r]!]!++;
          else {
            tag[r] = t;
            slot[r] = at;
            cls[at] = classes[g]!;
            row[at] = r;
            count[at++] = 1;
          }
        }
      }
      out.size = at;
    },
  };
  return out;
}

/** The checksum share of the last `readSource` (a second result without a tuple per call). */
let readSum = 0;

/**
 * One source against every entry of `col`: its egress row (block at `sOff`) at the entry's class
 * ANDed with the entry's ingress row, `col.count` destinations each. Returns the pairs allowing
 * some class; their checksum share in `readSum`.
 */
function readSource(rows: ReachRows, rowsE: Int32Array, sOff: number, col: Columns): number {
  const { cls, row, count, size } = col;
  const { W, full, rowAny, rowSum, flat } = rows;
  let allowed = 0;
  let sum = 0;
  for (let j = 0; j < size; j++) {
    const er = rowsE[sOff + cls[j]!]!;
    if (rowAny[er] === 0) continue;
    const ir = row[j]!;
    let any: number;
    let s: number;
    if (W === 1) {
      s = flat[er]! & flat[ir]!;
      any = s;
    } else if (full[er] === 1) {
      s = rowSum[ir]!;
      any = rowAny[ir]!;
    } else if (full[ir] === 1) {
      s = rowSum[er]!;
      any = 1;
    } else if (W > INLINE_WORDS) {
      const code = rows.and(er, ir);
      s = pairSum(code);
      any = pairAllows(code);
    } else {
      // A few words per mask: the two rows ANDed in place (a memo lookup per pair costs more).
      const ea = er * W;
      const ia = ir * W;
      any = 0;
      s = 0;
      for (let w = 0; w < W; w++) {
        const m = flat[ea + w]! & flat[ia + w]!;
        any |= m;
        s = (s + m) | 0;
      }
    }
    if (any === 0) continue;
    allowed += count[j]!;
    sum = (sum + Math.imul(count[j]!, s)) | 0;
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
