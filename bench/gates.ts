// CI's bench gates (issue 14): fail on what noise cannot move, print the ratios. Reads a results
// document (default bench/results/latest.json, as `npm run bench -- --quick` writes it) and
// bench/recorded-sizes.json.
//
//   npx tsx bench/gates.ts [results.json]            # check; exit 1 with one line per failed gate
//   npx tsx bench/gates.ts --record [results.json]   # record the sizes of the scenarios in it
//   npm run bench:record-sizes                       # the same after `npm run bench -- --quick`
//
// Gates (none of them is a time):
// * the quick scenarios (S, M, L) ran, none failed, and L has every incremental metric;
// * `allocationsPerAllowsIndex` is 0 in every scenario;
// * every IR / query-view size (`size.*`) and rendered line count (`rendered.*`) is at most the
//   value recorded for its scenario — the seeds are fixed, so a size only moves when the code
//   does (a smaller one passes, with a note to re-record);
// * `allowsIndex` is at least 1,000× the reference evaluator on M (a ratio of two times measured
//   in one process: 100× headroom over what load can do to it);
// * `incremental.mismatches`, `referenceMismatches` and `reachabilityMismatches` are 0: every
//   incremental table equals a fresh compile byte for byte, the engine agrees with the
//   reference, the reachability pass with `allowsIndex`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EVENT_KINDS } from "./events.ts";
import { formatJson, formatTable, type Row, ratioMeaning } from "./results.ts";
import { QUICK_NAMES } from "./scales.ts";

const LATEST = fileURLToPath(new URL("./results/latest.json", import.meta.url));
const RECORDED = fileURLToPath(new URL("./recorded-sizes.json", import.meta.url));
const MIN_SPEEDUP_M = 1000;

interface Results {
  readonly results: readonly Row[];
  readonly failed?: readonly string[];
  readonly source?: Record<string, unknown>;
  readonly machine?: Record<string, unknown>;
}
interface Recorded {
  readonly note: string;
  readonly scenarios: Record<string, Record<string, number>>;
}

const isSize = (metric: string): boolean => metric.startsWith("size.") || metric.startsWith("rendered.");

const args = process.argv.slice(2);
const record = args.includes("--record");
const file = args.find((a) => !a.startsWith("--")) ?? LATEST;
if (!existsSync(file)) {
  console.error(`gates: no results at ${file} (run npm run bench -- --quick first)`);
  process.exit(2);
}
const doc = JSON.parse(readFileSync(file, "utf8")) as Results;
const rows = doc.results;
const scenarios = [...new Set(rows.map((r) => r.scenario))];
const recorded: Recorded = existsSync(RECORDED)
  ? (JSON.parse(readFileSync(RECORDED, "utf8")) as Recorded)
  : { note: "", scenarios: {} };

if (record) {
  const out: Recorded = {
    note: "Sizes of the fixed-seed scenarios' tables (size.*: IR and query view) and renders (rendered.*: lines, lines without an address). bench/gates.ts fails CI when one grows; re-record with `npm run bench -- --quick && npm run bench:record-sizes` (or name a results file) after a change that is meant to grow a table, and say why in the commit.",
    scenarios: { ...recorded.scenarios },
  };
  for (const s of scenarios) {
    const sizes = Object.fromEntries(
      rows.filter((r) => r.scenario === s && isSize(r.metric)).map((r) => [r.metric, r.value]),
    );
    if (Object.keys(sizes).length > 0) out.scenarios[s] = sizes;
  }
  const sorted = Object.fromEntries(
    Object.entries(out.scenarios).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  writeFileSync(RECORDED, `${JSON.stringify({ ...out, scenarios: sorted }, null, 2)}\n`);
  formatJson(RECORDED);
  console.log(`gates: recorded the sizes of ${scenarios.join(", ")} in ${RECORDED}`);
  process.exit(0);
}

const failures: string[] = [];
const notes: string[] = [];
const get = (scenario: string, metric: string): Row | undefined =>
  rows.find((r) => r.scenario === scenario && r.metric === metric);

for (const s of QUICK_NAMES)
  if (!scenarios.includes(s)) failures.push(`scenario ${s} has no results (did the quick bench run?)`);
for (const s of doc.failed ?? [])
  failures.push(`scenario ${s} failed (exit code non-zero: see the bench's log)`);
for (const kind of [...EVENT_KINDS, "mismatches"])
  if (get("L", `incremental.${kind}`) === undefined) failures.push(`L has no incremental.${kind}`);

for (const s of scenarios) {
  const alloc = get(s, "allocationsPerAllowsIndex");
  if (alloc === undefined) failures.push(`${s}: no allocationsPerAllowsIndex`);
  else if (alloc.value > 0)
    failures.push(`${s}: allowsIndex allocates (${alloc.value} allocations per call, must be 0)`);
  for (const metric of ["incremental.mismatches", "referenceMismatches", "reachabilityMismatches"]) {
    const r = get(s, metric);
    if (r !== undefined && r.value > 0)
      failures.push(
        `${s}: ${metric} = ${r.value} (${metric.startsWith("incremental") ? "an incremental table differs from a fresh compile" : metric === "referenceMismatches" ? "engine and reference evaluator disagree" : "the reachability pass disagrees with allowsIndex"})`,
      );
  }
  const want = recorded.scenarios[s];
  const sizes = rows.filter((r) => r.scenario === s && isSize(r.metric));
  if (want === undefined) {
    if (QUICK_NAMES.includes(s)) failures.push(`${s}: no recorded sizes in bench/recorded-sizes.json`);
    else if (sizes.length > 0) notes.push(`${s}: no recorded sizes (not gated)`);
    continue;
  }
  for (const r of sizes) {
    const limit = want[r.metric];
    if (limit === undefined)
      failures.push(`${s}: ${r.metric} = ${r.value} is not recorded (re-record the sizes)`);
    else if (r.value > limit) failures.push(`${s}: ${r.metric} grew: ${r.value} > recorded ${limit}`);
    else if (r.value < limit)
      notes.push(`${s}: ${r.metric} shrank: ${r.value} < recorded ${limit} (re-record to hold it there)`);
  }
  for (const metric of Object.keys(want))
    if (!sizes.some((r) => r.metric === metric))
      failures.push(`${s}: ${metric} is recorded but was not measured`);
}

const m = get("M", "allowsIndex");
if (m !== undefined && (m.ratio === undefined || m.ratio < MIN_SPEEDUP_M))
  failures.push(`M: allowsIndex is only ${m.ratio}× the reference evaluator (must be ≥ ${MIN_SPEEDUP_M}×)`);

const ratioRows = rows.filter((r) => r.ratio !== undefined);
console.log(
  `Ratios (${doc.source?.commit ?? "unknown commit"}; load average ${JSON.stringify(doc.machine?.loadavg ?? "?")}):`,
);
console.log(formatTable(ratioRows));
console.log("\nWhat each ratio is:");
for (const metric of [...new Set(ratioRows.map((r) => r.metric.replace(/^incremental\..*/, "incremental.")))])
  console.log(`  ${metric.padEnd(18)} ${ratioMeaning(metric) ?? ""}`);
const load = rows.filter((r) => r.metric === "otherLoad").map((r) => `${r.scenario} ${r.value}`);
console.log(`\nOther processes' load (cores) per scenario: ${load.join(", ")}`);
for (const n of notes) console.log(`note: ${n}`);
if (failures.length > 0) {
  console.error(`\nbench gates FAILED (${failures.length}):`);
  for (const f of failures) console.error(`  FAIL ${f}`);
  process.exit(1);
}
console.log(`\nbench gates passed (${scenarios.join(", ")})`);
