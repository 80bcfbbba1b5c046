// Runs the scenarios of bench/scenarios/, each in a fresh `node --expose-gc --import tsx` process,
// one after another; writes bench/results/latest.json (bench/results.ts has its shape) and prints
// the rows as a table, then the goals of issue 14 met or not. Progress goes to stderr. Exits
// non-zero when a scenario fails (engine ≠ reference, an incremental table ≠ a fresh compile, …).
//
//   npm run bench                      # every scenario: the scale ones (S … adversarial-admin), then the others
//   npm run bench -- L XL              # only these (core-10k is L's former name)
//   npm run bench -- --quick           # S, M, L with fewer samples, the event streams on L (< 2 minutes)
//   npm run bench -- --json            # the document on stdout instead of the table
//   npm run bench -- --out file.json   # write the document there instead of bench/results/latest.json
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { log, machine } from "./harness.ts";
import { checkGoals, formatGoals, formatJson, formatTable, legacyRows, type Row } from "./results.ts";
import { QUICK_NAMES, SCALE_NAMES } from "./scales.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIR = fileURLToPath(new URL("./scenarios/", import.meta.url));
const LATEST = fileURLToPath(new URL("./results/latest.json", import.meta.url));
const ALIASES: Readonly<Record<string, string>> = { "core-10k": "L" };

function runScenario(file: string, quick: boolean): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", `${DIR}${file}`],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, NETPOL_BENCH_QUICK: quick ? "1" : "0" },
      },
    );
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });
}

const git = (...args: string[]): string => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();

/**
 * What was measured: the commit, and the files under src/ that differ from it (other engineers
 * edit the working tree while benchmarks run). NETPOL_BENCH_SOURCE overrides it (a snapshot
 * without .git, e.g. `git archive <commit>`).
 */
function source(): Record<string, unknown> {
  const given = process.env.NETPOL_BENCH_SOURCE;
  if (given !== undefined) return { given };
  try {
    const dirty = git("status", "--porcelain", "--", "src")
      .split("\n")
      .filter((l) => l !== "");
    return {
      commit: git("rev-parse", "HEAD"),
      uncommittedSrcFiles: dirty.length,
      uncommitted: dirty.slice(0, 20),
    };
  } catch {
    return { commit: "unknown (no git)" };
  }
}

/** The busiest processes right now (CPU share since start, elapsed seconds, command): what else ran. */
function busiest(): string[] {
  try {
    return execFileSync("ps", ["-eo", "pcpu,etimes,comm", "--sort=-pcpu"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .slice(1, 9)
      .map((l) => l.trim().replace(/\s+/g, " "));
  } catch {
    return [];
  }
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const json = args.includes("--json");
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args[outAt + 1] : undefined;
if (outAt >= 0 && out === undefined) {
  log("--out needs a file");
  process.exit(2);
}
const wanted = args
  .filter((a, i) => !a.startsWith("--") && (outAt < 0 || i !== outAt + 1))
  .map((a) => ALIASES[a] ?? a);
const available = new Set(
  readdirSync(DIR)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.replace(/\.ts$/, "")),
);
const order = [
  ...SCALE_NAMES.filter((n) => available.has(n)),
  ...[...available].filter((n) => !SCALE_NAMES.includes(n)).sort(),
];
const names = wanted.length > 0 ? wanted : quick ? [...QUICK_NAMES] : order;
const unknown = names.filter((n) => !available.has(n));
if (unknown.length > 0) {
  log(`no scenario ${unknown.join(", ")} (scenarios: ${order.join(", ")})`);
  process.exit(2);
}

const started = { date: new Date().toISOString(), machine: machine(), busiest: busiest() };
const results: Row[] = [];
const details: Record<string, unknown> = {};
const failed: string[] = [];
for (const name of names) {
  log(`--- ${name} (fresh process${quick ? ", quick" : ""})`);
  const t0 = Date.now();
  const { code, stdout } = await runScenario(`${name}.ts`, quick);
  const line = stdout.trim().split("\n").pop() ?? "";
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  let detail: unknown;
  if (parsed !== undefined && Array.isArray(parsed.results)) {
    results.push(...(parsed.results as Row[]));
    detail = parsed.details;
  } else if (parsed !== undefined) {
    results.push(...legacyRows(name, parsed));
    detail = parsed;
  } else detail = { error: `no JSON result (exit code ${code})` };
  details[name] = {
    ...(typeof detail === "object" && detail !== null ? detail : {}),
    wallSeconds: Math.round((Date.now() - t0) / 1000),
    ...(code === 0 ? {} : { exitCode: code }),
  };
  if (code !== 0) failed.push(name);
}

const goals = checkGoals(results);
const document = {
  machine: {
    ...started.machine,
    loadavgAtEnd: machine().loadavg,
    busiestAtStart: started.busiest,
    busiestAtEnd: busiest(),
    note: "per scenario, `otherLoad` (cores other processes kept busy while it ran) is among the results",
  },
  source: source(),
  date: started.date,
  quick,
  scenarios: names,
  results,
  goals,
  details,
  ...(failed.length === 0 ? {} : { failed }),
};
const target = out ?? LATEST;
if (!existsSync(dirname(target))) mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
formatJson(target);
log(`wrote ${target}`);
if (json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
else {
  // Sizes (size.*, rendered.*) are many and never noisy: in the document, counted here.
  const sizes = results.filter((r) => r.metric.startsWith("size.") || r.metric.startsWith("rendered."));
  const shown = results.filter((r) => !sizes.includes(r));
  process.stdout.write(
    `${formatTable(shown)}\n(${sizes.length} size rows — size.*, rendered.* — are in ${target})\n\nGoals (issue 14):\n${formatGoals(goals)}\n`,
  );
}
if (failed.length > 0) {
  log(`FAILED: ${failed.join(", ")}`);
  process.exitCode = 1;
}
