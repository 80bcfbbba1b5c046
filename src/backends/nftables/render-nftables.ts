// The nftables script: one idempotent `nft -f` file (table inet netpol). Per direction an address
// → group verdict map sends a subject's packets to its group's chain; there the peer's address
// sets the packet mark to its class through an interval map, and one verdict map keyed by
// (class . protocol . port) decides — O(1) lookups in the kernel, sizes following groups, set
// members and cells, never pod pairs. Docs: docs/backends.md.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import {
  type Family,
  localIntervals,
  nodeIntervals,
  peerIntervals,
  type RenderGroup,
  type RenderPod,
} from "../../ir/read-render.ts";
import type { BackendRenderOptions } from "../contract.ts";
import { intervalText } from "../shared/addresses.ts";
import { renderScope } from "../shared/scope.ts";
import { sanitizeComment } from "../shared/text.ts";
import { cellElements, declaration, markElement, portKey, segmentElements } from "./elements.ts";

export const NFT_TABLE = "netpol";
const FAMILIES: readonly Family[] = [4, 6];
const ADDR: Record<Family, string> = { 4: "ipv4_addr", 6: "ipv6_addr" };
const IP: Record<Family, string> = { 4: "ip", 6: "ip6" };
const SEGMENT_MAP = "mark . inet_proto . inet_service";

const prefix = (direction: number): string => (direction === EGRESS ? "eg" : "in");
const addrsOf = (pod: RenderPod, f: Family): readonly string[] => (f === 4 ? pod.v4 : pod.v6);

export function renderNftables(ir: PolicyTableIR, options: BackendRenderOptions): string {
  const scope = renderScope(ir, options);
  const decls: string[] = [];
  const chains: string[] = [];
  decls.push(...specialSets(ir, scope.subjects));
  for (const direction of [EGRESS, INGRESS]) {
    const groups = scope.groups[direction]!;
    const { decls: d, chains: c } = renderDirection(ir, direction, groups, scope.subjects);
    decls.push(...d);
    chains.push(...c);
  }
  const header = [
    `#!/usr/sbin/nft -f`,
    `# netpol-engine: NetworkPolicy and admin/baseline tiers as nftables (IR v${ir.version}, profile ${sanitizeComment(ir.profile.name)})`,
    `# scope: ${options.node === undefined ? "the whole cluster" : `pods on node ${sanitizeComment(options.node)}`}; ${scope.subjects.length} pods, ${scope.groups[0].length} egress and ${scope.groups[1].length} ingress groups`,
    `# Loading it again replaces the table (idempotent). The chains use the packet mark as scratch.`,
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
  ];
  return `${[...header, ...decls, ...chains, ...policyChains(ir), "}"].join("\n")}\n`;
}

/** Self pairs (a pod to its own addresses) and own-node pairs (node address → pod), as the profile says. */
function specialSets(ir: PolicyTableIR, subjects: readonly RenderPod[]): string[] {
  const out: string[] = [];
  for (const f of FAMILIES) {
    const t = `${ADDR[f]} . ${ADDR[f]}`;
    if (ir.profile.allowSelf) {
      const pairs = subjects.flatMap((p) =>
        addrsOf(p, f).flatMap((a) => addrsOf(p, f).map((b) => `${a} . ${b}`)),
      );
      out.push(declaration("set", `self_v${f}`, t, false, pairs));
    }
    if (ir.profile.allowFromOwnNode) {
      const nodes = nodeIntervals(ir, f);
      const pairs = subjects.flatMap((p) =>
        (p.node === undefined ? [] : (nodes.get(p.node) ?? [])).flatMap((n) =>
          addrsOf(p, f).map((a) => `${intervalText(n)} . ${a}`),
        ),
      );
      out.push(declaration("set", `own_node_v${f}`, t, true, pairs));
    }
  }
  return out;
}

function renderDirection(
  ir: PolicyTableIR,
  direction: number,
  groups: readonly RenderGroup[],
  subjects: readonly RenderPod[],
): { decls: string[]; chains: string[] } {
  const p = prefix(direction);
  const decls: string[] = [];
  const chains: string[] = [];
  const groupOf = new Map<number, number>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g.id);
  for (const f of FAMILIES) {
    // A shared address (a datapath cannot tell its pods apart) belongs to its first pod, as in the view.
    const taken = new Set<string>();
    const subjectElements = subjects.flatMap((pod) => {
      const g = groupOf.get(pod.index);
      const own = addrsOf(pod, f).filter((a) => !taken.has(a));
      for (const a of own) taken.add(a);
      return g === undefined ? [] : own.map((a) => `${a} : goto ${p}_g${g}`);
    });
    decls.push(declaration("map", `${p}_subject_v${f}`, `${ADDR[f]} : verdict`, false, subjectElements));
    if (groups.length > 0)
      decls.push(
        declaration(
          "map",
          `${p}_peer_v${f}`,
          `${ADDR[f]} : mark`,
          true,
          peerIntervals(ir, direction, f).map(markElement),
        ),
      );
  }
  const localNamespaces = [
    ...new Set(groups.filter((g) => g.local.length > 0).map((g) => g.namespace)),
  ].sort();
  for (const ns of localNamespaces)
    for (const f of FAMILIES)
      decls.push(
        declaration(
          "map",
          localMap(ir, p, ns, f),
          `${ADDR[f]} : mark`,
          true,
          localIntervals(ir, direction, ns, f).map(markElement),
        ),
      );
  const peerField = direction === EGRESS ? "daddr" : "saddr";
  for (const g of groups) {
    const name = `${p}_g${g.id}`;
    const localChain = `${name}_local`;
    decls.push(
      `  # ${name}: ${sanitizeComment(`${g.members.length} pods of namespace ${g.namespace}`)}`,
      declaration(
        "map",
        `${name}_cells`,
        `${SEGMENT_MAP} : verdict`,
        true,
        g.cells.flatMap((c) => cellElements(c.peerClass, c.segments, localChain)),
      ),
      declaration(
        "map",
        `${name}_default`,
        "inet_proto . inet_service : verdict",
        true,
        segmentElements(g.defaultSegments, localChain),
      ),
    );
    chains.push(
      `  chain ${name} {`,
      "    meta mark set 0",
      ...FAMILIES.map((f) => `    meta mark set ${IP[f]} ${peerField} map @${p}_peer_v${f}`),
      `    meta mark . meta l4proto . th dport vmap @${name}_cells`,
      `    meta l4proto . th dport vmap @${name}_default`,
      "    drop",
      "  }",
    );
    if (g.local.length === 0) continue;
    decls.push(
      declaration(
        "map",
        `${localChain}_cells`,
        `${SEGMENT_MAP} : verdict`,
        true,
        g.local.flatMap((l) => l.allowed.map((s) => `${l.localClass + 1} . ${portKey(s)} : return`)),
      ),
    );
    chains.push(
      `  chain ${localChain} {`,
      "    meta mark set 0",
      ...FAMILIES.map(
        (f) => `    meta mark set ${IP[f]} ${peerField} map @${localMap(ir, p, g.namespace, f)}`,
      ),
      `    meta mark . meta l4proto . th dport vmap @${localChain}_cells`,
      "    drop",
      "  }",
    );
  }
  const subjectField = direction === EGRESS ? "saddr" : "daddr";
  const ownNode = direction === INGRESS && ir.profile.allowFromOwnNode;
  chains.push(
    `  chain np_${direction === EGRESS ? "egress" : "ingress"} {`,
    ...(ownNode ? FAMILIES.map((f) => `    ${IP[f]} saddr . ${IP[f]} daddr @own_node_v${f} return`) : []),
    ...FAMILIES.map((f) => `    ${IP[f]} ${subjectField} vmap @${p}_subject_v${f}`),
    "  }",
  );
  return { decls, chains };
}

const localMap = (ir: PolicyTableIR, p: string, ns: string, f: Family): string =>
  `${p}_ns${ir.namespaces.indexOf(ns)}_v${f}`;

/** The entry chains: replies first, then self, then both directions (each returns when it allows). */
function policyChains(ir: PolicyTableIR): string[] {
  return [
    "  chain np_policy {",
    "    ct state established,related accept",
    "    meta l4proto != { tcp, udp, sctp } accept",
    ...(ir.profile.allowSelf
      ? FAMILIES.map((f) => `    ${IP[f]} saddr . ${IP[f]} daddr @self_v${f} accept`)
      : []),
    "    jump np_egress",
    "    jump np_ingress",
    "    accept",
    "  }",
    "  chain forward {",
    "    type filter hook forward priority filter; policy accept;",
    "    jump np_policy",
    "  }",
    "  chain output {",
    "    type filter hook output priority filter; policy accept;",
    "    jump np_policy",
    "  }",
  ];
}
