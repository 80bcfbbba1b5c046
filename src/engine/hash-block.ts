import type { Cells } from "./pack-direction.ts";

// One global block of the hashed query view (docs/hostile-case.md, "Proposal"): a table of
// (class, row) slot pairs in which every key sits within PROBES slots of
// `imul(class, mult) >>> shift`, so that a lookup reads PROBES consecutive slots (32 bytes) and
// selects without a branch. A dense block is the same table with `mult = 1, shift = 0`
// (slot = class), so one code path serves both.

/** Slots a lookup reads. The query (hashed-query.ts) unrolls exactly this many. */
export const PROBES = 4;
/** Multipliers drawn per table size before the table doubles. */
export const DRAWS = 32;

/** A block's descriptor: slot base (an int offset into the slots, even), mult, shift, default row. */
export type BlockDescriptor = readonly [base: number, mult: number, shift: number, defaultRow: number];

/** Where every block with no exception points: PROBES empty slots (key −1) at offset 0. */
export function reserveEmptySlots(out: Cells): void {
  const at = out.reserve(2 * PROBES);
  for (let i = 0; i < PROBES; i++) {
    out.data[at + 2 * i] = -1;
    out.data[at + 2 * i + 1] = 0;
  }
}

/** A deterministic multiplier source (the view is a pure function of the IR): odd 32-bit ints. */
export function multipliers(seed = 0x9e3779b9): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), s | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return (x ^ (x >>> 14)) | 1;
  };
}

/** A dense block (`rows[c]` per class): the identity table, with PROBES − 1 padding slots. */
export function placeDense(out: Cells, rows: ArrayLike<number>, classCount: number): BlockDescriptor {
  const at = out.reserve(2 * (classCount + PROBES - 1));
  const d = out.data;
  for (let c = 0; c < classCount; c++) {
    d[at + 2 * c] = c;
    d[at + 2 * c + 1] = rows[c]!;
  }
  for (let c = classCount; c < classCount + PROBES - 1; c++) {
    d[at + 2 * c] = -1;
    d[at + 2 * c + 1] = 0;
  }
  return [at, 1, 0, classCount > 0 ? rows[0]! : 0];
}

/** Try one multiplier: the keys' slots in a table of 2^bits (+ PROBES − 1), or false when one does not fit. */
function tryPlace(keys: ArrayLike<number>, table: Int32Array, mult: number, bits: number): boolean {
  table.fill(-1);
  const shift = 32 - bits;
  for (let i = 0; i < keys.length; i++) {
    const h = Math.imul(keys[i]!, mult) >>> shift;
    let p = 0;
    while (p < PROBES && table[h + p] !== -1) p++;
    if (p === PROBES) return false;
    table[h + p] = i;
  }
  return true;
}

/**
 * A sparse block: `rows[i]` at class `keys[i]` (distinct, 0 ≤ key < classCount), `defaultRow`
 * elsewhere. The table has the next power of two ≥ 2 × keys slots; an odd multiplier is drawn
 * until every key fits within PROBES slots (up to DRAWS draws), else the table doubles; once the
 * table would be as large as the dense block, the block is laid out dense. O(keys) per draw,
 * O(classCount) only for the dense fallback.
 */
export function placeSparse(
  out: Cells,
  keys: ArrayLike<number>,
  rows: ArrayLike<number>,
  defaultRow: number,
  classCount: number,
  draw: () => number,
): BlockDescriptor {
  const n = keys.length;
  if (n === 0) return [0, 0, 0, defaultRow];
  let bits = 1;
  while (1 << bits < 2 * n) bits++;
  for (; 1 << bits < classCount && bits < 31; bits++) {
    const size = (1 << bits) + PROBES - 1;
    const table = new Int32Array(size);
    for (let attempt = 0; attempt < DRAWS; attempt++) {
      const mult = draw() | 1;
      if (!tryPlace(keys, table, mult, bits)) continue;
      const at = out.reserve(2 * size);
      const d = out.data;
      for (let s = 0; s < size; s++) {
        const i = table[s]!;
        d[at + 2 * s] = i < 0 ? -1 : keys[i]!;
        d[at + 2 * s + 1] = i < 0 ? 0 : rows[i]!;
      }
      return [at, mult, 32 - bits, defaultRow];
    }
  }
  const dense = new Int32Array(classCount).fill(defaultRow);
  for (let i = 0; i < n; i++) dense[keys[i]!] = rows[i]!;
  return placeDense(out, dense, classCount);
}

/** The row a descriptor gives class `c` (the query's lookup, for tests and build-time checks). */
export function lookup(slots: Int32Array, desc: BlockDescriptor, c: number): number {
  const s = desc[0] + 2 * (Math.imul(c, desc[1]) >>> desc[2]);
  let r = desc[3];
  for (let p = 0; p < PROBES; p++) if (slots[s + 2 * p] === c) r = slots[s + 2 * p + 1]!;
  return r;
}
