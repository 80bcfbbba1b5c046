// A minimal third-party backend (docs/backends.md): the compiled decision as an "allowlist" — one
// line per subject address, per address interval of a peer class, and per group with the ports it
// allows — that a datapath of your own can load. Written only against the public API: in your own
// package, import from "netpol-engine" instead of "../src/index.ts".
import {
  type Artifact,
  type Backend,
  type BackendRenderOptions,
  type Family,
  localIntervals,
  nodeIntervals,
  type PolicyTableIR,
  type PortSegment,
  peerIntervals,
  renderScope,
  sanitizeComment,
  type VerdictSegment,
} from "../src/index.ts";

/** Directions are numbers in the IR and the render view: 0 egress (at the source), 1 ingress (at the destination). */
const DIRECTIONS = [
  [0, "egress"],
  [1, "ingress"],
] as const;
const FAMILIES: readonly Family[] = [4, 6];

/** `TCP:80-80=allow UDP:1-65535=local`: the segments that are not deny; `-` when all are. */
function segmentsText(segments: readonly (PortSegment | VerdictSegment)[]): string {
  const kept = segments.filter((s) => !("verdict" in s) || s.verdict !== "deny");
  if (kept.length === 0) return "-";
  return kept
    .map((s) => `${s.protocol}:${s.first}-${s.last}${"verdict" in s ? `=${s.verdict}` : ""}`)
    .join(" ");
}

function renderAllowlist(ir: PolicyTableIR, options: BackendRenderOptions): string {
  const scope = renderScope(ir, options);
  const lines: string[] = [
    `# netpol-engine allowlist (IR v${ir.version}); scope: ${options.node === undefined ? "cluster" : `node ${sanitizeComment(options.node)}`}`,
    `profile\t${sanitizeComment(ir.profile.name)}\tself=${ir.profile.allowSelf ? 1 : 0}\town-node=${ir.profile.allowFromOwnNode ? 1 : 0}`,
  ];
  // A pod reaching its own addresses (when the profile allows it): one line per subject pod.
  if (ir.profile.allowSelf)
    for (const p of scope.subjects) lines.push(`self\t${[...p.v4, ...p.v6].join(",")}`);
  // The own-node rule: each node's address intervals, and each subject's node on its lines below.
  if (ir.profile.allowFromOwnNode)
    for (const f of FAMILIES)
      for (const [node, intervals] of [...nodeIntervals(ir, f)].sort(([a], [b]) => (a < b ? -1 : 1)))
        for (const i of intervals) lines.push(`node\t${sanitizeComment(node)}\t${i.first}\t${i.last}`);
  for (const [direction, name] of DIRECTIONS) {
    const groups = scope.groups[direction];
    const groupOf = new Map<number, number>();
    for (const g of groups) for (const m of g.members) groupOf.set(m, g.id);
    // Subject address → group (pods in no group are not policed in this direction).
    for (const p of scope.subjects) {
      const g = groupOf.get(p.index);
      if (g === undefined) continue;
      for (const a of [...p.v4, ...p.v6]) lines.push(`subject\t${name}\t${a}\t${g}\t${p.node ?? "-"}`);
    }
    if (groups.length === 0) continue;
    // Peer address → class: intervals covering each family's whole space, no overlaps.
    for (const f of FAMILIES)
      for (const i of peerIntervals(ir, direction, f))
        lines.push(`peer\t${name}\t${i.first}\t${i.last}\t${i.cls}`);
    // Same-namespace peers → local class, for the namespaces whose groups have local rules.
    const namespaces = [...new Set(groups.filter((g) => g.local.length > 0).map((g) => g.namespace))].sort();
    for (const ns of namespaces)
      for (const f of FAMILIES)
        for (const i of localIntervals(ir, direction, ns, f))
          lines.push(`local\t${name}\t${ns}\t${i.first}\t${i.cls}`);
    // Per group: the default segments, the classes that differ, the local classes' allowed ports.
    for (const g of groups) {
      lines.push(`default\t${name}\t${g.id}\t${g.namespace}\t${segmentsText(g.defaultSegments)}`);
      for (const c of g.cells)
        lines.push(`cell\t${name}\t${g.id}\t${c.peerClass}\t${segmentsText(c.segments)}`);
      for (const l of g.local)
        lines.push(`localcell\t${name}\t${g.id}\t${l.localClass}\t${segmentsText(l.allowed)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The backend value: what `render(table, allowlistBackend)` and `netpol render` take. */
export const allowlistBackend: Backend = {
  name: "allowlist",
  description: "the folded decision as a tab-separated allowlist (subjects, peer classes, allowed ports)",
  capabilities: {
    // It renders the folded decision, so tiers, Deny and priorities come for free; it cannot
    // resolve domain names, and it keys subjects by address (two pods on one address: one line).
    features: ["ipv4", "ipv6", "sctp", "port-ranges", "cluster-tiers", "deny-rules", "node-scope"],
  },
  render(ir, options): Artifact[] {
    return [
      {
        path: "README",
        content: `netpol-engine allowlist\n\nallowlist.tsv: one record per line, tab-separated (see examples/third-party-backend.ts).\n`,
      },
      { path: "allowlist.tsv", content: renderAllowlist(ir, options) },
    ];
  },
};
