// The nftables script: one idempotent `nft -f` file (table inet netpol). Per direction an address
// → group verdict map sends a subject's packets to its group's chain; there the peer's address
// sets the packet mark to its class through an interval map, and one verdict map keyed by
// (class . protocol . port) decides — O(1) lookups in the kernel, sizes following groups, set
// members and cells, never pod pairs. Docs: docs/backends.md.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import {
  type AddressInterval,
  type Family,
  localIntervals,
  nodeIntervals,
  peerIntervals,
  type RenderDirection,
  type RenderPod,
  type RenderVerdict,
  renderDirection as renderDirectionView,
} from "../../ir/read-render.ts";
import type { BackendRenderOptions } from "../contract.ts";
import { intervalText } from "../shared/addresses.ts";
import { appendAll } from "../shared/append.ts";
import { renderScope } from "../shared/scope.ts";
import { sanitizeComment } from "../shared/text.ts";
import { declaration, portKey } from "./elements.ts";

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
  appendAll(decls, specialSets(ir, scope.subjects));
  for (const direction of [EGRESS, INGRESS]) {
    const { decls: d, chains: c } = renderDirection(ir, direction, scope.subjects);
    appendAll(decls, d);
    appendAll(chains, c);
  }
  const header = [
    `#!/usr/sbin/nft -f`,
    `# netpol-engine: NetworkPolicy and admin/baseline tiers as nftables (IR v${ir.version}, profile ${sanitizeComment(ir.profile.name)})`,
    `# scope: ${options.node === undefined ? "the whole cluster" : `pods on node ${sanitizeComment(options.node)}`}; ${scope.subjects.length} pods`,
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

/** Peer classes are tagged in the mark so that a block miss (the default row) can be told from a row id. */
const CLASS_TAG = 0x40000000;
const hex = (n: number): string => `0x${n.toString(16).padStart(8, "0")}`;
/** `hex(CLASS_TAG | cls)`, written once per class. */
const tagTexts: string[] = [];
const tag = (cls: number): string => (tagTexts[cls] ??= hex(CLASS_TAG | cls));
/** Row verdict codes in the mark after the rows lookup. */
const CODE: Record<RenderVerdict, number> = { allow: 1, deny: 2, local: 3 };

function renderDirection(
  ir: PolicyTableIR,
  direction: number,
  subjects: readonly RenderPod[],
): { decls: string[]; chains: string[] } {
  const p = prefix(direction);
  const view = renderDirectionView(ir, direction, subjects);
  const decls: string[] = [];
  const chains: string[] = [];
  const groupOf = new Map<number, number>();
  for (const g of view.groups) for (const m of g.members) groupOf.set(m, g.id);
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
    if (view.groups.length > 0)
      decls.push(
        declaration(
          "map",
          `${p}_peer_v${f}`,
          `${ADDR[f]} : mark`,
          true,
          peerIntervals(ir, direction, f).map(tagged),
        ),
      );
  }
  appendAll(decls, sharedMaps(p, view));
  const localNamespaces = new Map<string, number>();
  for (const g of view.groups) if (g.localBlock >= 0) localNamespaces.set(g.namespace, g.namespaceIndex);
  for (const [ns, n] of [...localNamespaces].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (const f of FAMILIES)
      decls.push(
        declaration(
          "map",
          localMap(p, n, f),
          `${ADDR[f]} : mark`,
          true,
          localIntervals(ir, direction, ns, f).map(tagged),
        ),
      );
  const peerField = direction === EGRESS ? "daddr" : "saddr";
  for (const g of view.groups) {
    const name = `${p}_g${g.id}`;
    const block = view.blocks[g.block]!;
    chains.push(
      `  chain ${name} {`,
      `    # ${sanitizeComment(`${g.members.length} pods of namespace ${g.namespace}`)}`,
      ...FAMILIES.map((f) => `    meta mark set ${IP[f]} ${peerField} map @${p}_peer_v${f}`),
      ...(block.cells.length > 0 ? [`    meta mark set meta mark map @${p}_blk${g.block}`] : []),
      `    meta mark & ${hex(CLASS_TAG)} == ${hex(CLASS_TAG)} meta mark set ${block.defaultRow}`,
      `    meta mark set meta mark . meta l4proto . th dport map @${p}_rows`,
      `    meta mark ${CODE.allow} return`,
      ...(g.localBlock >= 0 ? [`    meta mark ${CODE.local} goto ${name}_local`] : []),
      "    drop",
      "  }",
    );
    if (g.localBlock < 0) continue;
    chains.push(
      `  chain ${name}_local {`,
      "    meta mark set 0",
      ...FAMILIES.map(
        (f) => `    meta mark set ${IP[f]} ${peerField} map @${localMap(p, g.namespaceIndex, f)}`,
      ),
      `    meta mark set meta mark map @${p}_lblk${g.localBlock}`,
      `    meta mark . meta l4proto . th dport @${p}_lrows return`,
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

const tagged = (i: AddressInterval): string => `${intervalText(i)} : ${tag(i.cls)}`;

/** The blocks (tagged class → row), the rows (row . protocol . ports → verdict code), local blocks and rows. */
function sharedMaps(p: string, view: RenderDirection): string[] {
  const out = view.blocks.flatMap((b, i) =>
    b.cells.length === 0
      ? []
      : [
          declaration(
            "map",
            `${p}_blk${i}`,
            "mark : mark",
            false,
            b.cells.map((c) => `${tag(c.peerClass)} : ${c.row}`),
          ),
        ],
  );
  if (view.groups.length === 0) return out;
  out.push(
    declaration(
      "map",
      `${p}_rows`,
      `${SEGMENT_MAP} : mark`,
      true,
      view.rows.flatMap((segments, r) => segments.map((s) => `${r} . ${portKey(s)} : ${CODE[s.verdict]}`)),
    ),
  );
  view.localBlocks.forEach((b, i) => {
    out.push(
      declaration(
        "map",
        `${p}_lblk${i}`,
        "mark : mark",
        false,
        b.entries.map((e) => `${tag(e.localClass)} : ${e.row + 1}`),
      ),
    );
  });
  if (view.localBlocks.length > 0)
    out.push(
      declaration(
        "set",
        `${p}_lrows`,
        SEGMENT_MAP,
        true,
        view.localRows.flatMap((segments, r) => segments.map((s) => `${r + 1} . ${portKey(s)}`)),
      ),
    );
  return out;
}

const localMap = (p: string, namespaceIndex: number, f: Family): string => `${p}_ns${namespaceIndex}_v${f}`;

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
