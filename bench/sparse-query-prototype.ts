// A prototype of the query layout docs/hostile-case.md proposes, built from a compiled IR and
// measured against the IR's own reader (ir/read-table.ts) — evidence for the proposal, not part
// of the engine. It reads the IR only through read-table.ts and the per-direction arrays, so it
// builds whichever row layout the IR has.
//
//   node --expose-gc --max-old-space-size=4096 --import tsx bench/sparse-query-prototype.ts hostile-20
//   (or core-10k, admin-10k, any name bench/workloads.ts knows; IPv4-only pods)
//
// Layout (per direction):
// * rows → *windowed* verdict masks: each distinct port row keeps the words of its allow and open
//   bits only over the span of port classes where it differs from its default outcome, plus one
//   default word pair; a port class outside the window reads the default pair. A row of 20 ranges
//   takes a handful of words instead of ⌈K / 32⌉ (938 for K = 30,009).
// * cells → per-group blocks as bounded-probe hash tables keyed by global class: a block's most
//   common row is its default, the other classes are (class, row) pairs placed within D = 4 slots
//   of `imul(class, mult) >>> shift`; a lookup reads the 4 slots (one cache line), branch-free.
//   A block whose exceptions are dense is laid out as an identity table (mult 1, shift 0: slot =
//   class), so one code path serves both.
// * the query: two records, per direction one block descriptor, ≤ 4 probe slots, one window
//   descriptor and one mask word. Same-namespace pairs read the local row too (allow | open & local).
import { compileIR } from "../src/compile/compile-ir.ts";
import { createResolver } from "../src/engine/resolve.ts";
import {
  EGRESS,
  INGRESS,
  type IRDirection,
  KIND_POD,
  type PolicyTableIR,
  V_ALLOW,
  V_OPEN,
} from "../src/ir/policy-table-ir.ts";
import { outcomeVerdict, readDirection, rowOutcome } from "../src/ir/read-table.ts";
import { CONFORMANCE_PROFILE } from "../src/model/profile.ts";
import { evaluate } from "../src/reference/evaluate.ts";
import { fullGC, summarize } from "./harness.ts";
import { workload } from "./workloads.ts";

const D = 4; // probe slots per lookup

/** Rows of the IR as windowed masks: `win[4r …]` = base (into `words`), first word, word count, default pair index. */
interface RowMasks {
  readonly win: Int32Array;
  /** Interleaved (allow, open) words; each row's window, then its default pair. */
  readonly words: Int32Array;
}

function rowCountOf(ir: PolicyTableIR): number {
  const loose = ir as unknown as Record<string, Int32Array | undefined>;
  if (loose.portRows !== undefined) return loose.portRows.length / ir.portClassCount;
  return (loose.rowStart?.length ?? 1) - 1;
}

function buildRowMasks(ir: PolicyTableIR): RowMasks {
  const K = ir.portClassCount;
  const R = rowCountOf(ir);
  const W = Math.ceil(K / 32);
  const win = new Int32Array(4 * R);
  const out: number[] = [];
  const allow = new Int32Array(W);
  const open = new Int32Array(W);
  for (let r = 0; r < R; r++) {
    allow.fill(0);
    open.fill(0);
    let nAllow = 0;
    let nOpen = 0;
    for (let k = 0; k < K; k++) {
      const v = outcomeVerdict(ir, rowOutcome(ir, r, k));
      if (v === V_ALLOW) {
        allow[k >>> 5]! |= 1 << (k & 31);
        nAllow++;
      } else if (v === V_OPEN) {
        open[k >>> 5]! |= 1 << (k & 31);
        nOpen++;
      }
    }
    // Default: the verdict most classes have (allow, open or deny).
    const nDeny = K - nAllow - nOpen;
    const defA = nAllow >= nOpen && nAllow >= nDeny ? -1 : 0;
    const defO = defA === 0 && nOpen >= nDeny ? -1 : 0;
    let first = W;
    let last = -1;
    for (let w = 0; w < W; w++) {
      // Bits past K in the last word are never read; compare only real classes.
      const valid = w === W - 1 && K % 32 !== 0 ? (1 << (K % 32)) - 1 : -1;
      if (((allow[w]! ^ defA) & valid) !== 0 || ((open[w]! ^ defO) & valid) !== 0) {
        if (first === W) first = w;
        last = w;
      }
    }
    const n = last < first ? 0 : last - first + 1;
    const base = out.length;
    for (let w = first; w < first + n; w++) out.push(allow[w]!, open[w]!);
    out.push(defA, defO);
    win[4 * r] = base;
    win[4 * r + 1] = first === W ? 0 : first;
    win[4 * r + 2] = n;
  }
  return { win, words: Int32Array.from(out) };
}

/**
 * Group g's block as a dense array of row ids over the global classes, whichever layout the IR
 * has: dense (`globalCells[globalBase[g] + c]`) or, when `globalBase[g] < 0`, sparse (block
 * `−1 − globalBase[g]`: `sparseClass`/`sparseRow` pairs, else `sparseDefault`). Read loosely, so
 * that the prototype builds against either IR.
 */
function denseBlock(dir: IRDirection, g: number, out: Int32Array): Int32Array {
  const base = dir.globalBase[g]!;
  if (base >= 0) return dir.globalCells.subarray(base, base + dir.globalClassCount);
  const sp = dir as unknown as Record<string, Int32Array>;
  const b = -1 - base;
  out.fill(sp.sparseDefault![b]!);
  for (let i = sp.sparseStart![b]!; i < sp.sparseStart![b + 1]!; i++)
    out[sp.sparseClass![i]!] = sp.sparseRow![i]!;
  return out;
}

/** Per group: descriptor `[slotBase, mult, shift, defaultRow]`; slots are (key, row) pairs. */
interface SparseBlocks {
  readonly desc: Int32Array;
  readonly slots: Int32Array;
  readonly sparse: number;
  readonly dense: number;
  readonly exceptions: number;
}

function buildBlocks(dir: IRDirection, rng: () => number): SparseBlocks {
  const G = dir.groupRules.length;
  const C = dir.globalClassCount;
  const desc = new Int32Array(4 * G);
  const slots: number[] = [];
  const byBase = new Map<number, number>(); // shared IR block → descriptor of its first group
  let sparse = 0;
  let dense = 0;
  let exceptionsTotal = 0;
  const count = new Map<number, number>();
  const scratch = new Int32Array(C);
  for (let g = 0; g < G; g++) {
    const base = dir.globalBase[g]!;
    const seen = byBase.get(base);
    if (seen !== undefined) {
      desc.set(desc.subarray(4 * seen, 4 * seen + 4), 4 * g);
      continue;
    }
    byBase.set(base, g);
    const cells = denseBlock(dir, g, scratch);
    count.clear();
    let def = 0;
    let best = -1;
    for (let c = 0; c < C; c++) {
      const row = cells[c]!;
      const n = (count.get(row) ?? 0) + 1;
      count.set(row, n);
      if (n > best) {
        best = n;
        def = row;
      }
    }
    const keys: number[] = [];
    for (let c = 0; c < C; c++) if (cells[c] !== def) keys.push(c);
    exceptionsTotal += keys.length;
    const at = slots.length / 2;
    if (keys.length * 4 >= C) {
      // Dense: identity table (slot = class), D − 1 padding slots.
      for (let c = 0; c < C + D - 1; c++) slots.push(c < C ? c : -1, c < C ? cells[c]! : def);
      desc.set([at, 1, 0, def], 4 * g);
      dense++;
      continue;
    }
    let bits = 1;
    while (1 << bits < 2 * keys.length) bits++;
    for (;;) {
      const T = 1 << bits;
      let placed: Int32Array | undefined;
      for (let attempt = 0; attempt < 32 && placed === undefined; attempt++) {
        const mult = (Math.floor(rng() * 2 ** 31) << 1) | 1;
        const table = new Int32Array(2 * (T + D - 1)).fill(-1);
        let ok = true;
        for (const c of keys) {
          const h = Math.imul(c, mult) >>> (32 - bits);
          let i = 0;
          while (i < D && table[2 * (h + i)] !== -1) i++;
          if (i === D) {
            ok = false;
            break;
          }
          table[2 * (h + i)] = c;
          table[2 * (h + i) + 1] = cells[c]!;
        }
        if (ok) {
          placed = table;
          desc.set([at, mult, 32 - bits, def], 4 * g);
        }
      }
      if (placed !== undefined) {
        for (let i = 0; i < placed.length; i++) slots.push(placed[i]!);
        break;
      }
      bits++;
    }
    sparse++;
  }
  return { desc, slots: Int32Array.from(slots), sparse, dense, exceptions: exceptionsTotal };
}

/**
 * Local cells with room past the end: the query reads the local cell of every pair and masks it
 * with `same`, so a pair of two namespaces may index past the last block (an out-of-bounds read
 * deoptimises the query to generic loads: measured 190 ns instead of 40 on admin-10k).
 */
function padded(dir: IRDirection): Int32Array {
  let maxLocal = 0;
  for (let i = 0; i < dir.localClass.length; i++) maxLocal = Math.max(maxLocal, dir.localClass[i]!);
  const out = new Int32Array(dir.localCells.length + maxLocal + 1);
  out.set(dir.localCells);
  return out;
}

class SparseTable {
  readonly rec: Int32Array; // per endpoint: head (1 pod), ns + 1, node, eg desc·4, ig desc·4, eg class, ig class, eg local row, ig local row (as peer: class), pad
  readonly egDesc: Int32Array;
  readonly igDesc: Int32Array;
  readonly egSlots: Int32Array;
  readonly igSlots: Int32Array;
  readonly win: Int32Array;
  readonly words: Int32Array;
  readonly egLocal: Int32Array;
  readonly igLocal: Int32Array;
  constructor(ir: PolicyTableIR, rows: RowMasks, eg: SparseBlocks, ig: SparseBlocks) {
    const E = ir.kind.length;
    this.rec = new Int32Array(E * 16);
    for (let e = 0; e < E; e++) {
      // IPv4 pods only; an address class of another family keeps its own variant's classes (no
      // IPv4 flow reaches it).
      const v = ir.primaryVariant[e]!;
      if (v !== 0 && ir.kind[e] === KIND_POD) throw new Error("prototype: IPv4-only pods");
      const r = e * 16;
      this.rec[r] = ir.kind[e] === KIND_POD ? 1 : 0;
      this.rec[r + 1] = ir.namespace[e]! + 1;
      this.rec[r + 2] = ir.node[e]! >= 0 ? ir.node[e]! : ir.kind[e] === KIND_POD ? -2 : -3;
      this.rec[r + 3] = ir.egress.group[e]! * 4;
      this.rec[r + 4] = ir.ingress.group[e]! * 4;
      this.rec[r + 5] = ir.egress.globalClass[v * E + e]!;
      this.rec[r + 6] = ir.ingress.globalClass[v * E + e]!;
      this.rec[r + 7] = ir.egress.localBase[ir.egress.group[e]!]!;
      this.rec[r + 8] = ir.ingress.localBase[ir.ingress.group[e]!]!;
      this.rec[r + 9] = Math.max(0, ir.egress.localClass[e]!);
      this.rec[r + 10] = Math.max(0, ir.ingress.localClass[e]!);
    }
    this.egDesc = eg.desc;
    this.igDesc = ig.desc;
    this.egSlots = eg.slots;
    this.igSlots = ig.slots;
    this.win = rows.win;
    this.words = rows.words;
    this.egLocal = padded(ir.egress);
    this.igLocal = padded(ir.ingress);
  }

  /** Row of block `d` for class `c`: ≤ D slots from the hash, branch-free select. */
  private row(desc: Int32Array, slots: Int32Array, d: number, c: number): number {
    const s = 2 * (desc[d]! + (Math.imul(c, desc[d + 1]!) >>> desc[d + 2]!));
    let r = desc[d + 3]!;
    r = slots[s] === c ? slots[s + 1]! : r;
    r = slots[s + 2] === c ? slots[s + 3]! : r;
    r = slots[s + 4] === c ? slots[s + 5]! : r;
    r = slots[s + 6] === c ? slots[s + 7]! : r;
    return r;
  }

  /** (allow, open) bits of row `r` at port class `k`, as 2·open + allow. */
  private bits(r: number, k: number): number {
    const w4 = 4 * r;
    const n = this.win[w4 + 2]!;
    // Outside the window: the default pair at n. Int32 arithmetic only: a `>>> 0` clamp yields
    // uint32 values past the Smi range, and V8 then deoptimises the query to double arithmetic.
    const j = (k >>> 5) - this.win[w4 + 1]!;
    const out = (j >> 31) | ((n - 1 - j) >> 31);
    const i = (j & ~out) | (n & out);
    const at = this.win[w4]! + 2 * i;
    const sh = k & 31;
    return ((this.words[at]! >>> sh) & 1) | (((this.words[at + 1]! >>> sh) & 1) << 1);
  }

  allowsIndex(src: number, dst: number, k: number): boolean {
    const m = this.rec;
    const s = src << 4;
    const d = dst << 4;
    if (src === dst && m[s] === 1) return true;
    const same = (m[s + 1] === m[d + 1] ? 1 : 0) & m[s]! & m[d]!; // two pods of one namespace
    // Egress at the source (a non-pod source allows: its group 0 block is default-allow).
    const eb = this.bits(this.row(this.egDesc, this.egSlots, m[s + 3]!, m[d + 5]!), k);
    const el = this.bits(this.egLocal[m[s + 7]! + m[d + 9]!]!, k) & same;
    const egress = (eb | ((eb >> 1) & el)) & 1;
    const ib = this.bits(this.row(this.igDesc, this.igSlots, m[d + 4]!, m[s + 6]!), k);
    const il = this.bits(this.igLocal[m[d + 8]! + m[s + 10]!]!, k) & same;
    const ownNode = m[s] === 0 && m[s + 2] === m[d + 2] ? 1 : 0;
    const ingress = ((ib | ((ib >> 1) & il)) & 1) | ownNode;
    return (egress & ingress) === 1;
  }
}

/**
 * The middle layout: dense cells as they are in the IR (`globalBase[g] + class` → row id), the
 * verdicts behind the row (windowed masks) instead of inside the cell — one more dependent read
 * than the packed query, but cells × 1 int instead of cells × 2 × ⌈K / 32⌉ words.
 */
/** The IR's distinct blocks, dense, one after another (shared as the IR shares them); `at[g]` is group g's. */
function allBlocks(dir: IRDirection): { cells: Int32Array; at: Int32Array } {
  const C = dir.globalClassCount;
  const G = dir.groupRules.length;
  const at = new Int32Array(G);
  const byBase = new Map<number, number>();
  for (let g = 0; g < G; g++) {
    const base = dir.globalBase[g]!;
    let a = byBase.get(base);
    if (a === undefined) byBase.set(base, (a = byBase.size * C));
    at[g] = a;
  }
  const cells = new Int32Array(byBase.size * C);
  const scratch = new Int32Array(C);
  const done = new Set<number>();
  for (let g = 0; g < G; g++) {
    if (done.has(at[g]!)) continue;
    done.add(at[g]!);
    cells.set(denseBlock(dir, g, scratch), at[g]!);
  }
  return { cells, at };
}

class DenseRowTable {
  readonly rec: Int32Array;
  readonly egCells: { readonly cells: Int32Array; readonly at: Int32Array };
  readonly igCells: { readonly cells: Int32Array; readonly at: Int32Array };
  readonly egC: Int32Array;
  readonly igC: Int32Array;
  readonly win: Int32Array;
  readonly words: Int32Array;
  readonly egLocal: Int32Array;
  readonly igLocal: Int32Array;
  constructor(ir: PolicyTableIR, rows: RowMasks) {
    const E = ir.kind.length;
    this.egCells = allBlocks(ir.egress);
    this.igCells = allBlocks(ir.ingress);
    this.egC = this.egCells.cells;
    this.igC = this.igCells.cells;
    this.rec = new Int32Array(E * 16);
    for (let e = 0; e < E; e++) {
      const v = ir.primaryVariant[e]!;
      if (v !== 0 && ir.kind[e] === KIND_POD) throw new Error("prototype: IPv4-only pods");
      const r = e * 16;
      this.rec[r] = ir.kind[e] === KIND_POD ? 1 : 0;
      this.rec[r + 1] = ir.namespace[e]! + 1;
      this.rec[r + 2] = ir.node[e]! >= 0 ? ir.node[e]! : ir.kind[e] === KIND_POD ? -2 : -3;
      this.rec[r + 3] = this.egCells.at[ir.egress.group[e]!]!;
      this.rec[r + 4] = this.igCells.at[ir.ingress.group[e]!]!;
      this.rec[r + 5] = ir.egress.globalClass[v * E + e]!;
      this.rec[r + 6] = ir.ingress.globalClass[v * E + e]!;
      this.rec[r + 7] = ir.egress.localBase[ir.egress.group[e]!]!;
      this.rec[r + 8] = ir.ingress.localBase[ir.ingress.group[e]!]!;
      this.rec[r + 9] = Math.max(0, ir.egress.localClass[e]!);
      this.rec[r + 10] = Math.max(0, ir.ingress.localClass[e]!);
    }
    this.win = rows.win;
    this.words = rows.words;
    this.egLocal = padded(ir.egress);
    this.igLocal = padded(ir.ingress);
  }

  get bytes(): number {
    return (
      this.rec.byteLength +
      this.egC.byteLength +
      this.igC.byteLength +
      this.win.byteLength +
      this.words.byteLength
    );
  }

  private bits(r: number, k: number): number {
    const w4 = 4 * r;
    const n = this.win[w4 + 2]!;
    // Outside the window: the default pair at n. Int32 arithmetic only: a `>>> 0` clamp yields
    // uint32 values past the Smi range, and V8 then deoptimises the query to double arithmetic.
    const j = (k >>> 5) - this.win[w4 + 1]!;
    const out = (j >> 31) | ((n - 1 - j) >> 31);
    const i = (j & ~out) | (n & out);
    const at = this.win[w4]! + 2 * i;
    const sh = k & 31;
    return ((this.words[at]! >>> sh) & 1) | (((this.words[at + 1]! >>> sh) & 1) << 1);
  }

  allowsIndex(src: number, dst: number, k: number): boolean {
    const m = this.rec;
    const s = src << 4;
    const d = dst << 4;
    if (src === dst && m[s] === 1) return true;
    const same = (m[s + 1] === m[d + 1] ? 1 : 0) & m[s]! & m[d]!;
    const eb = this.bits(this.egC[m[s + 3]! + m[d + 5]!]!, k);
    const el = this.bits(this.egLocal[m[s + 7]! + m[d + 9]!]!, k) & same;
    const egress = (eb | ((eb >> 1) & el)) & 1;
    const ib = this.bits(this.igC[m[d + 4]! + m[s + 6]!]!, k);
    const il = this.bits(this.igLocal[m[d + 8]! + m[s + 10]!]!, k) & same;
    const ownNode = m[s] === 0 && m[s + 2] === m[d + 2] ? 1 : 0;
    const ingress = ((ib | ((ib >> 1) & il)) & 1) | ownNode;
    return (egress & ingress) === 1;
  }
}

const MB = 2 ** 20;
const round = (x: number, d = 1): number => Number(x.toFixed(d));
const name = process.argv[2] ?? "hostile-20";
/** Which layout to measure (one per process, so that the loop's call site stays monomorphic). */
const layout = process.argv[3] === "dense-rows" ? "dense-rows" : "sparse";
const { cluster, flows: flowsOf } = workload(name);
let t = performance.now();
const { ir } = compileIR(cluster, CONFORMANCE_PROFILE);
const compileIRms = performance.now() - t;
process.stderr.write(`[proto] compileIR ${round(compileIRms)} ms\n`);
let seed = 20240621;
const rng = (): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let x = seed;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
fullGC();
const before = process.memoryUsage();
t = performance.now();
const rows = buildRowMasks(ir);
const rowsMs = performance.now() - t;
t = performance.now();
const eg = buildBlocks(ir.egress, rng);
const ig = buildBlocks(ir.ingress, rng);
const blocksMs = performance.now() - t;
const sparseTable = new SparseTable(ir, rows, eg, ig);
const sparseBytes =
  sparseTable.rec.byteLength +
  eg.desc.byteLength +
  ig.desc.byteLength +
  eg.slots.byteLength +
  ig.slots.byteLength +
  rows.win.byteLength +
  rows.words.byteLength;
const table = layout === "sparse" ? sparseTable : new DenseRowTable(ir, rows);
const bytes = table instanceof DenseRowTable ? table.bytes : sparseBytes;
process.stderr.write(
  `[proto] built: rows ${round(rowsMs)} ms, blocks ${round(blocksMs)} ms, ${round(bytes / MB, 2)} MB ` +
    `(eg ${eg.sparse} sparse / ${eg.dense} dense blocks, ${eg.exceptions} exceptions; ig ${ig.sparse} / ${ig.dense}, ${ig.exceptions})\n`,
);
void before;

// Flows → triples, checked against the IR's reader on every triple and the reference on 400.
const resolver = createResolver(ir);
const flows = flowsOf(1 << 18, 20240622);
const data: number[] = [];
for (const f of flows) {
  const r = resolver.flow(f);
  if (r.ok) data.push(r.src, r.dst, r.portIndex);
}
const triples = Int32Array.from(data);
let mismatches = 0;
let allowed = 0;
for (let i = 0; i < triples.length; i += 3) {
  const [a, b, k] = [triples[i]!, triples[i + 1]!, triples[i + 2]!];
  const want =
    readDirection(ir, EGRESS, a, b, 0, k).verdict === V_ALLOW &&
    readDirection(ir, INGRESS, b, a, 0, k).verdict === V_ALLOW;
  if (want) allowed++;
  if (table.allowsIndex(a, b, k) !== want) mismatches++;
}
let refMismatches = 0;
for (const f of flows.slice(0, 400)) {
  const r = resolver.flow(f);
  const want = evaluate(cluster, f, CONFORMANCE_PROFILE).verdict === "allow";
  const got = r.ok && table.allowsIndex(r.src, r.dst, r.portIndex);
  if (got !== want) refMismatches++;
}

// ns/op, the harness's method: warm-up, 15 samples of ≥ 10⁶ calls, median; the loop alone beside.
const passes = Math.max(1, Math.ceil(1e6 / (triples.length / 3)));
const ops = passes * (triples.length / 3);
const run = (): number => {
  let n = 0;
  for (let p = 0; p < passes; p++)
    for (let i = 0; i < triples.length; i += 3)
      if (table.allowsIndex(triples[i]!, triples[i + 1]!, triples[i + 2]!)) n++;
  return n;
};
let sink = 0;
for (let i = 0; i < 5; i++) sink ^= run();
const ns: number[] = [];
for (let i = 0; i < 15; i++) {
  const t0 = process.hrtime.bigint();
  sink ^= run();
  ns.push(Number(process.hrtime.bigint() - t0) / ops);
}
const result = {
  workload: name,
  layout,
  compileIRms: round(compileIRms),
  buildMs: { rowMasks: round(rowsMs), blocks: round(blocksMs) },
  queryMB: round(bytes / MB, 2),
  parts: {
    recordsMB: round(table.rec.byteLength / MB, 2),
    ...(table instanceof DenseRowTable
      ? { denseCellsMB: round((table.egC.byteLength + table.igC.byteLength) / MB, 2) }
      : {
          blockSlotsMB: round((eg.slots.byteLength + ig.slots.byteLength) / MB, 2),
          blockDescMB: round((eg.desc.byteLength + ig.desc.byteLength) / MB, 2),
        }),
    rowMaskMB: round((rows.win.byteLength + rows.words.byteLength) / MB, 2),
  },
  blocks: {
    egress: { sparse: eg.sparse, dense: eg.dense, exceptions: eg.exceptions },
    ingress: { sparse: ig.sparse, dense: ig.dense, exceptions: ig.exceptions },
  },
  flows: triples.length / 3,
  allowedShare: round(allowed / (triples.length / 3), 3),
  mismatchesVsIRReader: mismatches,
  mismatchesVsReference: refMismatches,
  allowsIndexNsPerOp: summarize(ns, 2),
  sink: sink & 1,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
