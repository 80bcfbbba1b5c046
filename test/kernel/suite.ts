// Running many scenarios under one loader on one shared topology, and the per-loader summary line.
import type { Artifact } from "./artifacts.ts";
import { describe as describeProbe, type Mismatch, runScenario } from "./compare.ts";
import type { Loader } from "./loader.ts";
import type { Plan } from "./plan.ts";
import { Topology } from "./topology.ts";

/** A planned scenario and what each backend rendered for it. */
export interface PreparedScenario {
  readonly plan: Plan;
  readonly artifacts: (backend: string) => readonly Artifact[];
}

export interface Summary {
  readonly loader: string;
  scenarios: number;
  probes: number;
  readonly mismatches: Mismatch[];
  readonly skipped: Map<string, number>;
  ms: number;
}

/** All scenarios under one loader, sequentially, on a topology of its own (removed at the end). */
export async function runLoader(loader: Loader, scenarios: readonly PreparedScenario[]): Promise<Summary> {
  const started = Date.now();
  const summary: Summary = {
    loader: loader.name,
    scenarios: 0,
    probes: 0,
    mismatches: [],
    skipped: new Map(),
    ms: 0,
  };
  const topo = await Topology.create();
  try {
    for (const s of scenarios) {
      const r = await runScenario(topo, s.plan, loader, s.artifacts(loader.backend));
      summary.scenarios++;
      summary.probes += r.probes;
      summary.mismatches.push(...r.mismatches);
      for (const [why, n] of s.plan.skipped) summary.skipped.set(why, (summary.skipped.get(why) ?? 0) + n);
    }
  } finally {
    await topo.destroy();
  }
  summary.ms = Date.now() - started;
  return summary;
}

/** The one summary line of a loader (plus the skipped probes by reason, and the first mismatches). */
export function formatSummary(s: Summary, label = s.loader): string {
  const lines = [
    `kernel ${label}: ${s.scenarios} scenarios, ${s.probes} probes, ${s.mismatches.length} mismatches (${(s.ms / 1000).toFixed(1)} s)`,
  ];
  for (const [why, n] of s.skipped) lines.push(`  skipped ${n} ${why}`);
  for (const m of s.mismatches.slice(0, 10))
    lines.push(
      `  mismatch in ${m.scenario}: ${describeProbe(m.probe)}: table ${m.probe.expect ? "allows" : "denies"}, kernel ${m.kernel ? "connected" : "blocked"}`,
    );
  return lines.join("\n");
}
