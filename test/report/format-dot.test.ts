// netpol list --format dot: every endpoint a node in its cluster, every connection an edge with its
// port text, ids and labels escaped, and the same bytes whatever order the list comes in.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type ConnectionList, connectionsText } from "../../src/model/connections.ts";
import { portLines, rangeLines } from "../../src/report/dot-text.ts";
import { formatDot } from "../../src/report/format-dot.ts";
import { listOf, shop, tricky, trickyConnections } from "./lists.ts";

const QUOTED = /"(?:[^"\\]|\\.)*"/y;

/** A DOT quoted string's lines as Graphviz shows them in a label: `\n` breaks, `\x` is `x`. */
function labelLines(quoted: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const [, escaped, plain] of quoted.slice(1, -1).matchAll(/\\(.)|([^\\])/gs))
    if (escaped === "n") {
      lines.push(line);
      line = "";
    } else line += escaped ?? plain;
  return [...lines, line];
}

/** A statement `"a" [k=v, …];` or `"a" -> "b" [k=v, …];` read into ids and raw attribute values. */
function statement(line: string): { ids: string[]; attrs: Map<string, string> } {
  const ids: string[] = [];
  let i = 0;
  for (;;) {
    QUOTED.lastIndex = i;
    const m = QUOTED.exec(line);
    if (m === null) throw new Error(`no id at ${i} in ${line}`);
    ids.push(m[0]);
    i = QUOTED.lastIndex;
    if (line.startsWith(" -> ", i)) i += 4;
    else break;
  }
  return { ids, attrs: attributes(line.slice(i + 1)) };
}

/** `[k=v, k="v", …];` as a map of raw values. */
function attributes(list: string): Map<string, string> {
  expect(list).toMatch(/^\[.*\];$/);
  const matches = [...list.slice(1, -2).matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|[^,\s"]+)(?:, |$)/g)];
  expect(matches.map((m) => m[0]).join("")).toBe(list.slice(1, -2)); // every attribute read
  return new Map(matches.map((m) => [m[1]!, m[2]!]));
}

interface Cluster {
  label: string;
  nodes: Map<string, Map<string, string>>;
}
interface Edge {
  tail: string;
  head: string;
  attrs: Map<string, string>;
}
interface Read {
  clusters: Map<string, Cluster>;
  edges: Edge[];
}

/** formatDot's output read back: its clusters with their nodes, and its edges (ids unescaped). */
function readDot(dot: string): Read {
  const lines = dot.split("\n");
  expect(lines[0]).toBe("digraph connectivity {");
  expect(lines.slice(-2)).toEqual(["}", ""]);
  const read: Read = { clusters: new Map(), edges: [] };
  let cluster: Cluster | undefined;
  for (const line of lines.slice(1, -2)) {
    const open = /^ {2}subgraph ("[^"]*") \{$/.exec(line);
    if (open !== null)
      read.clusters.set(labelLines(open[1]!)[0]!, (cluster = { label: "", nodes: new Map() }));
    else if (line === "  }") cluster = undefined;
    else if (cluster !== undefined && line.startsWith("    graph [")) {
      cluster.label = labelLines(attributes(line.slice("    graph ".length)).get("label")!)[0]!;
    } else if (cluster !== undefined) {
      const { ids, attrs } = statement(line.trim());
      cluster.nodes.set(labelLines(ids[0]!)[0]!, attrs);
    } else if (line.includes(" -> ")) {
      const { ids, attrs } = statement(line.trim());
      read.edges.push({ tail: labelLines(ids[0]!)[0]!, head: labelLines(ids[1]!)[0]!, attrs });
    } else expect(line).toMatch(/^ {2}(graph|node|edge) \[.*\];$/);
  }
  return read;
}

function expectDrawn(list: ConnectionList): void {
  const { clusters, edges } = readDot(formatDot(list));
  const namespaces = new Set(list.endpoints.flatMap((e) => (e.type === "workload" ? [e.namespace] : [])));
  const hasExternal = list.endpoints.some((e) => e.type === "external");
  expect([...clusters.keys()].sort()).toEqual(
    [...[...namespaces].map((n) => `cluster_ns:${n}`), ...(hasExternal ? ["cluster_external"] : [])].sort(),
  );
  const nodes = [...clusters.values()].flatMap((c) => [...c.nodes.keys()]);
  expect(nodes.sort()).toEqual(list.endpoints.map((e) => e.name).sort());
  for (const e of list.endpoints) {
    const c = clusters.get(e.type === "workload" ? `cluster_ns:${e.namespace}` : "cluster_external")!;
    expect(c.label).toBe(e.type === "workload" ? e.namespace : "external");
    const attrs = c.nodes.get(e.name)!;
    if (e.type === "workload") expect(labelLines(attrs.get("label")!)).toEqual([e.workload, `[${e.kind}]`]);
    else {
      expect(labelLines(attrs.get("label")!)).toEqual(rangeLines(e.ranges));
      expect(attrs.get("shape")).toBe("note");
    }
  }
  const connections = [...list.connections()];
  expect(edges).toHaveLength(connections.length);
  for (const c of connections) {
    const text = connectionsText(c.conns);
    const drawn = edges.filter(
      (e) => labelLines(e.attrs.get("tooltip")!)[0] === `${c.src} → ${c.dst}: ${text}`,
    );
    expect(drawn, `${c.src} → ${c.dst}`).toHaveLength(1);
    const { tail, head, attrs } = drawn[0]!;
    expect({ tail, head }).toEqual({ tail: c.src, head: c.dst });
    expect(labelLines(attrs.get("label")!)).toEqual(portLines(text));
    expect(attrs.has("penwidth")).toBe(c.conns === "All Connections");
  }
}

describe("formatDot", () => {
  it("draws every endpoint as a node in its namespace's cluster or the external one", () => {
    expectDrawn(tricky);
    expectDrawn(shop);
  });

  it("escapes quotes and backslashes in ids and labels", () => {
    const dot = formatDot(tricky);
    expect(dot).toContain('    "app/o\\"d\\\\d|*_`<b>&[x][Pod]" [label="o\\"d\\\\d|*_`<b>&[x]\\n[Pod]"];');
    expect(dot).toContain('  subgraph "cluster_ns:kube-system" {');
    expect(dot).toContain('    graph [label="kube-system", style=');
  });

  it("draws both edges of a pair connected both ways", () => {
    const dot = formatDot(tricky);
    expect(dot).toContain('  "app/web[Deployment]" -> "kube-system/coredns[Deployment]" [label="SCTP');
    expect(dot).toContain('  "kube-system/coredns[Deployment]" -> "app/web[Deployment]" [label="TCP 8000,');
  });

  test.prop([
    fc.shuffledSubarray([...tricky.endpoints], { minLength: tricky.endpoints.length }),
    fc.shuffledSubarray([...trickyConnections], { minLength: trickyConnections.length }),
  ])("gives the same bytes whatever the order of endpoints and connections", (endpoints, connections) => {
    expect(formatDot(listOf(endpoints, connections))).toBe(formatDot(tricky));
  });

  it("draws an empty graph for an empty list", () => {
    const empty = listOf([], []);
    expectDrawn(empty);
    expect(formatDot(empty).split("\n")).toHaveLength(6);
  });
});

describe("portLines", () => {
  it.each([
    ["All Connections", ["All Connections"]],
    ["TCP 53,UDP 53", ["TCP 53,UDP 53"]],
    ["SCTP 1-9002,9004-65535,TCP 80,UDP 53", ["SCTP 1-9002,9004-65535", "TCP 80", "UDP 53"]],
    [
      "TCP 1000-1001,2000-2001,3000-3001,4000-4001,UDP 53",
      ["TCP 1000-1001,2000-2001,", "3000-3001,4000-4001", "UDP 53"],
    ],
    [
      "TCP 10,20,30,40,50,60,70,80,90,100,110,120,130,140,150,160,170,180,190,200,210,220,230,240,250,UDP 53",
      [
        "TCP 10,20,30,40,50,60,70,80,",
        "90,100,110,120,130,140,150,",
        "160,170,180,190,200,210,220,",
        "… +4 ranges",
      ],
    ],
  ])("%s", (text, lines) => {
    expect(portLines(text)).toEqual(lines);
  });
});

describe("rangeLines", () => {
  it("writes a range a line, a single address once, and counts what it leaves off past six", () => {
    expect(
      rangeLines([
        ["10.0.0.1", "10.0.0.1"],
        ["::", "::ff"],
      ]),
    ).toEqual(["10.0.0.1", "::-::ff"]);
    const many = Array.from({ length: 9 }, (_, i) => [`10.0.${i}.0`, `10.0.${i}.255`] as const);
    expect(rangeLines(many)).toEqual([...many.slice(0, 5).map(([a, b]) => `${a}-${b}`), "… +4 ranges"]);
  });
});
