import { Cells } from "./pack-direction.ts";

// Port rows of the hashed query view as *windowed* verdict masks (docs/hostile-case.md,
// "Proposal" 1): a row keeps its default verdict pair — the one covering most port classes — and
// interleaved (allow, open) words only over the words where it differs from it, followed by the
// default pair. Descriptor `win[4r …]`: base (into `words`), first word, word count, 0. Reading
// class k (hashed-query.ts): `j = (k >>> 5) − first`; outside `0 … n − 1` the default pair at
// index n, else pair j — int32 arithmetic, no branch, no search.

/** Verdict codes of a run: what a row's class gives. */
export const CODE_DENY = 0;
export const CODE_ALLOW = 1;
export const CODE_OPEN = 2;

/** Builds rows from runs in O(runs + window words) each. */
export class RowWindows {
  readonly win: Cells = new Cells();
  readonly words: Cells = new Cells();
  readonly classes: number;
  /** Scratch: the runs of the row being added (first class, code). */
  private readonly first: number[] = [];
  private readonly code: number[] = [];

  constructor(classes: number) {
    this.classes = classes;
  }

  /** Rows added so far (the next row's id). */
  get count(): number {
    return this.win.length >> 2;
  }

  /** Start a row. Then `run` for each run in class order (the first at class 0), then `end`. */
  begin(): void {
    this.first.length = 0;
    this.code.length = 0;
  }

  /** A run from class `first` to the next run's first class (the last: to the end), merged with an equal predecessor. */
  run(first: number, code: number): void {
    const n = this.code.length;
    if (n > 0 && this.code[n - 1] === code) return;
    this.first.push(first);
    this.code.push(code);
  }

  /** The row's id. */
  end(): number {
    const K = this.classes;
    const { first, code } = this;
    const runs = code.length;
    const covered = [0, 0, 0];
    for (let i = 0; i < runs; i++) covered[code[i]!]! += (i + 1 < runs ? first[i + 1]! : K) - first[i]!;
    const def =
      covered[1]! >= covered[0]! && covered[1]! >= covered[2]! ? 1 : covered[2]! > covered[0]! ? 2 : 0;
    let lo = -1;
    let hi = -1; // the classes lo … hi − 1 span every run that is not the default
    for (let i = 0; i < runs; i++) {
      if (code[i] === def) continue;
      if (lo < 0) lo = first[i]!;
      hi = i + 1 < runs ? first[i + 1]! : K;
    }
    const fw = lo < 0 ? 0 : lo >>> 5;
    const n = lo < 0 ? 0 : ((hi - 1) >>> 5) - fw + 1;
    const defA = def === CODE_ALLOW ? -1 : 0;
    const defO = def === CODE_OPEN ? -1 : 0;
    const base = this.words.reserve(2 * n + 2);
    const w = this.words.data;
    for (let i = 0; i <= n; i++) {
      w[base + 2 * i] = defA;
      w[base + 2 * i + 1] = defO;
    }
    for (let i = 0; i < runs; i++) {
      if (code[i] === def) continue;
      this.paint(base, fw, first[i]!, i + 1 < runs ? first[i + 1]! : K, code[i]!);
    }
    const at = this.win.reserve(4);
    const d = this.win.data;
    d[at] = base;
    d[at + 1] = fw;
    d[at + 2] = n;
    d[at + 3] = 0;
    return at >> 2;
  }

  /** Set classes `a … b − 1` of the window at `base` (first word `fw`) to `code`. */
  private paint(base: number, fw: number, a: number, b: number, code: number): void {
    const w = this.words.data;
    for (let word = a >>> 5; word <= (b - 1) >>> 5; word++) {
      const from = Math.max(a, word << 5) & 31;
      const to = Math.min(b, (word + 1) << 5) - (word << 5); // 1 … 32
      const mask = (to === 32 ? -1 : (1 << to) - 1) & ~((1 << from) - 1);
      const at = base + 2 * (word - fw);
      w[at] = code === CODE_ALLOW ? w[at]! | mask : w[at]! & ~mask;
      w[at + 1] = code === CODE_OPEN ? w[at + 1]! | mask : w[at + 1]! & ~mask;
    }
  }

  /** (allow, open) of row `r` at class `k` as `2 · open + allow` (the query's read, for tests). */
  bits(r: number, k: number): number {
    const win = this.win.data;
    const n = win[4 * r + 2]!;
    const j = (k >>> 5) - win[4 * r + 1]!;
    const i = j < 0 || j >= n ? n : j;
    const at = win[4 * r]! + 2 * i;
    return ((this.words.data[at]! >>> k) & 1) | (((this.words.data[at + 1]! >>> k) & 1) << 1);
  }
}
