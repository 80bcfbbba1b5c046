// The comparator: a scenario's probes through the kernel, with and without the backend's rules,
// compared with `table.decide()`. The no-policy baseline must connect first (bounded wait), so a
// broken topology cannot pass as "blocked"; a probe that should connect but did not is retried
// once with a long timeout before it counts (a loaded machine is slow, never permissive).
import type { AgentProbe } from "./agent-client.ts";
import type { Artifact } from "./artifacts.ts";
import { flushConntrack, type Loader, resetNode, unload } from "./loader.ts";
import { type KernelProbe, type Plan, servedPorts } from "./plan.ts";
import type { Topology } from "./topology.ts";

/** How long a probe waits before it counts as blocked. */
export const BLOCK_TIMEOUT_MS = 200;
/** The retry of a probe that should have connected. */
export const SLOW_TIMEOUT_MS = 2000;
const BASELINE_ROUNDS = 10;

export interface Mismatch {
  readonly scenario: string;
  readonly probe: KernelProbe;
  readonly kernel: boolean;
}

export interface ScenarioResult {
  readonly probes: number;
  readonly mismatches: readonly Mismatch[];
}

const slotName = (i: number): string => `p${i}`;

/** Addresses and listeners of a plan on the shared topology; the topology slot of each plan slot. */
export async function prepare(topo: Topology, plan: Plan): Promise<number[]> {
  const slotOf = await topo.place(
    plan.slots.map((s) => s.addrs),
    plan.nodeAddrs,
  );
  const served = servedPorts(plan);
  await Promise.all(
    plan.slots.map((s, i) => topo.slots[slotOf[i]!]!.agent.listen(s.addrs, served[i]!.tcp, served[i]!.udp)),
  );
  return slotOf;
}

/**
 * Runs probes concurrently, every source at once; per probe: did the intended server answer?
 * `slotOf` maps the plan's slots to the topology's.
 */
export async function runProbes(
  topo: Topology,
  slotOf: readonly number[],
  probes: readonly KernelProbe[],
  timeoutMs: number,
): Promise<boolean[]> {
  const bySource = new Map<number, number[]>();
  probes.forEach((p, i) => {
    const list = bySource.get(p.source) ?? [];
    list.push(i);
    bySource.set(p.source, list);
  });
  const out: boolean[] = new Array(probes.length).fill(false);
  await Promise.all(
    [...bySource].map(async ([source, idx]) => {
      const agent = source < 0 ? topo.nodeAgent! : topo.slots[slotOf[source]!]!.agent;
      const asked: AgentProbe[] = idx.map((i) => {
        const p = probes[i]!;
        const q = { dst: p.dst, port: p.port, proto: p.proto };
        return p.src === undefined ? q : { ...q, src: p.src };
      });
      const who = await agent.probe(asked, timeoutMs);
      idx.forEach((i, k) => {
        const w = who[k] ?? null;
        const want = slotName(slotOf[probes[i]!.dstSlot]!);
        if (w !== null && w !== want)
          throw new Error(`topology: ${describe(probes[i]!)} was answered by ${w}, not ${want}`);
        out[i] = w === want;
      });
    }),
  );
  return out;
}

export function describe(p: KernelProbe): string {
  return `${p.from} -> ${p.to} (${p.dst}) ${p.proto}/${p.port}`;
}

/** With no rules loaded every probe connects, within a bounded wait (bridge ports, neighbours). */
export async function assertBaseline(topo: Topology, slotOf: readonly number[], plan: Plan): Promise<void> {
  let todo = plan.probes.slice();
  for (let round = 0; round < BASELINE_ROUNDS && todo.length > 0; round++) {
    const ok = await runProbes(topo, slotOf, todo, round === 0 ? BLOCK_TIMEOUT_MS : SLOW_TIMEOUT_MS);
    todo = todo.filter((_, i) => !ok[i]);
  }
  if (todo.length > 0)
    throw new Error(
      `baseline: ${todo.length} probe(s) of ${plan.scenario.name} do not connect without rules (broken topology): ${todo
        .slice(0, 5)
        .map(describe)
        .join("; ")}`,
    );
}

/** One scenario under one loader: baseline, load, probe, compare, unload (a full reset on failure). */
export async function runScenario(
  topo: Topology,
  plan: Plan,
  loader: Loader,
  artifacts: readonly Artifact[],
): Promise<ScenarioResult> {
  const slotOf = await prepare(topo, plan);
  let got: boolean[];
  try {
    await assertBaseline(topo, slotOf, plan);
    await flushConntrack(topo);
    await loader.load(topo, artifacts);
    got = await runProbes(topo, slotOf, plan.probes, BLOCK_TIMEOUT_MS);
    const slow = plan.probes.map((_p, i) => i).filter((i) => plan.probes[i]!.expect && !got[i]);
    if (slow.length > 0) {
      await flushConntrack(topo);
      const again = await runProbes(
        topo,
        slotOf,
        slow.map((i) => plan.probes[i]!),
        SLOW_TIMEOUT_MS,
      );
      slow.forEach((i, k) => void (got[i] = again[k]!));
    }
  } catch (e) {
    // The scenario's own error is the one to report; a failing reset only adds to it.
    await resetNode(topo).catch((r: unknown) => {
      if (e instanceof Error) e.message += ` (and the reset after it failed: ${String(r)})`;
    });
    throw e;
  }
  await unload(topo, loader);
  const mismatches: Mismatch[] = [];
  plan.probes.forEach((probe, i) => {
    if (got[i] !== probe.expect) mismatches.push({ scenario: plan.scenario.name, probe, kernel: got[i]! });
  });
  return { probes: plan.probes.length, mismatches };
}
