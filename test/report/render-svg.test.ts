// netpol list --format svg: the SVG Graphviz (WebAssembly) draws from formatDot, parsed as XML: a
// node per endpoint with its name, an edge per connection with its port text, a cluster per
// namespace. docs/reports/example.svg is the shop's drawing (UPDATE_GOLDEN=1 rewrites it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { type ConnectionList, connectionsText } from "../../src/model/connections.ts";
import { portLines, rangeLines } from "../../src/report/dot-text.ts";
import { formatDot } from "../../src/report/format-dot.ts";
import { renderSvg } from "../../src/report/render-svg.ts";
import { shop, tricky } from "./lists.ts";

const EXAMPLE = join(import.meta.dirname, "..", "..", "docs", "reports", "example.svg");

/** The SVG as a DOM; any warning or error of the XML parser fails. */
function parseSvg(svg: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => problems.push(`${level}: ${message}`),
  }).parseFromString(svg, "image/svg+xml");
  expect(problems).toEqual([]);
  const root = doc.documentElement!;
  expect(root.tagName).toBe("svg");
  expect(root.namespaceURI).toBe("http://www.w3.org/2000/svg");
  return root;
}

function groups(root: Element, cls: string): Element[] {
  return [...root.getElementsByTagName("g")].filter((g) => g.getAttribute("class") === cls);
}

/** The texts of `g`'s own `<text>` children (a node's, an edge's or a cluster's label lines). */
function texts(g: Element): string[] {
  return [...g.childNodes].filter((n) => n.nodeName === "text").map((n) => n.textContent ?? "");
}

function title(g: Element): string {
  return g.getElementsByTagName("title")[0]!.textContent ?? "";
}

async function expectDrawn(list: ConnectionList): Promise<void> {
  const root = parseSvg(await renderSvg(formatDot(list)));
  // A node's title is its DOT id: the name, with a backslash doubled (dotQuote).
  const nodes = new Map(groups(root, "node").map((g) => [title(g).replaceAll("\\\\", "\\"), texts(g)]));
  expect([...nodes.keys()].sort()).toEqual(list.endpoints.map((e) => e.name).sort());
  for (const e of list.endpoints)
    expect(nodes.get(e.name)).toEqual(
      e.type === "workload" ? [e.workload, `[${e.kind}]`] : rangeLines(e.ranges),
    );

  const edges = new Map(
    groups(root, "edge").map((g) => [g.getElementsByTagName("a")[0]!.getAttribute("xlink:title"), texts(g)]),
  );
  const connections = [...list.connections()];
  expect(edges.size).toBe(connections.length);
  for (const c of connections) {
    const text = connectionsText(c.conns);
    expect(edges.get(`${c.src} → ${c.dst}: ${text}`), `${c.src} → ${c.dst}`).toEqual(portLines(text));
  }

  const clusters = new Map(groups(root, "cluster").map((g) => [title(g), texts(g)]));
  const namespaces = new Set(list.endpoints.flatMap((e) => (e.type === "workload" ? [e.namespace] : [])));
  expect(Object.fromEntries(clusters)).toEqual({
    ...Object.fromEntries([...namespaces].map((n) => [`cluster_ns:${n}`, [n]])),
    ...(list.endpoints.some((e) => e.type === "external") ? { cluster_external: ["external"] } : {}),
  });
}

describe("renderSvg", () => {
  it("draws every endpoint, connection and namespace of a list with every escape", async () => {
    await expectDrawn(tricky);
  });

  it("draws the shop, as docs/reports/example.svg shows it", async () => {
    await expectDrawn(shop);
    const svg = await renderSvg(formatDot(shop));
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(EXAMPLE)) {
      mkdirSync(dirname(EXAMPLE), { recursive: true });
      writeFileSync(EXAMPLE, svg);
      if (process.env.UPDATE_GOLDEN !== "1")
        throw new Error("docs/reports/example.svg was missing: written, look at it and rerun");
    }
    expect(svg, "docs/reports/example.svg (UPDATE_GOLDEN=1 rewrites it; look at it first)").toBe(
      readFileSync(EXAMPLE, "utf8"),
    );
  });

  it("gives the same bytes twice", async () => {
    const dot = formatDot(tricky);
    expect(await renderSvg(dot)).toBe(await renderSvg(dot));
  });

  it("rejects DOT that does not parse, with Graphviz's message", async () => {
    await expect(renderSvg("digraph { a -> }")).rejects.toThrow(/syntax error in line 1/);
  });
});
