// One scale scenario (bench/scales.ts) end to end, in its own process: generate, compile, measure
// everything issue 14 names, check the engine against the reference evaluator, the reachability
// pass against `allowsIndex` and every incremental table against a fresh compile, and print one
// JSON line on stdout: `{ scenario, results: Row[], details }` (bench/results.ts). Progress goes
// to stderr. `NETPOL_BENCH_QUICK=1` (set by `npm run bench -- --quick`) takes fewer samples, and
// runs the event streams only on L.
//
// Order: compile first (steady JIT state), retained memory, then the query loops — the memory
// floor and `allowsIndex` on the uniform mix interleaved, twice, samples pooled, so that a change
// in the machine's load moves both —, the per-flow calls, the reference, reachability, renders,
// and the event streams last (they grow the heap).
import { BUILTIN_BACKENDS } from "../src/backends/builtin.ts";
import { RenderError, render } from "../src/backends/render.ts";
import { compile } from "../src/compile.ts";
import { connectionList } from "../src/engine/connlist.ts";
import type { PolicyTable } from "../src/engine/policy-table.ts";
import { serializeTable } from "../src/engine/serialize-table.ts";
import type { Flow } from "../src/model/flow.ts";
import { CONFORMANCE_PROFILE } from "../src/model/profile.ts";
import { evaluate } from "../src/reference/evaluate.ts";
import { EVENT_KINDS, eventSource } from "./events.ts";
import { mulberry32 } from "./generate.ts";
import {
  allocationsPerCall,
  fullGC,
  type IndexTriples,
  loadAverage,
  log,
  nsPerOp,
  perCallNsPerOp,
  pool,
  retainedMB,
  type Samples,
  summarize,
  timeMs,
  watchOtherLoad,
} from "./harness.ts";
import { applyEvent, IMPLEMENTATION, initialState } from "./incremental.ts";
import { memoryFloor } from "./memory-floor.ts";
import { MIXES, type MixName, queryMix, toFlows } from "./query-mixes.ts";
import { reachabilityIndex } from "./reachability.ts";
import { type Row, row } from "./results.ts";
import { scaleSpec } from "./scales.ts";
import { tableShape } from "./table-scenario.ts";

const INDEX_FLOWS = 1 << 18;
const PASSES = 4; // each loop sample runs the triples this often (≥ 10⁶ calls)
/** Table shape fields that are not sizes (more is not worse): reported in details only. */
const NOT_SIZES = new Set(["foldedNamespaces", "splitNamespaces"]);

/** `allowsIndex` over the triples `PASSES` times: the number of allowed answers. */
const indexLoop =
  (table: PolicyTable, { data }: IndexTriples) =>
  (): number => {
    let allowed = 0;
    for (let p = 0; p < PASSES; p++)
      for (let i = 0; i < data.length; i += 3)
        if (table.allowsIndex(data[i]!, data[i + 1]!, data[i + 2]!)) allowed++;
    return allowed;
  };
/** The same loop without the call (reads the triples): what the allocation check subtracts. */
const emptyLoop =
  ({ data }: IndexTriples) =>
  (): number => {
    let acc = 0;
    for (let p = 0; p < PASSES; p++)
      for (let i = 0; i < data.length; i += 3) acc = (acc + data[i]! + data[i + 1]! + data[i + 2]!) | 0;
    return acc;
  };

/** Lines of rendered text that hold no address: the structure (chains, rules, set headers). */
const ADDRESS = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|\b[0-9a-f]{0,4}:[0-9a-f]{0,4}:[0-9a-f:]*\b/i;

export async function runScaleScenario(name: string): Promise<void> {
  const spec = scaleSpec(name);
  const quick = process.env.NETPOL_BENCH_QUICK === "1";
  const profile = CONFORMANCE_PROFILE;
  const loadBefore = loadAverage();
  const otherLoad = watchOtherLoad();
  const rows: Row[] = [];
  const details: Record<string, unknown> = { shape: spec.shape, quick };
  const add = (
    metric: string,
    value: number,
    unit: string,
    extra: { baseline?: number; ratio?: number } = {},
  ) => {
    const r = row(name, metric, value, unit, extra);
    rows.push(r);
    log(`${name}: ${metric} = ${r.value} ${unit}${r.ratio === undefined ? "" : ` (ratio ${r.ratio})`}`);
  };
  let failed = false;

  log(`${name}: generating ${JSON.stringify(spec.shape)}`);
  const t0 = process.hrtime.bigint();
  const cluster = spec.build();
  add("generate", Number(process.hrtime.bigint() - t0) / 1e6, "ms");
  details.cluster = {
    namespaces: cluster.namespaces.length,
    pods: cluster.pods.length,
    policies: cluster.networkPolicies.length,
    clusterPolicies: cluster.clusterNetworkPolicies.length,
    nodes: cluster.nodes.length,
    ...(spec.describe?.(cluster) ?? {}),
  };
  const build = (): PolicyTable => compile(cluster, { profile });
  const table = build();
  const shape = tableShape(table);
  details.table = shape;
  details.view = table.view;
  for (const [k, v] of Object.entries(shape))
    if (typeof v === "number" && !NOT_SIZES.has(k)) rows.push(row(name, `size.${k}`, v, "count"));

  // Compile.
  const n = quick
    ? {
        warmup: Math.min(3, spec.compileSamples.warmup),
        steady: Math.min(11, spec.compileSamples.steady),
        afterFullGC: 0,
      }
    : spec.compileSamples;
  log(`${name}: compile (${n.warmup} warm-ups, ${n.steady} samples)`);
  fullGC();
  const compiled = timeMs(build, { warmup: n.warmup, warmupMs: quick ? 1000 : 2000, samples: n.steady });
  const compileMs = compiled.wall.median;
  const pub = spec.published;
  add(
    "compile",
    compileMs,
    "ms",
    pub?.compileMs === undefined ? {} : { baseline: pub.compileMs, ratio: pub.compileMs / compileMs },
  );
  add("compileCpu", compiled.cpu.median, "ms");
  details.compileMs = compiled.wall;
  if (n.afterFullGC > 0) {
    const cold = timeMs(build, { warmup: 0, samples: n.afterFullGC, mode: "afterFullGC" });
    add("compileAfterFullGC", cold.wall.median, "ms");
  }
  if (spec.compareWith !== undefined) {
    const other = scaleSpec(spec.compareWith).build();
    log(`${name}: compile of ${spec.compareWith}'s cluster in the same process`);
    fullGC();
    const o = timeMs(() => compile(other, { profile }), { warmup: 3, warmupMs: 1000, samples: 11 });
    add(`compileOver${spec.compareWith}`, compileMs / o.wall.median, "×", { baseline: o.wall.median });
    details[`compile${spec.compareWith}Ms`] = o.wall;
  }

  log(`${name}: retained memory`);
  const memory = await retainedMB(build, quick ? Math.min(3, spec.retainedSamples) : spec.retainedSamples);
  add(
    "retained",
    memory.median,
    "MB",
    pub?.retainedMB === undefined ? {} : { baseline: pub.retainedMB, ratio: pub.retainedMB / memory.median },
  );
  details.retainedMB = memory;

  // The query mixes; the memory floor and allowsIndex interleaved on the uniform mix.
  const mixes = Object.fromEntries(
    MIXES.map((m, i) => [m, queryMix(table, m, INDEX_FLOWS, 1000 + i)]),
  ) as Record<MixName, IndexTriples>;
  const uniform = mixes.uniform;
  const ops = PASSES * uniform.count;
  const floor = memoryFloor(table, uniform);
  details.memoryFloor = { view: floor.view, sizes: floor.sizes };
  const loops = Object.fromEntries(MIXES.map((m) => [m, indexLoop(table, mixes[m])])) as Record<
    MixName,
    () => number
  >;
  const samples = quick ? 9 : 15;
  const got: Record<string, Samples[]> = { floor: [], uniform: [], sameNamespace: [], zipf: [] };
  log(`${name}: allowsIndex and the memory floor (${ops} calls per sample)`);
  for (let round = 0; round < 2; round++) {
    fullGC();
    got.floor!.push(nsPerOp(() => floor.run(PASSES), ops, { samples }).wall);
    for (const m of MIXES) got[m]!.push(nsPerOp(loops[m], ops, { samples }).wall);
  }
  const ns = Object.fromEntries(Object.entries(got).map(([k, v]) => [k, pool(v)])) as Record<string, Samples>;
  const allowsNs = ns.uniform!.median;
  details.allowsIndex = ns;
  const allocation = allocationsPerCall(loops.uniform, emptyLoop(uniform), ops);
  details.allocations = allocation;

  // Per-flow calls, on named flows of the uniform triples.
  const flows = toFlows(table, uniform, 20_000);
  details.flows = flows.length;
  const codes = flows.map((f) => table.decide(f).verdict);
  {
    // The named flows answer as their triples do (they are the same pairs).
    const byIndex = flows.map((f) => {
      const r = table.resolve(f);
      if (!r.ok) return "unresolved";
      const c = table.decideIndex(r.src, r.dst, r.portIndex, r.variant);
      return c === 1 ? "allow" : c === 0 ? "deny" : "unknown";
    });
    const bad = byIndex.findIndex((v, i) => v !== codes[i]);
    if (bad >= 0) {
      log(`${name}: decide and decideIndex differ on ${JSON.stringify(flows[bad])}`);
      failed = true;
    }
  }
  log(`${name}: decide, allows, explain over ${flows.length} flows`);
  const decide = perCallNsPerOp(flows, (f) => table.decide(f), { samples: quick ? 5 : 9, minMs: 300 });
  const allows = perCallNsPerOp(flows, (f) => table.allows(f), { samples: quick ? 5 : 9, minMs: 300 });
  const explainFlows = flows.slice(0, 2000);
  const explain = perCallNsPerOp(explainFlows, (f) => table.explain(f), {
    samples: quick ? 3 : 5,
    minMs: 300,
  });
  const refFlows = flows.slice(0, spec.referenceFlows);
  log(`${name}: reference evaluator on ${refFlows.length} flows`);
  const ref = perCallNsPerOp(refFlows, (f: Flow) => evaluate(cluster, f, profile), {
    samples: 3,
    minMs: quick ? Math.min(1000, spec.referenceMinMs) : spec.referenceMinMs,
  });
  const mismatches = ref.results.filter((d, i) => d.verdict !== codes[i]).length;
  if (mismatches > 0) {
    const at = ref.results.findIndex((d, i) => d.verdict !== codes[i]);
    log(
      `${name}: engine and reference DISAGREE on ${mismatches} flows, first ${JSON.stringify(refFlows[at])}`,
    );
    details.firstMismatch = {
      flow: refFlows[at],
      engine: table.decide(refFlows[at]!),
      reference: ref.results[at],
    };
    failed = true;
  }
  const refNs = ref.nsPerOp.median;
  add("allowsIndex", allowsNs, "ns", { baseline: refNs, ratio: refNs / allowsNs });
  add("memoryFloor", ns.floor!.median, "ns", { ratio: allowsNs / ns.floor!.median });
  add("allowsIndex.sameNamespace", ns.sameNamespace!.median, "ns");
  add("allowsIndex.zipf", ns.zipf!.median, "ns");
  add("allocationsPerAllowsIndex", allocation.allocationsPerOp, "count");
  add("decide", decide.nsPerOp.median, "ns", { ratio: decide.nsPerOp.median / allowsNs });
  add("allows", allows.nsPerOp.median, "ns", { ratio: allows.nsPerOp.median / allowsNs });
  add("explain", explain.nsPerOp.median, "ns", { ratio: explain.nsPerOp.median / allowsNs });
  add("reference", refNs, "ns");
  add("referenceMismatches", mismatches, "count");
  details.reference = {
    flows: refFlows.length,
    nsPerOp: ref.nsPerOp,
    allowShare: Number((codes.filter((c) => c === "allow").length / Math.max(1, codes.length)).toFixed(3)),
  };

  // Reachability: the identity-pair pass, timed whole (index built from the IR, then every pair).
  log(`${name}: reachability`);
  let counts: ReturnType<ReturnType<typeof reachabilityIndex>["run"]> | undefined;
  const reach = timeMs(
    () => {
      counts = reachabilityIndex(table.ir).run();
      return counts;
    },
    { warmup: 1, warmupMs: 1000, samples: quick ? 5 : 9 },
  );
  add("reachability", reach.wall.median, "ms", { ratio: reach.wall.median / compileMs });
  details.reachability = { ms: reach.wall, ...counts };
  {
    // Checked against allowsIndex on random endpoint pairs (a third of them in one namespace), every port class.
    const index = reachabilityIndex(table.ir);
    const rng = mulberry32(77);
    const E = table.endpointCount;
    const K = table.ir.portClassCount;
    const P = table.ir.pods.length;
    let bad = 0;
    for (let i = 0; i < 5000; i++) {
      const s = rng.int(E);
      let d = rng.int(E);
      if (i % 3 === 0 && s < P)
        for (let t = 0; t < 64; t++) {
          const x = rng.int(P);
          if (table.ir.namespace[x] === table.ir.namespace[s]) {
            d = x;
            break;
          }
        }
      if (s === d) continue;
      const mask = index.maskOf(s, d);
      for (let k = 0; k < K; k++)
        if ((((mask[k >>> 5]! >>> (k & 31)) & 1) === 1) !== table.allowsIndex(s, d, k)) bad++;
    }
    add("reachabilityMismatches", bad, "count");
    if (bad > 0) failed = true;
  }
  if (spec.list) {
    let connections = 0;
    const listed = timeMs(
      () => {
        connections = 0;
        for (const _ of connectionList(table).connections()) connections++;
        return connections;
      },
      { warmup: quick ? 0 : 1, samples: quick ? 1 : 3 },
    );
    add("reachabilityList", listed.wall.median, "ms", { ratio: listed.wall.median / compileMs });
    details.reachabilityList = { ms: listed.wall, connections };
  }

  if (spec.render) {
    log(`${name}: render (sizes)`);
    for (const b of Object.values(BUILTIN_BACKENDS)) {
      let artifacts: ReturnType<typeof render>["artifacts"];
      try {
        artifacts = render(table, b, { unsupported: "warn" }).artifacts;
      } catch (e) {
        // A backend refusing the table (a datapath limit, e.g. eBPF map entries) is a finding, not
        // a crash of the scenario: recorded as `rendered.<backend>.refused` with its message.
        if (!(e instanceof RenderError)) throw e;
        log(`${name}: ${b.name} refused: ${e.message}`);
        rows.push(row(name, `rendered.${b.name}.refused`, 1, "count"));
        (details.renderRefused as Record<string, string> | undefined) ??= {};
        (details.renderRefused as Record<string, string>)[b.name] = e.message;
        continue;
      }
      let lines = 0;
      let structure = 0;
      for (const a of artifacts)
        for (const l of a.content.split("\n")) {
          if (l === "") continue;
          lines++;
          if (!ADDRESS.test(l)) structure++;
        }
      rows.push(row(name, `rendered.${b.name}.lines`, lines, "count"));
      rows.push(row(name, `rendered.${b.name}.structureLines`, structure, "count"));
    }
  }

  // Event streams: each kind `events` times in a row, timed, each table checked byte for byte
  // against a fresh compile of the cluster it answers for.
  const events = quick ? (spec.name === "L" ? spec.events : 0) : spec.events;
  if (events > 0) {
    log(`${name}: event streams (${events} per kind; ${IMPLEMENTATION})`);
    let state = initialState(cluster, { profile });
    const next = eventSource(4242, cluster);
    let different = 0;
    const perKind: Record<string, unknown> = {};
    fullGC();
    for (const kind of EVENT_KINDS) {
      // One unrecorded event of the kind first (its state thrown away): the first call of a path
      // runs unoptimised code.
      applyEvent(state, next(kind, state.cluster));
      const us: number[] = [];
      const applied: string[] = [];
      for (let i = 0; i < events; i++) {
        const event = next(kind, state.cluster);
        const t = process.hrtime.bigint();
        const out = applyEvent(state, event);
        us.push(Number(process.hrtime.bigint() - t) / 1e3);
        state = out.state;
        applied.push(state.applied);
        if (serializeTable(out.table) !== serializeTable(compile(state.cluster, { profile }))) {
          different++;
          log(`${name}: ${kind} #${i}: the table differs from a fresh compile`);
        }
      }
      const s = summarize(us, 0);
      perKind[kind] = { us: s, applied };
      add(`incremental.${kind}`, s.median, "µs", {
        baseline: compileMs * 1000,
        ratio: (compileMs * 1000) / s.median,
      });
    }
    add("incremental.mismatches", different, "count");
    details.incremental = { implementation: IMPLEMENTATION, eventsPerKind: events, perKind };
    if (different > 0) failed = true;
  }

  const other = otherLoad();
  add("otherLoad", other, "cores");
  details.load = { loadavgBefore: loadBefore, loadavgAfter: loadAverage(), otherProcessesCores: other };
  process.stdout.write(`${JSON.stringify({ scenario: name, results: rows, details })}\n`);
  if (failed) process.exitCode = 1;
}
