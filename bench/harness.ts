// The one place that measures. A small, careful timer (process.hrtime.bigint, warmup, several
// samples, median) rather than a framework, so that every number in the JSON has one definition.
// Scenarios run in a fresh `node --expose-gc` process (bench/run.ts), so `gc` is available.
import { cpus, loadavg, totalmem } from "node:os";
import { setTimeout } from "node:timers/promises";
import { GCProfiler, getHeapStatistics } from "node:v8";
import type { PolicyTable } from "../src/engine/policy-table.ts";

/** Summary of repeated measurements, in the unit of the caller. */
export interface Samples {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

export function summarize(xs: readonly number[], digits = 3): Samples {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 === 1 ? sorted[(n - 1) >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    median: round(median, digits),
    min: round(sorted[0]!, digits),
    max: round(sorted[n - 1]!, digits),
    samples: xs.map((x) => round(x, digits)),
  };
}

/** Progress goes to stderr; stdout carries only the JSON result. */
export const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

/** Full collections until the heap stops shrinking (weak maps, finalizers), at most 10. */
export function fullGC(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run scenarios with node --expose-gc (bench/run.ts does)");
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= last) return;
    last = used;
  }
}

const nowNs = (): bigint => process.hrtime.bigint();
const elapsedMs = (t0: bigint): number => Number(nowNs() - t0) / 1e6;

/**
 * A point in wall time and in this process's CPU time (user + system, all threads, µs resolution).
 * Wall time is the primary number. CPU time is reported next to it to read the conditions: wall ≫
 * CPU means the process was descheduled; CPU > wall means V8's GC helper threads worked on another
 * core in parallel (allocation-heavy code such as compiling), which a busy second core prevents.
 */
interface Mark {
  readonly wall: bigint;
  readonly cpu: NodeJS.CpuUsage;
}
const mark = (): Mark => ({ wall: nowNs(), cpu: process.cpuUsage() });
const since = (m: Mark): { wallNs: number; cpuNs: number } => {
  const wallNs = Number(nowNs() - m.wall);
  const c = process.cpuUsage(m.cpu);
  return { wallNs, cpuNs: (c.user + c.system) * 1000 };
};

/** 1, 5 and 15 minute load averages: above the core count, other processes shared the CPUs with the run. */
export const loadAverage = (): number[] => loadavg().map((x) => round(x, 2));

/**
 * Start watching the machine: the returned function says how many cores, on average since the
 * start, *other* processes kept busy (all cores' busy time from `os.cpus()` minus this process's
 * CPU time). 0 = the run had the machine to itself; unlike load averages it does not lag.
 */
export function watchOtherLoad(): () => number {
  const busy = (): { busyMs: number; totalMs: number } => {
    let busyMs = 0;
    let totalMs = 0;
    for (const c of cpus()) {
      const t = c.times;
      busyMs += t.user + t.nice + t.sys + t.irq;
      totalMs += t.user + t.nice + t.sys + t.irq + t.idle;
    }
    return { busyMs, totalMs };
  };
  const m0 = busy();
  const cpu0 = process.cpuUsage();
  const wall0 = nowNs();
  return () => {
    const m1 = busy();
    const mine = process.cpuUsage(cpu0);
    const wallMs = Number(nowNs() - wall0) / 1e6;
    const others = m1.busyMs - m0.busyMs - (mine.user + mine.system) / 1000;
    return round(Math.max(0, others) / wallMs, 2);
  };
}

/** The machine the numbers come from. */
export function machine(): Record<string, unknown> {
  const c = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpus: c.length,
    cpuModel: c[0]?.model ?? "unknown",
    totalMemGB: round(totalmem() / 2 ** 30, 1),
    loadavg: loadAverage(),
  };
}

/**
 * Time of `fn` in ms, wall and CPU: `warmup` unrecorded runs (and more until `warmupMs` have
 * passed: a small input needs many runs before V8 has optimised what it calls), then `samples`
 * recorded ones.
 *
 * `steady` (the default): samples run back to back, as a controller that recompiles on every
 * change would run them; the collections `fn`'s garbage causes fall inside later samples and are
 * counted. `afterFullGC`: each sample starts after a forced full GC. On Node 20 such a GC throws
 * away much of the optimised code (measured: ~60 functions re-optimised in the next sample against
 * ~20), so this mode measures compile with a partly cold JIT — reported beside, not as, the number.
 */
export function timeMs<T>(
  fn: () => T,
  { warmup = 3, warmupMs = 0, samples = 15, mode = "steady" as "steady" | "afterFullGC" } = {},
): { wall: Samples; cpu: Samples } {
  let keep: T | undefined;
  const start = nowNs();
  for (let i = 0; i < warmup || elapsedMs(start) < warmupMs; i++) keep = fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (mode === "afterFullGC") {
      keep = undefined;
      fullGC();
    }
    const t0 = mark();
    keep = fn();
    const t = since(t0);
    wall.push(t.wallNs / 1e6);
    cpu.push(t.cpuNs / 1e6);
  }
  void keep;
  return { wall: summarize(wall, 2), cpu: summarize(cpu, 2) };
}

/**
 * Several functions timed alike, in rounds, so that a noisy neighbour's seconds fall on all of
 * them (timed one after another, each got its own seconds of the machine: on these shared cores a
 * 2 s stretch ran 1.5× slower than the next). Each is warmed up as `timeMs` does; then per round,
 * each in turn: `settle` unrecorded runs — in them the previous function's garbage is collected
 * and its caches give way — and `perRound` recorded ones, back to back.
 */
export function timeRounds(
  fns: Readonly<Record<string, () => unknown>>,
  { warmup = 3, warmupMs = 0, rounds = 4, perRound = 3, settle = 1 } = {},
): Record<string, { wall: Samples; cpu: Samples }> {
  const names = Object.keys(fns);
  const wall = new Map<string, number[]>(names.map((n) => [n, []]));
  const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
  let keep: unknown;
  for (const n of names) {
    const start = nowNs();
    for (let i = 0; i < warmup || elapsedMs(start) < warmupMs; i++) keep = fns[n]!();
  }
  for (let r = 0; r < rounds; r++)
    for (const n of names) {
      const fn = fns[n]!;
      for (let i = 0; i < settle; i++) keep = fn();
      for (let i = 0; i < perRound; i++) {
        const t0 = mark();
        keep = fn();
        const t = since(t0);
        wall.get(n)!.push(t.wallNs / 1e6);
        cpu.get(n)!.push(t.cpuNs / 1e6);
      }
    }
  void keep;
  return Object.fromEntries(
    names.map((n) => [n, { wall: summarize(wall.get(n)!, 2), cpu: summarize(cpu.get(n)!, 2) }]),
  );
}

/** JS heap plus ArrayBuffer backing stores (typed arrays live outside the JS heap). */
const heapBytes = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * A settled heap: full GCs, a macrotask turn (so that concurrent marking or sweeping in flight
 * finishes; a synchronous `gc()` during incremental marking can keep objects allocated meanwhile),
 * then full GCs again.
 */
async function settledHeapBytes(): Promise<number> {
  fullGC();
  await setTimeout(20);
  fullGC();
  return heapBytes();
}

/**
 * Retained memory of what `build` returns, in MB (2^20 bytes): settled heapUsed + arrayBuffers
 * before; build and hold the result; settled after; after − before. Only what stays reachable
 * from the result counts — garbage made while building does not. `samples` independent builds.
 */
export async function retainedMB<T>(build: () => T, samples = 5): Promise<Samples> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const before = await settledHeapBytes();
    let held: T | undefined = build();
    const after = await settledHeapBytes();
    out.push((after - before) / 2 ** 20);
    // Read it after the second measurement, so that it cannot be collected before it.
    if (held === undefined) throw new Error("build returned undefined");
    held = undefined;
  }
  return summarize(out, 2);
}

/** Pre-resolved flows for the tight loop: `[src, dst, portIndex]` per op, flat. */
export interface IndexTriples {
  readonly data: Int32Array;
  readonly count: number;
}

/** A value the optimiser cannot prove unused (results are folded into it). */
export let sink = 0;

/**
 * ns/op of `table.allowsIndex(src, dst, k)` over the triples: each sample runs the whole array
 * `passes` times (≥ 1e6 ops per sample together), counting allowed results into a sink. The same
 * loop without the call is reported too, as the floor the loop itself costs.
 */
export function allowsIndexNsPerOp(
  table: PolicyTable,
  triples: IndexTriples,
  { warmup = 5, samples = 15, minOpsPerSample = 1_000_000 } = {},
): {
  nsPerOp: Samples;
  cpuNsPerOp: Samples;
  loopNsPerOp: Samples;
  opsPerSample: number;
  allowedShare: number;
  /** Garbage collections while the samples of `allowsIndex` ran: 0 when it allocates nothing. */
  collectionsDuringCalls: number;
} {
  const { data, count } = triples;
  const passes = Math.max(1, Math.ceil(minOpsPerSample / count));
  const run = (): number => {
    let allowed = 0;
    for (let p = 0; p < passes; p++)
      for (let i = 0; i < data.length; i += 3)
        if (table.allowsIndex(data[i]!, data[i + 1]!, data[i + 2]!)) allowed++;
    return allowed;
  };
  const empty = (): number => {
    let acc = 0;
    for (let p = 0; p < passes; p++)
      for (let i = 0; i < data.length; i += 3) acc = (acc + data[i]! + data[i + 1]! + data[i + 2]!) | 0;
    return acc;
  };
  const ops = passes * count;
  const measure = (fn: () => number): { wall: Samples; cpu: Samples } => {
    for (let i = 0; i < warmup; i++) sink ^= fn();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = mark();
      sink ^= fn();
      const t = since(t0);
      wall.push(t.wallNs / ops);
      cpu.push(t.cpuNs / ops);
    }
    return { wall: summarize(wall, 2), cpu: summarize(cpu, 2) };
  };
  // Allocation check: a loop that allocates nothing triggers no garbage collection. Counted by
  // `v8.GCProfiler`, which reports collections synchronously (a `PerformanceObserver`'s `gc`
  // entries arrive only after an event-loop turn, so `takeRecords()` right after a synchronous
  // loop returns none of them whatever the loop allocated).
  const profiler = new GCProfiler();
  profiler.start();
  const call = measure(run);
  const collectionsDuringCalls = profiler.stop()?.statistics.length ?? 0;
  const loop = measure(empty);
  return {
    collectionsDuringCalls,
    nsPerOp: call.wall,
    cpuNsPerOp: call.cpu,
    loopNsPerOp: loop.wall,
    opsPerSample: ops,
    allowedShare: round(run() / ops),
  };
}

/**
 * ns/op of a per-flow function over a list of inputs (the reference evaluator): one warmup pass,
 * then passes until at least `samples` passes and `minMs` have elapsed. Returns the results of the
 * last pass so that the caller can check them.
 */
export function perCallNsPerOp<I, O>(
  inputs: readonly I[],
  fn: (input: I) => O,
  { samples = 5, minMs = 1000 } = {},
): { nsPerOp: Samples; cpuNsPerOp: Samples; results: O[] } {
  let results = inputs.map(fn);
  const wall: number[] = [];
  const cpu: number[] = [];
  const start = nowNs();
  while (wall.length < samples || (elapsedMs(start) < minMs && wall.length < 50)) {
    const t0 = mark();
    results = inputs.map(fn);
    const t = since(t0);
    wall.push(t.wallNs / inputs.length);
    cpu.push(t.cpuNs / inputs.length);
  }
  return { nsPerOp: summarize(wall, 0), cpuNsPerOp: summarize(cpu, 0), results };
}

/**
 * ns/op of `fn`, which runs `ops` operations and returns a value folded into the sink: `warmup`
 * unrecorded runs, then `samples` recorded ones (wall and CPU time per op).
 */
export function nsPerOp(
  fn: () => number,
  ops: number,
  { warmup = 5, samples = 15 } = {},
): { wall: Samples; cpu: Samples } {
  for (let i = 0; i < warmup; i++) sink ^= fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = mark();
    sink ^= fn();
    const t = since(t0);
    wall.push(t.wallNs / ops);
    cpu.push(t.cpuNs / ops);
  }
  return { wall: summarize(wall, 2), cpu: summarize(cpu, 2) };
}

/** Pool the samples of several measurements of the same thing into one summary. */
export const pool = (xs: readonly Samples[], digits = 2): Samples =>
  summarize(
    xs.flatMap((s) => s.samples),
    digits,
  );

/**
 * Heap bytes `fn` allocates per operation: the growth of `v8.getHeapStatistics()`'s
 * `used_heap_size` across one run of `fn` (`ops` operations), plus what every collection inside the
 * run freed (`v8.GCProfiler`, which reports each collection's heap before and after it
 * synchronously). V8 allocates by bumping a pointer, so that sum is what was allocated. `empty` is
 * the same loop without the operation: what the measurement itself allocates (the statistics
 * object) is its growth, subtracted. The minimum over `windows` windows of each is used, and a
 * difference under `toleranceBytes` (1 KiB: a stray allocation of the runtime, against 12 MB that
 * one 12-byte object per call over 10⁶ calls makes) counts as none. `allocationsPerOp` counts
 * 12-byte objects (the smallest V8 heap object with pointer compression, a HeapNumber): an upper
 * bound on objects per call, exactly 0 when nothing was allocated.
 */
export function allocationsPerCall(
  fn: () => number,
  empty: () => number,
  ops: number,
  { windows = 7, toleranceBytes = 1024 } = {},
): {
  bytesPerOp: number;
  allocationsPerOp: number;
  callWindows: number[];
  emptyWindows: number[];
  collections: number;
} {
  let collections = 0;
  const growth = (f: () => number): number[] => {
    for (let i = 0; i < 3; i++) sink ^= f(); // optimised before the windows
    const out: number[] = [];
    for (let w = 0; w < windows; w++) {
      const profiler = new GCProfiler();
      profiler.start();
      const h0 = getHeapStatistics().used_heap_size;
      sink ^= f();
      const h1 = getHeapStatistics().used_heap_size;
      const gcs = profiler.stop()?.statistics ?? [];
      let freed = 0;
      for (const g of gcs)
        freed += g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
      if (f === fn) collections += gcs.length;
      out.push(h1 - h0 + freed);
    }
    return out;
  };
  const callWindows = growth(fn);
  const emptyWindows = growth(empty);
  const grown = Math.min(...callWindows) - Math.min(...emptyWindows);
  const bytes = grown < toleranceBytes ? 0 : grown;
  return {
    bytesPerOp: round(bytes / ops, 6),
    allocationsPerOp: round(bytes / 12 / ops, 6),
    callWindows,
    emptyWindows,
    collections,
  };
}
