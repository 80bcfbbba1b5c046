// `netpol list --format dot`: the connectivity list as a Graphviz graph, one cluster per namespace.
import {
  ALL_CONNECTIONS,
  type Connection,
  type ConnectionList,
  connectionsText,
  type ExternalEndpoint,
  type ListEndpoint,
  type WorkloadEndpoint,
} from "../model/connections.ts";
import { dotLines, dotQuote, portLines, rangeLines } from "./dot-text.ts";

const FONT = dotQuote("Helvetica,Arial,sans-serif");

// Left to right (a list reads as src → dst); namespaces as filled clusters, workloads as rounded
// boxes, external ranges as dashed notes in a cluster of their own; an edge allowing everything
// is drawn heavier and red, since that is the one a reviewer looks for. `newrank`: without it,
// dot (Graphviz 16) lets the clusters overlap once many edges cross namespaces, and then fails to
// route edges ("triangulation failed"); with it, a namespace may stretch over many ranks.
const HEADER = [
  "digraph connectivity {",
  `  graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.8, pad=0.3, fontname=${FONT}, fontsize=13];`,
  `  node [shape=box, style="rounded,filled", fillcolor="#dbe8fb", color="#3d6cb3", fontname=${FONT}, fontsize=11, margin="0.15,0.06"];`,
  `  edge [color="#56657a", fontcolor="#2c3a4f", fontname=${FONT}, fontsize=9, arrowsize=0.7];`,
];
const NAMESPACE_STYLE = `style="rounded,filled", fillcolor="#f3f5f9", color="#9aa5b8", fontcolor="#1f2d3d", labeljust=l, margin=12`;
const EXTERNAL_STYLE = `style="dashed,rounded", color="#b08a2e", fontcolor="#6b5316", labeljust=l, margin=12`;
const EXTERNAL_NODE = `shape=note, style=filled, fillcolor="#fff4d6", color="#b08a2e", margin="0.2,0.08"`;
const ALL_EDGE = `color="#b03a2e", fontcolor="#b03a2e", penwidth=1.6`;

/**
 * The list as Graphviz DOT: a `cluster_ns:<namespace>` subgraph per namespace labelled with it,
 * holding its workloads (id: the endpoint's name, label: `name` over `[Kind]`); external ranges as
 * notes in a `cluster_external` subgraph; one edge per connection, labelled with its port text
 * (`connectionsText`; long ones a protocol a line, wrapped, and cut past four lines) and with
 * `src → dst: text` as its tooltip (a pair connected both ways has two edges). The output depends
 * only on the list's content: endpoints, namespaces and connections are sorted by code unit,
 * whatever order they come in.
 *
 * @example
 * formatDot(list);
 * // digraph connectivity {
 * //   …
 * //   subgraph "cluster_ns:shop" {
 * //     graph [label="shop", …];
 * //     "shop/api[Deployment]" [label="api\n[Deployment]"];
 * //   …
 * //   "shop/frontend[Deployment]" -> "shop/api[Deployment]" [label="TCP 8080", tooltip=…];
 * // }
 */
export function formatDot(list: ConnectionList): string {
  const workloads = new Map<string, WorkloadEndpoint[]>();
  const externals: ExternalEndpoint[] = [];
  for (const e of [...list.endpoints].sort(byName)) {
    if (e.type === "external") externals.push(e);
    else {
      const group = workloads.get(e.namespace);
      if (group === undefined) workloads.set(e.namespace, [e]);
      else group.push(e);
    }
  }
  const lines = [...HEADER];
  // Appended line by line: a spread of a namespace with ~10⁵ workloads would overflow the stack.
  const append = (more: readonly string[]): void => {
    for (const l of more) lines.push(l);
  };
  for (const namespace of [...workloads.keys()].sort(compare))
    append(cluster(`cluster_ns:${namespace}`, namespace, NAMESPACE_STYLE, workloads.get(namespace)!));
  if (externals.length > 0) append(cluster("cluster_external", "external", EXTERNAL_STYLE, externals));
  const connections = [...list.connections()].sort((a, b) => compare(a.src, b.src) || compare(a.dst, b.dst));
  for (const c of connections) lines.push(`  ${edge(c)}`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** A subgraph `id` labelled `label` with the nodes of `endpoints` (sorted). */
function cluster(id: string, label: string, style: string, endpoints: readonly ListEndpoint[]): string[] {
  return [
    `  subgraph ${dotQuote(id)} {`,
    `    graph [label=${dotQuote(label)}, ${style}];`,
    ...endpoints.map((e) => `    ${node(e)}`),
    "  }",
  ];
}

/** A node statement: a workload's name over its kind, an external endpoint's ranges a line each. */
function node(e: ListEndpoint): string {
  if (e.type === "workload") return `${dotQuote(e.name)} [label=${dotLines([e.workload, `[${e.kind}]`])}];`;
  return `${dotQuote(e.name)} [label=${dotLines(rangeLines(e.ranges))}, ${EXTERNAL_NODE}];`;
}

/** An edge statement labelled with the connection's port lines, its full text as the tooltip. */
function edge(c: Connection): string {
  const text = connectionsText(c.conns);
  const attrs = [`label=${dotLines(portLines(text))}`, `tooltip=${dotQuote(`${c.src} → ${c.dst}: ${text}`)}`];
  if (c.conns === ALL_CONNECTIONS) attrs.push(ALL_EDGE);
  return `${dotQuote(c.src)} -> ${dotQuote(c.dst)} [${attrs.join(", ")}];`;
}

function byName(a: ListEndpoint, b: ListEndpoint): number {
  return compare(a.name, b.name);
}

/** Code-unit order: the same bytes on every machine (no locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
