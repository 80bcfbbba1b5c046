import { Cells } from "./pack-direction.ts";

// Port rows of the hashed query view as *windowed* verdict masks (docs/hostile-case.md,
// "Proposal" 1): a row keeps its default verdict pair — the one covering most port classes — and
// interleaved (allow, open) words only over the words where it differs from it, followed by the
// default pair. A row is its offset r in `words`: `words[r]` its first word, `words[r + 1]` its
// word count n, then the n pairs and the default pair — so that the header and the word read are
// usually one cache line, and a row id needs no descriptor load. Reading class k
// (hashed-query.ts): `j = (k >>> 5) − first`; outside `0 … n − 1` the default pair at index n,
// else pair j — int32 arithmetic, no branch, no search.

/** Verdict codes of a run: what a row's class gives. */
export const CODE_DENY = 0;
export const CODE_ALLOW = 1;
export const CODE_OPEN = 2;

/** Builds rows from runs in O(runs + window words) each. */
export class RowWindows {
  readonly words: Cells = new Cells();
  readonly classes: number;
  /** Scratch: the runs of the row being added (first class, code). */
  private readonly first: number[] = [];
  private readonly code: number[] = [];

  constructor(classes: number) {
    this.classes = classes;
  }

  /** Rows added so far. */
  count = 0;

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

  /** The row's id: its offset in `words`. */
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
    const at = this.words.reserve(2 * n + 4);
    const w = this.words.data;
    w[at] = fw;
    w[at + 1] = n;
    const base = at + 2;
    for (let i = 0; i <= n; i++) {
      w[base + 2 * i] = defA;
      w[base + 2 * i + 1] = defO;
    }
    for (let i = 0; i < runs; i++) {
      if (code[i] === def) continue;
      this.paint(base, fw, first[i]!, i + 1 < runs ? first[i + 1]! : K, code[i]!);
    }
    this.count++;
    return at;
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
    const w = this.words.data;
    const n = w[r + 1]!;
    const j = (k >>> 5) - w[r]!;
    const at = r + 2 + 2 * (j < 0 || j >= n ? n : j);
    return ((w[at]! >>> k) & 1) | (((w[at + 1]! >>> k) & 1) << 1);
  }
}
