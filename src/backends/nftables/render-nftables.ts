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
  podsSharingAddresses,
  type RenderDirection,
  type RenderPod,
  type RenderVerdict,
  renderDirection as renderDirectionView,
} from "../../ir/read-render.ts";
import type { BackendRenderOptions } from "../contract.ts";
import { intervalText } from "../shared/addresses.ts";
import { FirstSeen } from "../shared/first-seen.ts";
import { renderScope } from "../shared/scope.ts";
import { sanitizeComment } from "../shared/text.ts";
import { TextWriter } from "../shared/text-writer.ts";
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
  const out = new TextWriter();
  out
    .str(`#!/usr/sbin/nft -f
# netpol-engine: NetworkPolicy and admin/baseline tiers as nftables (IR v${ir.version}, profile ${sanitizeComment(ir.profile.name)})
# scope: ${options.node === undefined ? "the whole cluster" : `pods on node ${sanitizeComment(options.node)}`}; ${scope.subjects.length} pods
# Loading it again replaces the table (idempotent). The chains use the packet mark as scratch.
table inet ${NFT_TABLE}
delete table inet ${NFT_TABLE}
table inet ${NFT_TABLE} {`)
    .nl();
  specialSets(out, ir, scope.subjects);
  // Declarations of both directions first, then their chains (nft resolves names in order).
  const chains = new TextWriter();
  for (const direction of [EGRESS, INGRESS]) renderDirection(out, chains, ir, direction, scope.subjects);
  out.append(chains);
  policyChains(out, ir);
  out.str("}").nl();
  return out.text();
}

/**
 * Self pairs (a pod to its own addresses) and own-node pairs (node address → pod), as the profile
 * says. A pair repeats only where an address is held twice (pods sharing one, as hostNetwork pods
 * share their node's, or a pod listing it twice): written once, in first-seen order.
 */
function specialSets(out: TextWriter, ir: PolicyTableIR, subjects: readonly RenderPod[]): void {
  // Only the pairs of a pod holding such an address can repeat: only they are looked up.
  const sharing = podsSharingAddresses(ir);
  for (const f of FAMILIES) {
    const t = `${ADDR[f]} . ${ADDR[f]}`;
    if (ir.profile.allowSelf) {
      const pairs = new FirstSeen();
      for (const p of subjects) {
        const addrs = addrsOf(p, f);
        const may = sharing[p.index] === 1;
        for (const a of addrs) for (const b of addrs) pairs.add(`${a} . ${b}`, may);
      }
      declaration(out, "set", `self_v${f}`, t, false, pairs.list);
    }
    if (ir.profile.allowFromOwnNode) {
      const nodes = nodeIntervals(ir, f);
      const pairs = new FirstSeen();
      for (const p of subjects) {
        const intervals = p.node === undefined ? undefined : nodes.get(p.node);
        if (intervals === undefined) continue;
        const addrs = addrsOf(p, f);
        const may = sharing[p.index] === 1;
        for (const n of intervals) {
          const node = intervalText(n);
          for (const a of addrs) pairs.add(`${node} . ${a}`, may);
        }
      }
      declaration(out, "set", `own_node_v${f}`, t, true, pairs.list);
    }
  }
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
  decls: TextWriter,
  chains: TextWriter,
  ir: PolicyTableIR,
  direction: number,
  subjects: readonly RenderPod[],
): void {
  const p = prefix(direction);
  const view = renderDirectionView(ir, direction, subjects);
  const groupOf = new Map<number, number>();
  for (const g of view.groups) for (const m of g.members) groupOf.set(m, g.id);
  for (const f of FAMILIES) {
    // A shared address (a datapath cannot tell its pods apart) belongs to its first pod, as in the view.
    const taken = new Set<string>();
    const subjectElements: string[] = [];
    for (const pod of subjects) {
      const g = groupOf.get(pod.index);
      for (const a of addrsOf(pod, f)) {
        if (taken.has(a)) continue;
        taken.add(a);
        if (g !== undefined) subjectElements.push(`${a} : goto ${p}_g${g}`);
      }
    }
    declaration(decls, "map", `${p}_subject_v${f}`, `${ADDR[f]} : verdict`, false, subjectElements);
    if (view.groups.length > 0)
      declaration(
        decls,
        "map",
        `${p}_peer_v${f}`,
        `${ADDR[f]} : mark`,
        true,
        peerIntervals(ir, direction, f).map(tagged),
      );
  }
  sharedMaps(decls, p, view);
  const localNamespaces = new Map<string, number>();
  for (const g of view.groups) if (g.localBlock >= 0) localNamespaces.set(g.namespace, g.namespaceIndex);
  for (const [ns, n] of [...localNamespaces].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (const f of FAMILIES)
      declaration(
        decls,
        "map",
        localMap(p, n, f),
        `${ADDR[f]} : mark`,
        true,
        localIntervals(ir, direction, ns, f).map(tagged),
      );
  groupChains(chains, p, direction, view);
  const subjectField = direction === EGRESS ? "saddr" : "daddr";
  const ownNode = direction === INGRESS && ir.profile.allowFromOwnNode;
  chains.str(`  chain np_${direction === EGRESS ? "egress" : "ingress"} {`).nl();
  if (ownNode)
    for (const f of FAMILIES) chains.str(`    ${IP[f]} saddr . ${IP[f]} daddr @own_node_v${f} return`).nl();
  for (const f of FAMILIES) chains.str(`    ${IP[f]} ${subjectField} vmap @${p}_subject_v${f}`).nl();
  chains.str("  }").nl();
}

/** Per group its chain: the peer's class into the mark, then its block's row, then the row's verdict. */
function groupChains(out: TextWriter, p: string, direction: number, view: RenderDirection): void {
  const peerField = direction === EGRESS ? "daddr" : "saddr";
  // The lines every group's chain shares, written once.
  const peerLines = FAMILIES.map((f) => `    meta mark set ${IP[f]} ${peerField} map @${p}_peer_v${f}`).join(
    "\n",
  );
  const rowLines = `    meta mark & ${hex(CLASS_TAG)} == ${hex(CLASS_TAG)} meta mark set `;
  const lookup = `    meta mark set meta mark . meta l4proto . th dport map @${p}_rows
    meta mark ${CODE.allow} return`;
  for (const g of view.groups) {
    const name = `${p}_g${g.id}`;
    const block = view.blocks[g.block]!;
    const blockLine = block.cells.length > 0 ? `\n    meta mark set meta mark map @${p}_blk${g.block}` : "";
    const localLine = g.localBlock >= 0 ? `\n    meta mark ${CODE.local} goto ${name}_local` : "";
    out
      .str(`  chain ${name} {
    # ${sanitizeComment(`${g.members.length} pods of namespace ${g.namespace}`)}
${peerLines}${blockLine}
${rowLines}${block.defaultRow}
${lookup}${localLine}
    drop
  }`)
      .nl();
    if (g.localBlock < 0) continue;
    const locals = FAMILIES.map(
      (f) => `    meta mark set ${IP[f]} ${peerField} map @${localMap(p, g.namespaceIndex, f)}`,
    ).join("\n");
    out
      .str(`  chain ${name}_local {
    meta mark set 0
${locals}
    meta mark set meta mark map @${p}_lblk${g.localBlock}
    meta mark . meta l4proto . th dport @${p}_lrows return
    drop
  }`)
      .nl();
  }
}

const tagged = (i: AddressInterval): string => `${intervalText(i)} : ${tag(i.cls)}`;

/** The blocks (tagged class → row), the rows (row . protocol . ports → verdict code), local blocks and rows. */
function sharedMaps(out: TextWriter, p: string, view: RenderDirection): void {
  view.blocks.forEach((b, i) => {
    if (b.cells.length === 0) return;
    const cells = b.cells.map((c) => `${tag(c.peerClass)} : ${c.row}`);
    declaration(out, "map", `${p}_blk${i}`, "mark : mark", false, cells);
  });
  if (view.groups.length === 0) return;
  const rows: string[] = [];
  view.rows.forEach((segments, r) => {
    for (const s of segments) rows.push(`${r} . ${portKey(s)} : ${CODE[s.verdict]}`);
  });
  declaration(out, "map", `${p}_rows`, `${SEGMENT_MAP} : mark`, true, rows);
  view.localBlocks.forEach((b, i) => {
    const entries = b.entries.map((e) => `${tag(e.localClass)} : ${e.row + 1}`);
    declaration(out, "map", `${p}_lblk${i}`, "mark : mark", false, entries);
  });
  if (view.localBlocks.length === 0) return;
  const localRows: string[] = [];
  view.localRows.forEach((segments, r) => {
    for (const s of segments) localRows.push(`${r + 1} . ${portKey(s)}`);
  });
  declaration(out, "set", `${p}_lrows`, SEGMENT_MAP, true, localRows);
}

const localMap = (p: string, namespaceIndex: number, f: Family): string => `${p}_ns${namespaceIndex}_v${f}`;

/** The entry chains: replies first, then self, then both directions (each returns when it allows). */
function policyChains(out: TextWriter, ir: PolicyTableIR): void {
  const self = ir.profile.allowSelf
    ? FAMILIES.map((f) => `\n    ${IP[f]} saddr . ${IP[f]} daddr @self_v${f} accept`).join("")
    : "";
  out
    .str(`  chain np_policy {
    ct state established,related accept
    meta l4proto != { tcp, udp, sctp } accept${self}
    jump np_egress
    jump np_ingress
    accept
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    jump np_policy
  }
  chain output {
    type filter hook output priority filter; policy accept;
    jump np_policy
  }`)
    .nl();
}
