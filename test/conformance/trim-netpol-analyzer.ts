// Makes test/conformance/netpol-analyzer-connlist.json from the shared fixture (12 MB) by keeping
// only what netpol-analyzer.test.ts reads:
//
//   npx tsx test/conformance/trim-netpol-analyzer.ts /work/shared/conformance/netpol-analyzer-connlist.json
//
// Header: `fixture`, `format_version`, `generated_from` (upstream repo and commit), `encoding` and
// `notes` are copied; `trimmed` says what was dropped. Per case: `name`, `source`, `category`,
// `manifests`, `manifest_sources`, `expected` and `expected_count`; per expected line: `from`, `to`,
// `conns`, `from_type`, `to_type` and (for address endpoints) `from_ranges` / `to_ranges`. Dropped:
// `source_commit` (one commit for every case, kept in the header), `expected_file`,
// `analyzer_options` (all the defaults), `features`, `object_counts_after_list_flattening`,
// `workloads_derived`, `ignored_files`, `expected_ingress_controller` (lines naming
// `{ingress-controller}`, which `netpol list` does not model), `expected_text`, and per line
// `conn_text` and `from_cidrs` / `to_cidrs` (a CIDR cover computed by the fixture's builder).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

type Json = Record<string, unknown>;

const CASE_KEYS = [
  "name",
  "source",
  "category",
  "manifests",
  "manifest_sources",
  "expected",
  "expected_count",
];
const LINE_KEYS = ["from", "to", "conns", "from_type", "to_type", "from_ranges", "to_ranges"];
const HEADER_KEYS = ["fixture", "format_version", "generated_from", "encoding", "notes"];

function pick(o: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (Object.hasOwn(o, k)) out[k] = o[k];
  return out;
}

const [input] = process.argv.slice(2);
if (input === undefined) {
  process.stderr.write(
    "usage: tsx test/conformance/trim-netpol-analyzer.ts <netpol-analyzer-connlist.json>\n",
  );
  process.exit(2);
}
const full = JSON.parse(readFileSync(input, "utf8")) as Json & { cases: Json[] };
const commits = new Set(full.cases.map((c) => c.source_commit));
const from = (full.generated_from as Json).commit;
if (commits.size !== 1 || !commits.has(from))
  throw new Error(`cases name commits ${[...commits]}, header ${from}`);
const out: Json = {
  ...pick(full, HEADER_KEYS),
  trimmed:
    "made by test/conformance/trim-netpol-analyzer.ts from the project's shared conformance/netpol-analyzer-connlist.json: per case only name, source, category, manifests, manifest_sources, expected (from, to, conns, from_type, to_type, from_ranges, to_ranges) and expected_count are kept; expected_text, conn_text, features, *_cidrs, workloads_derived, expected_ingress_controller and the other builder notes are dropped",
  cases: full.cases.map((c) => {
    const kept = pick(c, CASE_KEYS);
    kept.expected = (c.expected as Json[]).map((e) => pick(e, LINE_KEYS));
    return kept;
  }),
};
// One case per line: diffs stay readable and the file small (no indentation inside manifests).
const { cases, ...head } = out;
const header = JSON.stringify(head, null, 1).slice(0, -2); // without the closing "\n}"
const body = (cases as Json[]).map((c) => JSON.stringify(c)).join(",\n");
const target = fileURLToPath(new URL("netpol-analyzer-connlist.json", import.meta.url));
writeFileSync(target, `${header},\n "cases": [\n${body}\n]}\n`);
process.stdout.write(`wrote ${target}: ${(cases as Json[]).length} cases\n`);
