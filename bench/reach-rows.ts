// The rows the reachability pass combines (bench/reachability.ts), as ids: the IR's port rows
// (allow masks), ALL and NONE, then rows derived for same-namespace pairs (allow | (open & local)).
// Per row: whether it allows some port class and the sum of its words (the checksum's share), so
// that a pair whose other side is ALL costs no word loop, and a pair of two rows is combined once
// per distinct pair (memo) when a mask has more than one word.
import type { PolicyTableIR } from "../src/ir/policy-table-ir.ts";
import { type PortMasks, portMasks } from "../src/ir/read-masks.ts";

/** `sum * 2 + any` of a combined pair: the checksum share and whether some class is allowed. */
export type PairCode = number;
export const pairAllows = (code: PairCode): number => code & 1;
export const pairSum = (code: PairCode): number => (code - (code & 1)) / 2;

export interface ReachRows {
  readonly masks: PortMasks;
  /** Words per mask. */
  readonly W: number;
  /** Row id of "every class" (a free direction) and of "no class". */
  readonly ALL: number;
  readonly NONE: number;
  /** Per row id: its mask (IR rows, ALL, NONE, then the derived rows). */
  readonly rows: Int32Array[];
  /** Per row id: 1 when the row allows some class. */
  readonly rowAny: number[];
  /** Per IR row id, ALL and NONE: 1 when the row allows every class (ANDing it changes nothing). */
  readonly full: Uint8Array;
  /** Per row id: the sum of its mask's words. */
  readonly rowSum: number[];
  /** Every IR row's mask, then ALL's and NONE's, W words each: the cross loop ANDs them in place. */
  readonly flat: Int32Array;
  /** The sum of the ALL mask's words. */
  readonly allSum: number;
  /** The row id of allow[g] | (open[g] & allow[l]) (g < 0: open everywhere, i.e. allow[l]). */
  derive(g: number, l: number): number;
  /** Rows a and b combined. */
  and(a: number, b: number): PairCode;
}

export function reachRows(ir: PolicyTableIR): ReachRows {
  const m = portMasks(ir);
  const W = m.words;
  const R = m.allow.length / W; // IR rows; R: every class, R + 1: none
  const ALL = R;
  const flat = new Int32Array((R + 2) * W);
  flat.set(m.allow);
  flat.set(m.all, R * W);
  const full = new Uint8Array(R + 2);
  for (let r = 0; r <= R; r++) {
    let w = 0;
    while (w < W && flat[r * W + w] === m.all[w]) w++;
    full[r] = w === W ? 1 : 0;
  }
  const rows: Int32Array[] = [];
  for (let r = 0; r < R; r++) rows.push(m.allow.subarray(r * W, (r + 1) * W));
  rows.push(m.all, new Int32Array(W));
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
  for (const mask of rows) summarize(mask);

  const derived = new Map<number, number>();
  const derive = (g: number, l: number): number => {
    if (g < 0) return l;
    const key = g * (R + 2) + l;
    let id = derived.get(key);
    if (id === undefined) {
      const out = new Int32Array(W);
      for (let w = 0; w < W; w++) out[w] = m.allow[g * W + w]! | (m.open[g * W + w]! & m.allow[l * W + w]!);
      id = rows.length;
      rows.push(out);
      summarize(out);
      derived.set(key, id);
    }
    return id;
  };

  const pairs = new Map<number, PairCode>(); // row pair → code, for W > 1
  const and = (a: number, b: number): PairCode => {
    if (a === ALL || b === ALL) {
      const r = a === ALL ? b : a;
      return rowSum[r]! * 2 + rowAny[r]!;
    }
    if (W === 1) {
      const x = rows[a]![0]! & rows[b]![0]!;
      return x * 2 + (x === 0 ? 0 : 1);
    }
    const key = a * 67108864 + b;
    let code = pairs.get(key);
    if (code === undefined) {
      const x = rows[a]!;
      const y = rows[b]!;
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
    return code;
  };
  let allSum = 0;
  for (let w = 0; w < W; w++) allSum = (allSum + m.all[w]!) | 0;
  return { masks: m, W, ALL, NONE: R + 1, rows, rowAny, rowSum, flat, full, allSum, derive, and };
}
