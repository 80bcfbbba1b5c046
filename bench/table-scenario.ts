// One compiled-table scenario, end to end: generate, compile, measure (harness.ts), check the
// sampled flows against the reference evaluator, print one JSON object on stdout. A scenario file
// in bench/scenarios/ only names its shape and goals and calls `runTableScenario`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "../src/compile/compile.ts";
import type { PolicyTable } from "../src/engine/policy-table.ts";
import type { Decision, Flow } from "../src/model/flow.ts";
import { CONFORMANCE_PROFILE, type Profile } from "../src/model/profile.ts";
import type { Cluster } from "../src/model/types.ts";
import { type GenerateOptions, generateCluster, generateFlows } from "./generate.ts";
import {
  allowsIndexNsPerOp,
  type IndexTriples,
  log,
  perCallNsPerOp,
  retainedMB,
  type Samples,
  timeMs,
} from "./harness.ts";

/** The reference evaluator's signature (src/reference/evaluate.ts): the slow per-flow interpreter. */
export type Evaluate = (cluster: Cluster, flow: Flow, profile?: Profile) => Decision;

/** Targets of a scenario; a goal is met when the measured median is at or under it (speedup: at or over). */
export interface Goals {
  readonly compileMs: number;
  readonly retainedMB: number;
  readonly allowsIndexNsPerOp: number;
  readonly speedup: number;
}

export interface TableScenario {
  readonly name: string;
  readonly cluster: GenerateOptions;
  readonly goals: Goals;
  /** Flows in the `allowsIndex` loop (resolved once to index triples); default 2^18. */
  readonly indexFlows?: number;
  /** Flows given to the reference evaluator (and checked against `decide`); default 400. */
  readonly referenceFlows?: number;
  /** Seed of the flows; default the cluster seed + 1. */
  readonly flowSeed?: number;
}

const REFERENCE = new URL("../src/reference/evaluate.ts", import.meta.url);

/** The reference evaluator, or undefined while `src/reference/evaluate.ts` does not exist yet. */
async function loadReference(): Promise<Evaluate | undefined> {
  if (!existsSync(fileURLToPath(REFERENCE))) return undefined;
  const mod = (await import(REFERENCE.href)) as { evaluate?: unknown };
  if (typeof mod.evaluate !== "function") throw new Error(`${REFERENCE.pathname} exports no evaluate()`);
  return mod.evaluate as Evaluate;
}

/** Sizes of the compiled table: what memory and compile time scale with (docs/architecture.md, Costs). */
function tableShape(table: PolicyTable): Record<string, number> {
  const ir = table.ir;
  const dir = (d: typeof ir.egress, prefix: string): Record<string, number> => ({
    [`${prefix}Rules`]: d.rules.length,
    [`${prefix}Groups`]: d.groupPolicies.length - 1,
    [`${prefix}GlobalClasses`]: d.globalClassCount,
    [`${prefix}LocalClassesMax`]: d.localClass.reduce((m, c) => Math.max(m, c + 1), 0),
    [`${prefix}GlobalCells`]: d.globalCells.length,
    [`${prefix}LocalCells`]: d.localCells.length,
  });
  return {
    endpoints: table.endpointCount,
    addressClasses: ir.addressClasses.length,
    portClasses: ir.portClassCount,
    portRows: ir.portRows.length / ir.portClassCount,
    ...dir(ir.egress, "egress"),
    ...dir(ir.ingress, "ingress"),
  };
}

/** Resolve flows to `[src, dst, portIndex]` triples; flows that cannot be resolved (a missing named port) are skipped. */
function toTriples(table: PolicyTable, flows: readonly Flow[]): IndexTriples {
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
  const evaluate = await loadReference();
  log(`${s.name}: generating ${JSON.stringify(s.cluster)}`);
  const cluster = generateCluster(s.cluster);
  const build = (): PolicyTable => compile(cluster, { profile });
  const table = build();
  const shape = tableShape(table);
  log(`${s.name}: table ${JSON.stringify(shape)}`);

  log(`${s.name}: compile time`);
  const compileMs = timeMs(build, { warmup: 3, samples: 15 });
  log(`${s.name}: retained memory`);
  const memory = retainedMB(build, 5);

  const flows = generateFlows(cluster, s.indexFlows ?? 1 << 18, s.flowSeed ?? s.cluster.seed + 1);
  const triples = toTriples(table, flows);
  log(`${s.name}: allowsIndex over ${triples.count} resolved flows`);
  const loop = allowsIndexNsPerOp(table, triples);
  const decideFlows = flows.slice(0, 20_000);
  const decide = perCallNsPerOp(decideFlows, (f) => table.decide(f), { samples: 9, minMs: 500 });

  const sample = flows.slice(0, s.referenceFlows ?? 400);
  const engine = sample.map((f) => table.decide(f));
  let reference: Record<string, unknown> = { available: false, note: "src/reference/evaluate.ts not found" };
  let referenceNsPerOp: number | null = null;
  let agree: boolean | null = null;
  let mismatch: Record<string, unknown> | undefined;
  if (evaluate !== undefined) {
    log(`${s.name}: reference evaluator on ${sample.length} flows`);
    const ref = perCallNsPerOp(sample, (f) => evaluate(cluster, f, profile), { samples: 5, minMs: 2000 });
    referenceNsPerOp = ref.nsPerOp.median;
    const i = ref.results.findIndex((d, j) => d.verdict !== engine[j]!.verdict);
    agree = i < 0;
    if (i >= 0) mismatch = { flow: sample[i], engine: engine[i], reference: ref.results[i] };
    reference = {
      available: true,
      flows: sample.length,
      nsPerOp: ref.nsPerOp,
      allowedShare: share(ref.results, "allow"),
      deniedShare: share(ref.results, "deny"),
      unknownShare: share(ref.results, "unknown"),
    };
  }

  const allowsNs = loop.nsPerOp.median;
  const speedup = referenceNsPerOp === null ? null : Math.round(referenceNsPerOp / allowsNs);
  const { goals } = s;
  const result = {
    name: s.name,
    namespaces: cluster.namespaces.length,
    pods: cluster.pods.length,
    policies: cluster.networkPolicies.length,
    generator: s.cluster,
    table: shape,
    compileMs: compileMs as Samples,
    retainedMB: memory.median,
    retainedMBSamples: memory.samples,
    allowsIndexNsPerOp: allowsNs,
    allowsIndex: {
      nsPerOp: loop.nsPerOp,
      loopOnlyNsPerOp: loop.loopNsPerOp.median,
      flows: triples.count,
      opsPerSample: loop.opsPerSample,
      allowedShare: loop.allowedShare,
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
        compileMs: compileMs.median <= goals.compileMs,
        retainedMB: memory.median <= goals.retainedMB,
        allowsIndexNsPerOp: allowsNs <= goals.allowsIndexNsPerOp,
        speedup: speedup === null ? null : speedup >= goals.speedup,
      },
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (mismatch !== undefined) {
    log(`${s.name}: engine and reference DISAGREE: ${JSON.stringify(mismatch)}`);
    process.exitCode = 1;
  }
}
