// The results document (`bench/results/latest.json`) and what reads it: its rows, the goals of
// issue 14 checked against them, and the printed table. Other tools read the metric names, so
// they are defined here once (docs/performance.md has the same list).
//
//   { "machine": {…}, "source": {…}, "date": "…", "quick": false,
//     "results": [{ scenario, metric, value, unit, baseline?, ratio? }, …],
//     "goals": [{ goal, scenario, metric, measured, target, met }, …],
//     "details": { "<scenario>": {…} } }
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** One measured number. */
export interface Row {
  readonly scenario: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** What the value is compared with (a published number, the reference, a full compile). */
  readonly baseline?: number;
  /** The comparison, as defined per metric in `RATIOS`. */
  readonly ratio?: number;
}

/** What `ratio` means, per metric (a prefix ending in `.` covers a family). */
export const RATIOS: Readonly<Record<string, string>> = {
  compile: "published time / this compile (× faster); only where a published number is the baseline",
  retained: "published memory / this (× leaner); only where a published number is the baseline",
  allowsIndex: "reference / allowsIndex, both this run (× faster than the per-flow interpreter)",
  memoryFloor: "allowsIndex / memory floor (goal ≤ 1.5)",
  decide: "decide / allowsIndex (goal ≤ 10)",
  allows: "allows by name / allowsIndex (goal ≤ 10)",
  explain: "explain / allowsIndex",
  reachability: "reachability / compile (goal ≤ 0.1)",
  reachabilityList: "connectionList iteration / compile",
  "incremental.": "full compile / incremental (× faster than compiling again)",
};

export const ratioMeaning = (metric: string): string | undefined =>
  RATIOS[metric] ?? Object.entries(RATIOS).find(([k]) => k.endsWith(".") && metric.startsWith(k))?.[1];

/** The rounding a value is written with: ns and ratios 2–3 significant decimals, counts exact. */
export function rounded(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 4;
  return Number(x.toFixed(digits));
}

export function row(
  scenario: string,
  metric: string,
  value: number,
  unit: string,
  extra: { baseline?: number; ratio?: number } = {},
): Row {
  return {
    scenario,
    metric,
    value: unit === "count" ? value : rounded(value),
    unit,
    ...(extra.baseline === undefined ? {} : { baseline: rounded(extra.baseline) }),
    ...(extra.ratio === undefined || !Number.isFinite(extra.ratio) ? {} : { ratio: rounded(extra.ratio) }),
  };
}

/** A goal of issue 14, read from the rows: `field` of `metric` against `target`. */
export interface Goal {
  readonly goal: string;
  /** A scenario name, or "*" for every scenario that has the metric. */
  readonly scenario: string;
  readonly metric: string;
  readonly field: "value" | "ratio";
  readonly op: "<=" | ">=";
  readonly target: number;
}

export const GOALS: readonly Goal[] = [
  {
    goal: "allowsIndex ≤ 1.5× the memory floor",
    scenario: "*",
    metric: "memoryFloor",
    field: "ratio",
    op: "<=",
    target: 1.5,
  },
  {
    goal: "0 allocations per allowsIndex",
    scenario: "*",
    metric: "allocationsPerAllowsIndex",
    field: "value",
    op: "<=",
    target: 0,
  },
  { goal: "decide ≤ 10× allowsIndex", scenario: "*", metric: "decide", field: "ratio", op: "<=", target: 10 },
  {
    goal: "allows by name ≤ 10× allowsIndex",
    scenario: "*",
    metric: "allows",
    field: "ratio",
    op: "<=",
    target: 10,
  },
  {
    goal: "XL compile ≤ 1 s (≥ 6× faster than Antrea's 6.1 s)",
    scenario: "XL",
    metric: "compile",
    field: "value",
    op: "<=",
    target: 1000,
  },
  {
    goal: "XL retained ≤ 100 MB (≥ 16× leaner than Antrea's 1.6 GB)",
    scenario: "XL",
    metric: "retained",
    field: "value",
    op: "<=",
    target: 100,
  },
  {
    goal: "XL / L compile ≤ 12× for 10× the objects",
    scenario: "XL",
    metric: "compileOverL",
    field: "value",
    op: "<=",
    target: 12,
  },
  {
    goal: "L-dense compile ≤ 1/20 of Antrea's 10.7 s",
    scenario: "L-dense",
    metric: "compile",
    field: "ratio",
    op: ">=",
    target: 20,
  },
  {
    goal: "pod added into an existing identity ≤ 1/10,000 of a full compile of L",
    scenario: "L",
    metric: "incremental.podAddSameIdentity",
    field: "ratio",
    op: ">=",
    target: 10_000,
  },
  {
    goal: "whole-cluster reachability (identity level, all port classes) ≤ 1/10 of a compile",
    scenario: "*",
    metric: "reachability",
    field: "ratio",
    op: "<=",
    target: 0.1,
  },
  {
    goal: "allowsIndex ≥ 10,000× the reference evaluator on L",
    scenario: "L",
    metric: "allowsIndex",
    field: "ratio",
    op: ">=",
    target: 10_000,
  },
];

export interface GoalResult {
  readonly goal: string;
  readonly scenario: string;
  readonly metric: string;
  readonly measured: number | undefined;
  readonly target: string;
  readonly met: boolean | undefined;
}

export function checkGoals(rows: readonly Row[]): GoalResult[] {
  const out: GoalResult[] = [];
  for (const g of GOALS) {
    const matching = rows.filter(
      (r) => r.metric === g.metric && (g.scenario === "*" || r.scenario === g.scenario),
    );
    const target = `${g.field === "ratio" ? "ratio " : ""}${g.op} ${g.target}`;
    if (matching.length === 0 && g.scenario !== "*")
      out.push({
        goal: g.goal,
        scenario: g.scenario,
        metric: g.metric,
        measured: undefined,
        target,
        met: undefined,
      });
    for (const r of matching) {
      const measured = g.field === "value" ? r.value : r.ratio;
      const met =
        measured === undefined ? undefined : g.op === "<=" ? measured <= g.target : measured >= g.target;
      out.push({ goal: g.goal, scenario: r.scenario, metric: g.metric, measured, target, met });
    }
  }
  return out;
}

const pad = (s: string, n: number, right = false): string => (right ? s.padStart(n) : s.padEnd(n));
const text = (x: number | undefined): string => (x === undefined ? "" : String(x));

/** The rows as an aligned text table (one line per row), grouped by scenario. */
export function formatTable(rows: readonly Row[]): string {
  const cols = rows.map((r) => [
    r.scenario,
    r.metric,
    text(r.value),
    r.unit,
    text(r.baseline),
    text(r.ratio),
  ]);
  const head = ["scenario", "metric", "value", "unit", "baseline", "ratio"];
  const widths = head.map((h, i) => Math.max(h.length, ...cols.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => pad(x, widths[i]!, i === 2 || i >= 4))
      .join("  ")
      .trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cols.map(line)].join("\n");
}

export function formatGoals(goals: readonly GoalResult[]): string {
  return goals
    .map(
      (g) =>
        `${g.met === undefined ? "  ?  " : g.met ? " met " : " NOT "} ${g.scenario.padEnd(18)} ${g.goal} — measured ${g.measured ?? "n/a"} (${g.metric}, ${g.target})`,
    )
    .join("\n");
}

/**
 * Rows from the older scenarios' own JSON (admin-10k, hostile-1k, render-10k, dump-e2e,
 * list-10k): their headline numbers under their own metric names; the whole object stays in
 * `details`.
 */
export function legacyRows(name: string, r: Record<string, unknown>): Row[] {
  const out: Row[] = [];
  const num = (x: unknown): number | undefined => (typeof x === "number" ? x : undefined);
  const median = (x: unknown): number | undefined =>
    num(x) ?? num((x as { median?: unknown } | undefined)?.median);
  const push = (metric: string, value: number | undefined, unit: string, extra = {}): void => {
    if (value !== undefined) out.push(row(name, metric, value, unit, extra));
  };
  if (name === "admin-10k") {
    const c = r.compileMs as Record<string, unknown> | undefined;
    push("compile.without", median(c?.without), "ms");
    push("compile.with", median(c?.with), "ms", { ratio: num(r.compileRatio) });
    const a = r.allowsIndexNsPerOp as Record<string, unknown> | undefined;
    push("allowsIndex.without", median(a?.without), "ns");
    push("allowsIndex.with", median(a?.with), "ns", { ratio: num(r.allowsIndexRatio) });
  } else if (name === "hostile-1k") {
    for (const v of (r.variants as Record<string, unknown>[] | undefined) ?? []) {
      const m = v.measured as Record<string, unknown> | undefined;
      push(`${v.variant}.compile`, median(m?.compileMs), "ms");
      push(`${v.variant}.retained`, num(m?.retainedMB), "MB");
      push(`${v.variant}.allowsIndex`, num(m?.allowsIndexNsPerOp), "ns", { ratio: num(m?.speedup) });
    }
  } else if (name === "render-10k") {
    push("compile", median(r.compileMs), "ms");
    for (const [b, m] of Object.entries((r.backends as Record<string, Record<string, unknown>>) ?? {})) {
      push(`render.${b}`, median(m.renderMs), "ms", { ratio: num(m.ratio) });
      push(`render.${b}.bytes`, num(m.outputBytes), "count");
    }
  } else if (name === "list-10k") {
    push("compile", num(r.compileMs), "ms");
    push("list", num(r.listMs), "ms", { ratio: num(r.listOverCompile) });
  } else if (name === "dump-e2e") {
    for (const [c, d] of Object.entries((r.cases as Record<string, Record<string, unknown>>) ?? {})) {
      const run = d.checkRunMs as Record<string, unknown> | undefined;
      push(`${c}.checkYaml`, median(run?.yaml), "ms");
      push(`${c}.checkJson`, median(run?.json), "ms");
    }
  }
  return out;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Biome's formatting for a JSON file the bench writes into the repository (`npx biome check .`
 * reads bench/results/ too: biome.json does not use .gitignore), best effort.
 */
export function formatJson(file: string): void {
  try {
    execFileSync(`${ROOT}node_modules/.bin/biome`, ["format", "--write", file], {
      cwd: ROOT,
      stdio: "ignore",
    });
  } catch {
    process.stderr.write(`[bench] could not format ${file} (npx biome format --write ${file})\n`);
  }
}
