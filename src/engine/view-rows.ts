import { type PolicyTableIR, V_ALLOW, V_OPEN } from "../ir/policy-table-ir.ts";
import { forEachRun, outcomeVerdict, rowCount } from "../ir/read-table.ts";
import { CODE_ALLOW, CODE_DENY, CODE_OPEN, RowWindows } from "./row-windows.ts";

/**
 * The rows of the hashed view, as windowed masks (row-windows.ts; a row's id is its offset in the
 * words): `id(r)` is the IR's port row r, built from its runs; then `allowRow` (every class allowed: subjects nothing
 * selects, and addresses); then the *derived* rows of folded namespaces, `allow | (open & local)`
 * of a (global row, local row) pair (no class of a derived row is open), built on demand from the
 * two rows' runs and interned by the pair.
 */
export class ViewRows {
  readonly windows: RowWindows;
  readonly allowRow: number;
  private readonly ir: PolicyTableIR;
  private readonly hasOpen: Uint8Array;
  private readonly offsetOf: Int32Array;
  private readonly derivedOf: Map<number, number> = new Map();
  private readonly runs: number[][] = [[], [], [], []];

  constructor(ir: PolicyTableIR) {
    this.ir = ir;
    const K = ir.portClassCount;
    const R = rowCount(ir);
    const w = new RowWindows(K);
    this.hasOpen = new Uint8Array(R);
    this.offsetOf = new Int32Array(R);
    const codes = new Uint8Array(ir.outcomes.length / 3);
    for (let o = 0; o < codes.length; o++) {
      const v = outcomeVerdict(ir, o);
      codes[o] = v === V_ALLOW ? CODE_ALLOW : v === V_OPEN ? CODE_OPEN : CODE_DENY;
    }
    for (let r = 0; r < R; r++) {
      w.begin();
      forEachRun(ir, r, (first, _end, outcome) => {
        const code = codes[outcome]!;
        if (code === CODE_OPEN) this.hasOpen[r] = 1;
        w.run(first, code);
      });
      this.offsetOf[r] = w.end();
    }
    w.begin();
    w.run(0, CODE_ALLOW);
    this.allowRow = w.end();
    this.windows = w;
  }

  /** The view's id of IR row `r`. */
  id(r: number): number {
    return this.offsetOf[r]!;
  }

  /** The row `allow | (open & local)` of global row `g` and local row `l` (IR rows): `g`'s own when no class of it is open. */
  derived(g: number, l: number): number {
    if (this.hasOpen[g] === 0) return this.offsetOf[g]!;
    const key = g * (this.hasOpen.length + 1) + l;
    const known = this.derivedOf.get(key);
    if (known !== undefined) return known;
    const [gFirst, gCode, lFirst, lCode] = this.runs as [number[], number[], number[], number[]];
    this.collect(g, gFirst, gCode);
    this.collect(l, lFirst, lCode);
    const K = this.ir.portClassCount;
    const w = this.windows;
    w.begin();
    let i = 0;
    let j = 0;
    for (let at = 0; at < K; ) {
      const cg = gCode[i]!;
      w.run(at, cg === CODE_ALLOW || (cg === CODE_OPEN && lCode[j] === CODE_ALLOW) ? CODE_ALLOW : CODE_DENY);
      const nextG = i + 1 < gFirst.length ? gFirst[i + 1]! : K;
      const nextL = j + 1 < lFirst.length ? lFirst[j + 1]! : K;
      at = Math.min(nextG, nextL);
      if (nextG === at) i++;
      if (nextL === at) j++;
    }
    const row = w.end();
    this.derivedOf.set(key, row);
    return row;
  }

  /** Row `r`'s runs as (first class, code) into `first`, `code`. */
  private collect(r: number, first: number[], code: number[]): void {
    first.length = 0;
    code.length = 0;
    forEachRun(this.ir, r, (a, _end, outcome) => {
      const v = outcomeVerdict(this.ir, outcome);
      first.push(a);
      code.push(v === V_ALLOW ? CODE_ALLOW : v === V_OPEN ? CODE_OPEN : CODE_DENY);
    });
  }
}
