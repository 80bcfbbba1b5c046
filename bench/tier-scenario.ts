// What the admin/baseline tiers cost: one cluster compiled and queried with and without a set of
// ClusterNetworkPolicies, in one process, back to back, over the same flows. A scenario file in
// bench/scenarios/ names the shape and the goals (ratios) and calls `runTierScenario`.
//
// Order (each block preceded by a full GC, so that one cluster's garbage is not collected inside
// the other's samples): compile without, with, without again (the two "without" blocks bracket
// the slow one, so that drift shows); retained memory without, with; allowsIndex without, with,
// without, with (samples pooled per cluster). Ratios are with / without of the medians.
import { compile } from "../src/compile.ts";
import { PolicyTable } from "../src/engine/policy-table.ts";
import { makeCluster } from "../src/model/cluster.ts";
import type { DecidedBy, Decision, Flow } from "../src/model/flow.ts";
import { CONFORMANCE_PROFILE } from "../src/model/profile.ts";
import type { Cluster, ClusterNetworkPolicy } from "../src/model/types.ts";
import { evaluate } from "../src/reference/evaluate.ts";
import { type GenerateOptions, generateCluster, generateFlows } from "./generate.ts";
import { generateClusterPolicies, generateNodes } from "./generate-tiers.ts";
import {
  allowsIndexNsPerOp,
  fullGC,
  type IndexTriples,
  loadAverage,
  log,
  retainedMB,
  type Samples,
  summarize,
  timeMs,
  watchOtherLoad,
} from "./harness.ts";
import { tableShape } from "./table-scenario.ts";

export interface TierGoals {
  /** compile with / without, at most. */
  readonly compileRatio: number;
  /** ns per allowsIndex call with / without, at most. */
  readonly allowsIndexRatio: number;
}

export interface TierScenario {
  readonly name: string;
  readonly cluster: GenerateOptions;
  /** How many ClusterNetworkPolicies (generate-tiers.ts) and their seed. */
  readonly clusterPolicies: number;
  readonly clusterPolicySeed: number;
  readonly goals: TierGoals;
  /** Compile samples per block (default 25, after 5 warm-ups). */
  readonly compileSamples?: number;
  readonly indexFlows?: number;
}

/** Whether the reference evaluator decides the admin tier at all (an admin Deny of everything). */
function referenceHasTiers(): boolean {
  const pod = (name: string, ip: string) => ({
    namespace: "x",
    name,
    labels: {},
    ports: [],
    hostNetwork: false,
    podIPs: [ip],
  });
  const cluster = makeCluster({
    pods: [pod("a", "10.9.0.1"), pod("b", "10.9.0.2")],
    clusterNetworkPolicies: [
      {
        kind: "ClusterNetworkPolicy",
        name: "deny",
        tier: "Admin",
        priority: 0,
        subject: { namespaces: {} },
        ingress: [{ action: "Deny", peers: [{ namespaces: {} }] }],
        egress: [],
      },
    ],
  });
  return evaluate(cluster, { from: "x/a", to: "x/b", port: 80 }).verdict === "deny";
}

/** The flows both tables resolve, as index triples of each (pod indices agree; address and port indices need not). */
function jointTriples(a: PolicyTable, b: PolicyTable, flows: readonly Flow[]): [IndexTriples, IndexTriples] {
  const da: number[] = [];
  const db: number[] = [];
  for (const f of flows) {
    const ra = a.resolve(f);
    const rb = b.resolve(f);
    if (!ra.ok || !rb.ok) continue;
    da.push(ra.src, ra.dst, ra.portIndex);
    db.push(rb.src, rb.dst, rb.portIndex);
  }
  return [
    { data: Int32Array.from(da), count: da.length / 3 },
    { data: Int32Array.from(db), count: db.length / 3 },
  ];
}

/** What the generated cluster policies look like (to read the numbers against). */
function describePolicies(cnps: readonly ClusterNetworkPolicy[]): Record<string, unknown> {
  const count = (f: (c: ClusterNetworkPolicy) => boolean): number => cnps.filter(f).length;
  const rules = cnps.flatMap((c) => [...c.ingress, ...c.egress]);
  const peers = rules.flatMap((r) => r.peers);
  const ports = rules.flatMap((r) => r.ports ?? []);
  const prio = new Map<string, number>();
  for (const c of cnps) prio.set(`${c.tier}/${c.priority}`, (prio.get(`${c.tier}/${c.priority}`) ?? 0) + 1);
  return {
    count: cnps.length,
    admin: count((c) => c.tier === "Admin"),
    baseline: count((c) => c.tier === "Baseline"),
    namespaceSubjects: count((c) => "namespaces" in c.subject),
    podSubjects: count((c) => "pods" in c.subject),
    ingressRules: cnps.reduce((n, c) => n + c.ingress.length, 0),
    egressRules: cnps.reduce((n, c) => n + c.egress.length, 0),
    actions: {
      Accept: rules.filter((r) => r.action === "Accept").length,
      Deny: rules.filter((r) => r.action === "Deny").length,
      Pass: rules.filter((r) => r.action === "Pass").length,
    },
    peers: {
      namespaces: peers.filter((p) => p.namespaces !== undefined).length,
      pods: peers.filter((p) => p.pods !== undefined).length,
      networks: peers.filter((p) => p.networks !== undefined).length,
      nodes: peers.filter((p) => p.nodes !== undefined).length,
    },
    rulesWithAllPorts: rules.filter((r) => r.ports === undefined).length,
    portRanges: ports.filter((p) => "start" in p && p.end > p.start).length,
    singlePorts: ports.filter((p) => "start" in p && p.end === p.start).length,
    namedPorts: ports.filter((p) => "name" in p).length,
    policiesSharingAPriority: [...prio.values()].filter((n) => n > 1).reduce((a, b) => a + b, 0),
  };
}

const round = (x: number, d = 3): number => Number(x.toFixed(d));
const pool = (xs: readonly Samples[], digits: number): Samples =>
  summarize(
    xs.flatMap((s) => s.samples),
    digits,
  );

export async function runTierScenario(s: TierScenario): Promise<void> {
  const profile = CONFORMANCE_PROFILE;
  const loadBefore = loadAverage();
  const otherLoad = watchOtherLoad();
  log(`${s.name}: generating ${JSON.stringify(s.cluster)} + ${s.clusterPolicies} cluster policies`);
  const generated = generateCluster(s.cluster);
  const nodes = generateNodes(s.cluster.nodes ?? 20, s.cluster.seed + 2);
  const cnps = generateClusterPolicies(s.clusterPolicies, s.cluster.namespaces, s.clusterPolicySeed);
  const lists = {
    namespaces: generated.namespaces,
    pods: generated.pods,
    networkPolicies: generated.networkPolicies,
  };
  // Both clusters have the Node objects (labels for the nodes peers; their addresses are the pods'
  // hostIPs, so they add no address class): the only difference is the cluster policies.
  const without: Cluster = makeCluster({ ...lists, nodes });
  const withTiers: Cluster = makeCluster({ ...lists, nodes, clusterNetworkPolicies: cnps });
  const buildWithout = (): PolicyTable => compile(without, { profile });
  const buildWith = (): PolicyTable => compile(withTiers, { profile });
  const t0 = buildWithout();
  const t1 = buildWith();
  const shape = { without: tableShape(t0), with: tableShape(t1) };
  log(`${s.name}: tables ${JSON.stringify(shape)}`);

  const samples = s.compileSamples ?? 25;
  const block = (name: string, fn: () => PolicyTable) => {
    log(`${s.name}: compile ${name} (${samples} samples after 5 warm-ups)`);
    fullGC();
    return timeMs(fn, { warmup: 5, samples });
  };
  const c0a = block("without", buildWithout);
  const c1 = block("with", buildWith);
  const c0b = block("without, again", buildWithout);
  const compileWithout = pool([c0a.wall, c0b.wall], 2);
  const compileRatio = round(c1.wall.median / compileWithout.median, 2);

  log(`${s.name}: retained memory`);
  const mem0 = await retainedMB(buildWithout, 5);
  const mem1 = await retainedMB(buildWith, 5);

  const flows = generateFlows(generated, s.indexFlows ?? 1 << 18, s.cluster.seed + 1);
  const [tr0, tr1] = jointTriples(t0, t1, flows);
  log(`${s.name}: allowsIndex over ${tr0.count} flows both tables resolve`);
  const loops = [];
  for (let round = 0; round < 2; round++) {
    fullGC();
    loops.push({ without: allowsIndexNsPerOp(t0, tr0) });
    fullGC();
    loops.push({ with: allowsIndexNsPerOp(t1, tr1) });
  }
  const ix0 = loops.flatMap((l) => (l.without === undefined ? [] : [l.without]));
  const ix1 = loops.flatMap((l) => (l.with === undefined ? [] : [l.with]));
  const ns0 = pool(
    ix0.map((l) => l.nsPerOp),
    2,
  );
  const ns1 = pool(
    ix1.map((l) => l.nsPerOp),
    2,
  );
  const allowsIndexRatio = round(ns1.median / ns0.median, 2);
  // The same tiered table forced into the packed view (no PACK_LIMIT): the very instructions of
  // the table without tiers, so that what is left of the ratio is the bigger table's cache misses.
  log(`${s.name}: allowsIndex of the tiered table forced packed`);
  const t1p = new PolicyTable(t1.ir, t1.diagnostics, { packLimit: 2 ** 31 - 1 });
  const ixp: ReturnType<typeof allowsIndexNsPerOp>[] = [];
  for (let round = 0; round < 2; round++) {
    fullGC();
    ixp.push(allowsIndexNsPerOp(t1p, tr1));
  }
  const nsp = pool(
    ixp.map((l) => l.nsPerOp),
    2,
  );

  // What the 200 change, and which stage decides with them (explain of the "with" table).
  const sample = flows.slice(0, 20_000);
  const v0 = sample.map((f) => t0.decide(f).verdict);
  const v1 = sample.map((f) => t1.decide(f).verdict);
  const changed = v0.filter((v, i) => v !== v1[i]).length;
  const decidedBy: Partial<Record<DecidedBy, number>> = {};
  for (const f of sample.slice(0, 2000)) {
    const e = t1.explain(f);
    for (const d of [e.egress, e.ingress]) decidedBy[d.decidedBy] = (decidedBy[d.decidedBy] ?? 0) + 1;
  }

  // Correctness: engine = reference on 400 flows; on the tiered cluster only once the reference
  // evaluates the tiers (it has only the NetworkPolicy tier so far: src/reference/evaluate.ts).
  const tiers = referenceHasTiers();
  const check = (cluster: Cluster, table: PolicyTable) => {
    const flows400 = flows.slice(0, 400);
    const bad = flows400.findIndex((f) => table.decide(f).verdict !== evaluate(cluster, f, profile).verdict);
    return bad < 0
      ? { flows: 400, agree: true }
      : {
          flows: 400,
          agree: false,
          firstMismatch: {
            flow: flows400[bad],
            engine: table.decide(flows400[bad]!) as Decision,
            reference: evaluate(cluster, flows400[bad]!, profile),
          },
        };
  };
  log(`${s.name}: reference check`);
  const refWithout = check(without, t0);
  const refWith = tiers
    ? check(withTiers, t1)
    : { skipped: "src/reference evaluates only the NetworkPolicy tier (TIERS = [networkPolicyTier])" };

  const { goals } = s;
  const result = {
    name: s.name,
    loadavg: { before: loadBefore, after: loadAverage() },
    otherProcessesCores: otherLoad(),
    namespaces: without.namespaces.length,
    pods: without.pods.length,
    policies: without.networkPolicies.length,
    nodes: without.nodes.length,
    generator: s.cluster,
    clusterPolicies: { seed: s.clusterPolicySeed, ...describePolicies(cnps) },
    table: shape,
    compileRatio,
    allowsIndexRatio,
    /** With the tiered table forced packed: same query code as without; the rest is memory. */
    allowsIndexRatioForcedPacked: round(nsp.median / ns0.median, 2),
    forcedPacked: { nsPerOp: nsp, view: t1p.view },
    retainedMB: { without: mem0.median, with: mem1.median, ratio: round(mem1.median / mem0.median, 2) },
    compileMs: {
      without: compileWithout,
      with: c1.wall,
      withoutBlocks: [c0a.wall.median, c0b.wall.median],
      cpuWithout: pool([c0a.cpu, c0b.cpu], 2),
      cpuWith: c1.cpu,
    },
    allowsIndexNsPerOp: {
      without: ns0,
      with: ns1,
      withoutRounds: ix0.map((l) => l.nsPerOp.median),
      withRounds: ix1.map((l) => l.nsPerOp.median),
      loopOnlyNsPerOp: ix0[0]!.loopNsPerOp.median,
      flows: tr0.count,
      opsPerSample: ix0[0]!.opsPerSample,
      allowedShare: { without: ix0[0]!.allowedShare, with: ix1[0]!.allowedShare },
      collectionsDuringCalls: [...ix0, ...ix1].reduce((n, l) => n + l.collectionsDuringCalls, 0),
    },
    retainedMBSamples: { without: mem0.samples, with: mem1.samples },
    effect: {
      flows: sample.length,
      verdictChangedShare: round(changed / sample.length),
      decidedByWith: decidedBy,
    },
    reference: { without: refWithout, with: refWith },
    goals: {
      ...goals,
      met: {
        compileRatio: compileRatio <= goals.compileRatio,
        allowsIndexRatio: allowsIndexRatio <= goals.allowsIndexRatio,
      },
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const disagree = !refWithout.agree || ("agree" in refWith && !refWith.agree);
  if (disagree) {
    log(`${s.name}: engine and reference DISAGREE`);
    process.exitCode = 1;
  }
}
