// np-guard/netpol-analyzer's connectivity lists (its `tests/` scenarios and golden connlist
// outputs), as vendored data (netpol-analyzer-connlist.json; source in README.md), checked through
// the CLI contract: each case's manifests written into a directory, `netpol list <dir> --profile
// netpol-analyzer --format json` run in process, and its lines compared with the expected ones
// modulo range merging (an address endpoint may be printed as one range or as adjacent pieces).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { netpol } from "../cli/netpol.ts";

type Conns = "All Connections" | Record<string, [number, number][]>;
interface ExpectedLine {
  from: string;
  to: string;
  conns: Conns;
  from_type: "workload" | "ip";
  to_type: "workload" | "ip";
  from_ranges?: [string, string][];
  to_ranges?: [string, string][];
}
interface Case {
  name: string;
  source: string;
  category: string;
  manifests: unknown[];
  manifest_sources: string[];
  expected: ExpectedLine[];
  expected_count: number;
}
interface ListLine {
  src: string;
  dst: string;
  conns: Conns;
}

const data = JSON.parse(readFileSync(join(import.meta.dirname, "netpol-analyzer-connlist.json"), "utf8")) as {
  cases: Case[];
};
const tmp = mkdtempSync(join(tmpdir(), "netpol-analyzer-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Cases netpol refuses as bad input, with a field path stderr must name (docs/input.md, Validation). */
const BAD_INPUT: Readonly<Record<string, string>> = {
  // `ports: [{name: ..., protocol: ...}]` without `containerPort` (required by the Pod API).
  netpol_named_port_test: "spec.template.spec.containers[0].ports[1].containerPort",
  netpol_named_port_test_2: "spec.template.spec.containers[0].ports[1].containerPort",
  // A NetworkPolicy named `use_common_labels_same_values`: not a DNS-1123 subdomain.
  example_pods_w_same_owner_and_labels_gap_with_good_match_expression: "metadata.name",
};

/** The case's documents, one JSON file each, in the upstream file order (a directory input is read sorted). */
function writeCase(c: Case): string {
  const dir = join(tmp, c.name);
  mkdirSync(dir);
  const width = String(c.manifests.length).length;
  c.manifests.forEach((m, i) => {
    const file = `${String(i).padStart(width, "0")}-${c.manifest_sources[i]!.replaceAll("/", "__")}.json`;
    writeFileSync(join(dir, file), JSON.stringify(m));
  });
  return dir;
}

// ---- canonical lines, modulo range merging --------------------------------------------------

const isWorkload = (side: string): boolean => side.startsWith("{") || /\[[A-Za-z]+\]$/.test(side);

function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}
const ipv4Text = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

/** `a.b.c.d-e.f.g.h[,…]` as ranges; `undefined` when a piece is not an IPv4 range (kept as text). */
function parseRanges(text: string): [number, number][] | undefined {
  const out: [number, number][] = [];
  for (const piece of text.split(",")) {
    const [a, b = a, extra] = piece.split("-");
    const lo = a === undefined ? undefined : ipv4(a);
    const hi = ipv4(b ?? "");
    if (extra !== undefined || lo === undefined || hi === undefined || lo > hi) return undefined;
    out.push([lo, hi]);
  }
  return out;
}

/** Port ranges sorted and merged; protocols in name order. */
function connsKey(conns: Conns): string {
  if (conns === "All Connections") return conns;
  const out: Record<string, [number, number][]> = {};
  for (const protocol of Object.keys(conns).sort()) {
    const merged: [number, number][] = [];
    for (const [lo, hi] of [...conns[protocol]!].sort((x, y) => x[0] - y[0])) {
      const last = merged.at(-1);
      if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    out[protocol] = merged;
  }
  return JSON.stringify(out);
}

interface Side {
  text: string;
  ranges?: [number, number][];
}

/**
 * The lines as a set of strings: workload-to-workload lines as they are; a line with an address
 * side grouped by (direction, other side, conns), its ranges merged, one string per merged range.
 */
function canonical(lines: Iterable<{ src: Side; dst: Side; conns: Conns }>): Set<string> {
  const out = new Set<string>();
  const groups = new Map<string, [number, number][]>();
  for (const { src, dst, conns } of lines) {
    const c = connsKey(conns);
    if (src.ranges === undefined && dst.ranges === undefined) {
      out.add(`${src.text} => ${dst.text} : ${c}`);
      continue;
    }
    if (src.ranges !== undefined && dst.ranges !== undefined) {
      out.add(`${src.text} => ${dst.text} : ${c} (address to address)`);
      continue;
    }
    const key = src.ranges !== undefined ? `>\u0000${dst.text}\u0000${c}` : `<\u0000${src.text}\u0000${c}`;
    const ranges = groups.get(key) ?? [];
    ranges.push(...(src.ranges ?? dst.ranges!));
    groups.set(key, ranges);
  }
  for (const [key, ranges] of groups) {
    const [dir, other, c] = key.split("\u0000") as [string, string, string];
    const merged: [number, number][] = [];
    for (const [lo, hi] of ranges.sort((x, y) => x[0] - y[0])) {
      const last = merged.at(-1);
      if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    for (const [lo, hi] of merged) {
      const ip = `${ipv4Text(lo)}-${ipv4Text(hi)}`;
      out.add(dir === ">" ? `${ip} => ${other} : ${c}` : `${other} => ${ip} : ${c}`);
    }
  }
  return out;
}

function expectedSide(name: string, type: "workload" | "ip", ranges: [string, string][] | undefined): Side {
  if (type === "workload") return { text: name };
  const parsed = ranges?.map(([a, b]): [number, number] => [ipv4(a)!, ipv4(b)!]);
  return parsed === undefined ? { text: name } : { text: name, ranges: parsed };
}

function actualSide(name: string): Side {
  if (isWorkload(name)) return { text: name };
  const ranges = parseRanges(name);
  return ranges === undefined ? { text: name } : { text: name, ranges };
}

/** Missing and extra lines, at most 20 of each, or `[]` when the sets agree. */
function diff(expected: Set<string>, actual: Set<string>): string[] {
  const missing = [...expected].filter((l) => !actual.has(l)).sort();
  const extra = [...actual].filter((l) => !expected.has(l)).sort();
  if (missing.length === 0 && extra.length === 0) return [];
  return [
    `${missing.length} missing, ${extra.length} extra (of ${expected.size} expected, ${actual.size} listed; canonical lines):`,
    ...missing.slice(0, 20).map((l) => `- ${l}`),
    ...(missing.length > 20 ? [`- … and ${missing.length - 20} more`] : []),
    ...extra.slice(0, 20).map((l) => `+ ${l}`),
    ...(extra.length > 20 ? [`+ … and ${extra.length - 20} more`] : []),
  ];
}

// ---- the cases --------------------------------------------------------------------------------

describe("netpol-analyzer connlist scenarios (netpol list --profile netpol-analyzer)", () => {
  it("holds the 60 cases, with expected lines as counted upstream", () => {
    expect(data.cases).toHaveLength(60);
    for (const c of data.cases) expect(c.expected, c.name).toHaveLength(c.expected_count);
    expect(Object.keys(BAD_INPUT).every((n) => data.cases.some((c) => c.name === n))).toBe(true);
  });

  it("compares modulo range merging: one line per (other side, conns) with its ranges joined by `,` is equal", () => {
    for (const c of data.cases) {
      const joined = new Map<string, { src: string; dst: string; conns: Conns; ranges: string[] }>();
      const lines: ListLine[] = [];
      for (const e of c.expected) {
        const ranges = e.from_ranges ?? e.to_ranges;
        if (ranges === undefined) {
          lines.push({ src: e.from, dst: e.to, conns: e.conns });
          continue;
        }
        const key = `${e.from_type}\u0000${e.from_type === "ip" ? e.to : e.from}\u0000${JSON.stringify(e.conns)}`;
        const line = joined.get(key) ?? { src: e.from, dst: e.to, conns: e.conns, ranges: [] };
        line.ranges.push(...ranges.map(([a, b]) => `${a}-${b}`));
        joined.set(key, line);
      }
      for (const { src, dst, conns, ranges } of joined.values()) {
        const text = ranges.reverse().join(",");
        lines.push(isWorkload(src) ? { src, dst: text, conns } : { src: text, dst, conns });
      }
      const side = (l: ListLine) => ({ src: actualSide(l.src), dst: actualSide(l.dst), conns: l.conns });
      const expected = canonical(
        c.expected.map((e) => ({
          src: expectedSide(e.from, e.from_type, e.from_ranges),
          dst: expectedSide(e.to, e.to_type, e.to_ranges),
          conns: e.conns,
        })),
      );
      expect(diff(expected, canonical(lines.map(side))), c.name).toEqual([]);
      if (lines.length > 0) {
        const dropped = canonical(lines.slice(1).map(side));
        expect(diff(expected, dropped).length, c.name).toBeGreaterThan(0);
      }
    }
  });

  for (const c of data.cases) {
    const field = BAD_INPUT[c.name];
    if (field !== undefined) {
      it(`${c.name}: bad input, exit 2 naming ${field}`, () => {
        const r = netpol(["list", writeCase(c), "--profile", "netpol-analyzer", "--format", "json"]);
        expect(r.stderr).toContain(field);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toBe("");
      });
      continue;
    }
    it(`${c.name} (${c.category}, ${c.expected_count} lines)`, () => {
      const r = netpol(["list", writeCase(c), "--profile", "netpol-analyzer", "--format", "json"]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { profile: string; connections: ListLine[] };
      expect(out.profile).toBe("netpol-analyzer");
      const actual = canonical(
        out.connections
          .filter((l) => !l.src.includes("{ingress-controller}") && !l.dst.includes("{ingress-controller}"))
          .map((l) => ({ src: actualSide(l.src), dst: actualSide(l.dst), conns: l.conns })),
      );
      const expected = canonical(
        c.expected.map((e) => ({
          src: expectedSide(e.from, e.from_type, e.from_ranges),
          dst: expectedSide(e.to, e.to_type, e.to_ranges),
          conns: e.conns,
        })),
      );
      expect(diff(expected, actual).join("\n")).toBe("");
    });
  }
});
