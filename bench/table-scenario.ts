// One compiled-table scenario, end to end: generate, compile, measure (harness.ts), check the
// sampled flows against the reference evaluator, print one JSON object on stdout. A scenario file
// in bench/scenarios/ only names its shape and goals and calls `runTableScenario`.
import { compile } from "../src/compile.ts";
import { packTable } from "../src/engine/pack-table.ts";
import type { PolicyTable } from "../src/engine/policy-table.ts";
import type { PolicyTableIR } from "../src/ir/policy-table-ir.ts";
import type { Decision, Flow } from "../src/model/flow.ts";
import { CONFORMANCE_PROFILE } from "../src/model/profile.ts";
import type { Cluster } from "../src/model/types.ts";
import { evaluate } from "../src/reference/evaluate.ts";
import { type GenerateOptions, generateCluster, generateFlows } from "./generate.ts";
import {
  allowsIndexNsPerOp,
  type IndexTriples,
  loadAverage,
  log,
  perCallNsPerOp,
  retainedMB,
  timeMs,
  watchOtherLoad,
} from "./harness.ts";

/** Targets of a scenario; a goal is met when the measured median is at or under it (speedup: at or over). */
export interface Goals {
  readonly compileMs: number;
  readonly retainedMB: number;
  readonly allowsIndexNsPerOp: number;
  readonly speedup: number;
}

/** A workload other than `generateCluster`'s: its own generator and flows (e.g. generate-hostile.ts). */
export interface CustomWorkload {
  /** What the JSON reports as `generator`. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly seed: number;
  generate(): Cluster;
  flows(cluster: Cluster, count: number, seed: number): Flow[];
}

export interface TableScenario {
  readonly name: string;
  readonly cluster: GenerateOptions | CustomWorkload;
  /** Compile samples: steady (after `warmup`) and after a full GC; default 5, 25, 15. */
  readonly compileSamples?: {
    readonly warmup: number;
    readonly steady: number;
    readonly afterFullGC: number;
  };
  readonly goals: Goals;
  /** Flows in the `allowsIndex` loop (resolved once to index triples); default 2^18. */
  readonly indexFlows?: number;
  /** Flows given to the reference evaluator (and checked against `decide`); default 400. */
  readonly referenceFlows?: number;
  /** Seed of the flows; default the cluster seed + 1. */
  readonly flowSeed?: number;
}

/**
 * Row counts in either IR layout: dense rows (`portRows`, K outcome ids each) or rows as runs
 * (`rowStart`/`runClass`/`runOutcome`, docs/hostile-case.md) — read loosely, so that the bench
 * builds against both while the layout changes.
 */
function rowShape(ir: PolicyTableIR): Record<string, number> {
  const loose = ir as unknown as Record<string, Int32Array | undefined>;
  const dense = loose.portRows;
  if (dense !== undefined) return { portRows: dense.length / ir.portClassCount };
  return { portRows: (loose.rowStart?.length ?? 1) - 1, portRowRuns: loose.runClass?.length ?? 0 };
}

/** Sparse global blocks, when the IR has them. */
function sparseShape(d: PolicyTableIR["egress"], prefix: string): Record<string, number> {
  const loose = d as unknown as Record<string, Int32Array | undefined>;
  if (loose.sparseStart === undefined) return {};
  return {
    [`${prefix}SparseBlocks`]: loose.sparseStart.length - 1,
    [`${prefix}SparseCells`]: loose.sparseClass?.length ?? 0,
  };
}

/** Sizes of the compiled table: what memory and compile time scale with (docs/architecture.md, Costs). */
export function tableShape(table: PolicyTable): Record<string, number | string> {
  const ir = table.ir;
  const dir = (d: typeof ir.egress, prefix: string): Record<string, number> => ({
    [`${prefix}Rules`]: d.rules.length,
    [`${prefix}Groups`]: d.groupPolicies.length - 1,
    [`${prefix}GlobalClasses`]: d.globalClassCount,
    [`${prefix}LocalClassesMax`]: d.localClass.reduce((m, c) => Math.max(m, c + 1), 0),
    [`${prefix}GlobalCells`]: d.globalCells.length,
    [`${prefix}LocalCells`]: d.localCells.length,
    ...sparseShape(d, prefix),
  });
  const packed = packTable(ir); // the query's view, as the table's constructor built it
  const h = packed.hashed;
  return {
    endpoints: table.endpointCount,
    addressClasses: ir.addressClasses.length,
    portClasses: ir.portClassCount,
    ...rowShape(ir),
    ...dir(ir.egress, "egress"),
    ...dir(ir.ingress, "ingress"),
    queryRecordInts: packed.records.length,
    queryCellInts: packed.cells.length,
    foldedNamespaces: packed.folded,
    splitNamespaces: packed.split,
    // The hashed view (src/engine/pack-hashed.ts) of a table whose packed cells would pass
    // PACK_LIMIT: its slots, rows (windowed masks) and same-namespace cells.
    ...(h === undefined
      ? {}
      : {
          querySlotInts: h.slots.length,
          queryRows: h.rows,
          queryRowInts: h.words.length,
          querySameNamespaceInts: h.sn.length,
        }),
  };
}

/** Resolve flows to `[src, dst, portIndex]` triples; flows that cannot be resolved (a missing named port) are skipped. */
export function toTriples(table: PolicyTable, flows: readonly Flow[]): IndexTriples {
  const data: number[] = [];
  for (const f of flows) {
    const r = table.resolve(f);
    if (r.ok) data.push(r.src, r.dst, r.portIndex);
  }
  return { data: Int32Array.from(data), count: data.length / 3 };
}

const share = (decisions: readonly Decision[], verdict: string): number =>
  Number((decisions.filter((d) => d.verdict === verdict).length / decisions.length).toFixed(3));

/** Run a scenario and write its JSON result to stdout; exits non-zero when engine and reference disagree. */
export async function runTableScenario(s: TableScenario): Promise<void> {
  const profile = CONFORMANCE_PROFILE;
  const loadBefore = loadAverage();
  const otherLoad = watchOtherLoad();
  const custom = "generate" in s.cluster ? s.cluster : undefined;
  const generator = custom === undefined ? s.cluster : custom.options;
  log(`${s.name}: generating ${JSON.stringify(generator)}`);
  const cluster = custom === undefined ? generateCluster(s.cluster as GenerateOptions) : custom.generate();
  const build = (): PolicyTable => compile(cluster, { profile });
  const table = build();
  const shape = tableShape(table);
  log(`${s.name}: table ${JSON.stringify(shape)}`);

  log(`${s.name}: compile time`);
  const n = s.compileSamples ?? { warmup: 5, steady: 25, afterFullGC: 15 };
  const compileMs = timeMs(build, { warmup: n.warmup, samples: n.steady });
  const compileAfterGC = timeMs(build, { warmup: 0, samples: n.afterFullGC, mode: "afterFullGC" });
  log(`${s.name}: retained memory`);
  const memory = await retainedMB(build, 5);

  const flowCount = s.indexFlows ?? 1 << 18;
  const flowSeed = s.flowSeed ?? s.cluster.seed + 1;
  const flows =
    custom === undefined
      ? generateFlows(cluster, flowCount, flowSeed)
      : custom.flows(cluster, flowCount, flowSeed);
  const triples = toTriples(table, flows);
  log(`${s.name}: allowsIndex over ${triples.count} resolved flows`);
  const loop = allowsIndexNsPerOp(table, triples);
  const decideFlows = flows.slice(0, 20_000);
  const decide = perCallNsPerOp(decideFlows, (f) => table.decide(f), { samples: 9, minMs: 500 });

  const sample = flows.slice(0, s.referenceFlows ?? 400);
  const engine = sample.map((f) => table.decide(f));
  log(`${s.name}: reference evaluator on ${sample.length} flows`);
  const ref = perCallNsPerOp(sample, (f) => evaluate(cluster, f, profile), { samples: 5, minMs: 2000 });
  const referenceNsPerOp = ref.nsPerOp.median;
  const at = ref.results.findIndex((d, j) => d.verdict !== engine[j]!.verdict);
  const agree = at < 0;
  const mismatch = agree ? undefined : { flow: sample[at], engine: engine[at], reference: ref.results[at] };
  const reference = {
    flows: sample.length,
    nsPerOp: ref.nsPerOp,
    cpuNsPerOp: ref.cpuNsPerOp,
    allowedShare: share(ref.results, "allow"),
    deniedShare: share(ref.results, "deny"),
    unknownShare: share(ref.results, "unknown"),
  };

  const allowsNs = loop.nsPerOp.median;
  const speedup = Math.round(referenceNsPerOp / allowsNs);
  const { goals } = s;
  const result = {
    name: s.name,
    // The query's view (src/engine/pack-table.ts): "packed", or "hashed" past PACK_LIMIT.
    view: table.view,
    loadavg: { before: loadBefore, after: loadAverage() },
    otherProcessesCores: otherLoad(),
    namespaces: cluster.namespaces.length,
    pods: cluster.pods.length,
    policies: cluster.networkPolicies.length,
    generator,
    table: shape,
    compileMs: compileMs.wall,
    compileCpuMs: compileMs.cpu,
    compileAfterFullGCMs: compileAfterGC.wall,
    retainedMB: memory.median,
    retainedMBSamples: memory.samples,
    allowsIndexNsPerOp: allowsNs,
    allowsIndex: {
      nsPerOp: loop.nsPerOp,
      cpuNsPerOp: loop.cpuNsPerOp,
      loopOnlyNsPerOp: loop.loopNsPerOp.median,
      flows: triples.count,
      opsPerSample: loop.opsPerSample,
      allowedShare: loop.allowedShare,
      collectionsDuringCalls: loop.collectionsDuringCalls,
    },
    decideNsPerOp: decide.nsPerOp.median,
    referenceNsPerOp,
    reference,
    speedup,
    agree,
    ...(mismatch === undefined ? {} : { firstMismatch: mismatch }),
    goals: {
      ...goals,
      met: {
        compileMs: compileMs.wall.median <= goals.compileMs,
        retainedMB: memory.median <= goals.retainedMB,
        allowsIndexNsPerOp: allowsNs <= goals.allowsIndexNsPerOp,
        speedup: speedup >= goals.speedup,
      },
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (mismatch !== undefined) {
    log(`${s.name}: engine and reference DISAGREE: ${JSON.stringify(mismatch)}`);
    process.exitCode = 1;
  }
}
