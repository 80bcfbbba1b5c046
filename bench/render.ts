// Rendering, measured beside compiling (issue 11's benchmark): per built-in backend, the time of
// `render(table, backend)` and the bytes it writes, for the whole cluster and for one node, against
// the compile time of the same cluster in the same process (ratio render/compile, goal ≤ 1.0);
// then the doubling check — every pod cloned within its identity (same namespace, labels, ports,
// node; a fresh address in its node's pod range) — which should grow only the set members of the
// output, never anything per pod pair. One JSON line on stdout, as the other scenarios.
import { BUILTIN_BACKENDS } from "../src/backends/builtin.ts";
import type { Backend } from "../src/backends/contract.ts";
import { render } from "../src/backends/render.ts";
import { compile } from "../src/compile.ts";
import type { PolicyTable } from "../src/engine/policy-table.ts";
import { makeCluster } from "../src/model/cluster.ts";
import { CONFORMANCE_PROFILE } from "../src/model/profile.ts";
import type { Cluster, Pod } from "../src/model/types.ts";
import { type GenerateOptions, generateCluster } from "./generate.ts";
import { loadAverage, log, timeRounds, watchOtherLoad } from "./harness.ts";

export interface RenderScenario {
  readonly name: string;
  readonly cluster: GenerateOptions;
  /** The node of the node-scoped render (a name the generator gives). */
  readonly node: string;
  /** Goal: render time / compile time of the same cluster, at most this. */
  readonly goalRatio: number;
}

/**
 * Every pod twice: the clone is `<name>-twin` with the same namespace, labels, ports and node and
 * the next free address of its node's pod /16 (generate.ts gives node n `10.(100+n).0.0/16`), so
 * it falls in the same address classes; hostNetwork pods are cloned as they are (their address is
 * their node's).
 */
export function doublePods(c: Cluster): Cluster {
  const used = new Set(c.pods.flatMap((p) => p.podIPs));
  const next = new Map<string, number>();
  const fresh = (ip: string): string => {
    const [a, b] = ip.split(".");
    const key = `${a}.${b}`;
    let h = next.get(key) ?? 2;
    let candidate: string;
    do {
      candidate = `${key}.${h >> 8}.${h & 255}`;
      h++;
    } while (used.has(candidate));
    next.set(key, h);
    used.add(candidate);
    return candidate;
  };
  const twins: Pod[] = c.pods.map((p) => ({
    ...p,
    name: `${p.name}-twin`,
    podIPs: p.hostNetwork ? p.podIPs : p.podIPs.map(fresh),
  }));
  return makeCluster({
    namespaces: c.namespaces,
    pods: [...c.pods, ...twins],
    networkPolicies: c.networkPolicies,
    nodes: c.nodes,
    clusterNetworkPolicies: c.clusterNetworkPolicies,
  });
}

const bytesOf = (artifacts: readonly { content: string }[]): number =>
  artifacts.reduce((s, a) => s + Buffer.byteLength(a.content, "utf8"), 0);
const linesOf = (artifacts: readonly { content: string }[]): number =>
  artifacts.reduce((s, a) => s + a.content.split("\n").length - 1, 0);
/**
 * Lines that hold no address in text form (`10.1.2.3`, `fd00::1`): in nftables and iptables text
 * the structure — chains, rules, set headers — which doubling the pods should leave as it is. A
 * heuristic: a backend writing addresses in another form (hex bytes in a bpftool batch) counts
 * those lines here too.
 */
const ADDRESS = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|\b[0-9a-f]{0,4}:[0-9a-f]{0,4}:[0-9a-f:]*\b/i;
const linesWithoutAddress = (artifacts: readonly { content: string }[]): number =>
  artifacts.reduce((s, a) => s + a.content.split("\n").filter((l) => l !== "" && !ADDRESS.test(l)).length, 0);
const round = (x: number, d = 3): number => Number(x.toFixed(d));

/** What the output's size follows: groups, peer classes, cells and members (never pod pairs). */
function sizeDrivers(t: PolicyTable): Record<string, number> {
  const ir = t.ir;
  return {
    pods: ir.pods.length,
    egressGroups: ir.egress.groupPolicies.length - 1,
    ingressGroups: ir.ingress.groupPolicies.length - 1,
    egressGlobalClasses: ir.egress.globalClassCount,
    ingressGlobalClasses: ir.ingress.globalClassCount,
    egressGlobalCells: ir.egress.globalCells.length,
    ingressGlobalCells: ir.ingress.globalCells.length,
    addressClasses: ir.addressClasses.length,
  };
}

/** A backend's outputs, checked for determinism, with its timings (whole cluster and `node`). */
function backendResult(
  backend: Backend,
  table: PolicyTable,
  node: string,
  compileMedian: number,
  timed: { whole: Timing; node: Timing },
): Record<string, unknown> {
  const whole = render(table, backend, { unsupported: "warn" });
  const again = render(table, backend, { unsupported: "warn" });
  const deterministic =
    whole.artifacts.length === again.artifacts.length &&
    whole.artifacts.every(
      (a, i) => a.path === again.artifacts[i]!.path && a.content === again.artifacts[i]!.content,
    );
  const nodeResult = render(table, backend, { node, unsupported: "warn" });
  return {
    renderMs: timed.whole.wall,
    renderCpuMs: timed.whole.cpu,
    ratio: round(timed.whole.wall.median / compileMedian),
    outputBytes: bytesOf(whole.artifacts),
    outputLines: linesOf(whole.artifacts),
    files: whole.artifacts.map((a) => ({ path: a.path, bytes: Buffer.byteLength(a.content, "utf8") })),
    warnings: whole.warnings,
    deterministic,
    node: {
      name: node,
      renderMs: timed.node.wall,
      ratio: round(timed.node.wall.median / compileMedian),
      outputBytes: bytesOf(nodeResult.artifacts),
      outputLines: linesOf(nodeResult.artifacts),
    },
  };
}

type Timing = ReturnType<typeof timeRounds>[string];

/**
 * Compile and every render are timed alike, in their steady state, and in rounds (`timeRounds`):
 * each warmed up for at least 3 runs and 1 s (the JIT was still tiering up the renderers' code in
 * the first samples after 2 warm-up runs: ebpf 120 ms, then 71 ms), then 4 rounds in which each
 * runs once unrecorded and 3 times recorded — 12 samples each, spread over the same seconds.
 * Timed one after another, each had its own seconds of a noisy machine and the ratios moved by
 * ±30 % between runs. Renders are cold: the reader caches what it derives per IR object (address
 * index, class ports), so each sample renders a fresh shallow copy of the IR and pays those
 * derivations again.
 */
const TIMING = { warmup: 3, warmupMs: 1000, rounds: 4, perRound: 3, settle: 1 };

export async function runRenderScenario(s: RenderScenario): Promise<void> {
  const profile = CONFORMANCE_PROFILE;
  const loadBefore = loadAverage();
  const otherLoad = watchOtherLoad();
  log(`${s.name}: generating ${JSON.stringify(s.cluster)}`);
  const cluster = generateCluster(s.cluster);
  const build = (c: Cluster) => (): PolicyTable => compile(c, { profile });
  const table = build(cluster)();
  const backends = Object.values(BUILTIN_BACKENDS);
  const cold = (): PolicyTable["ir"] => ({ ...table.ir });
  const fns: Record<string, () => unknown> = { compile: build(cluster) };
  for (const b of backends) {
    fns[b.name] = () => render(cold(), b, { unsupported: "warn" });
    fns[`${b.name}@${s.node}`] = () => render(cold(), b, { node: s.node, unsupported: "warn" });
  }
  log(`${s.name}: compile and ${backends.length} renders (whole cluster, ${s.node}), timed in rounds`);
  const timed = timeRounds(fns, TIMING);
  const compileMs = timed.compile!;
  const compileMedian = compileMs.wall.median;
  const perBackend: Record<string, Record<string, unknown>> = {};
  for (const b of backends)
    perBackend[b.name] = backendResult(b, table, s.node, compileMedian, {
      whole: timed[b.name]!,
      node: timed[`${b.name}@${s.node}`]!,
    });

  log(`${s.name}: doubling the pods within their identities`);
  const doubled = doublePods(cluster);
  const table2 = build(doubled)();
  const before = sizeDrivers(table);
  const after = sizeDrivers(table2);
  const sameIdentities = Object.keys(before).every((k) => k === "pods" || before[k] === after[k]);
  const addedPods = after.pods! - before.pods!;
  const doubling: Record<string, unknown> = { addedPods, sameIdentities, before, after, backends: {} };
  for (const b of backends) {
    const r1 = render(table, b, { unsupported: "warn" }).artifacts;
    const r2 = render(table2, b, { unsupported: "warn" }).artifacts;
    const lines1 = linesOf(r1);
    const lines2 = linesOf(r2);
    (doubling.backends as Record<string, unknown>)[b.name] = {
      bytes: [bytesOf(r1), bytesOf(r2)],
      bytesGrowth: round(bytesOf(r2) / bytesOf(r1)),
      bytesPerAddedPod: round((bytesOf(r2) - bytesOf(r1)) / addedPods, 1),
      lines: [lines1, lines2],
      linesPerAddedPod: round((lines2 - lines1) / addedPods, 2),
      linesWithoutAddress: [linesWithoutAddress(r1), linesWithoutAddress(r2)],
    };
  }
  const ratios = Object.values(perBackend).map((r) => r.ratio as number);
  const result = {
    name: s.name,
    loadavg: { before: loadBefore, after: loadAverage() },
    otherProcessesCores: otherLoad(),
    namespaces: cluster.namespaces.length,
    pods: cluster.pods.length,
    policies: cluster.networkPolicies.length,
    generator: s.cluster,
    table: before,
    compileMs: compileMs.wall,
    compileCpuMs: compileMs.cpu,
    backends: perBackend,
    doubling,
    goals: {
      renderOverCompile: s.goalRatio,
      met: {
        renderOverCompile: ratios.length > 0 && ratios.every((r) => r <= s.goalRatio),
        sameIdentitiesWhenDoubled: sameIdentities,
        deterministic: Object.values(perBackend).every((r) => r.deterministic === true),
      },
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (backends.length === 0) log(`${s.name}: no built-in backend to measure`);
}
