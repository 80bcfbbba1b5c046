// The map contents for a table: what the fixed program (program.ts) reads, built from the render
// view's shared form — subject pods' groups, blocks (peer class → row), local blocks (local class
// → row), distinct rows as (protocol, port prefix) verdicts, address → class tries per direction
// and family, node addresses and the profile's flags. Sizes follow groups, distinct blocks' cells,
// distinct rows, classes and pod addresses (set members), never pod pairs.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import {
  type AddressInterval,
  type Family,
  localIntervals,
  nodeIntervals,
  peerIntervals,
  type RenderPod,
  renderDirection,
} from "../../ir/read-render.ts";
import { parseCIDR } from "../../net/cidr.ts";
import { parseIP } from "../../net/ip.ts";
import type { BackendRenderOptions } from "../contract.ts";
import { RenderError } from "../render.ts";
import { intervalCIDRs } from "../shared/addresses.ts";
import { appendAll } from "../shared/append.ts";
import { renderScope } from "../shared/scope.ts";
import {
  addressHex,
  FLAG_ALLOW_OWN_NODE,
  FLAG_ALLOW_SELF,
  le32,
  le32s,
  MAPS,
  type MapName,
  NO_LOCAL,
  x8,
  zeros,
} from "./layout.ts";
import { type MapEntry, Rows } from "./rows.ts";

export type MapContents = ReadonlyMap<MapName, readonly MapEntry[]>;

const DIRECTIONS = [EGRESS, INGRESS] as const;
const dirName = (d: number): string => (d === EGRESS ? "egress" : "ingress");
const FAMILIES: readonly Family[] = [4, 6];

export function buildMaps(ir: PolicyTableIR, options: BackendRenderOptions): MapContents {
  const scope = renderScope(ir, options);
  const out = new Map<MapName, MapEntry[]>(MAPS.map((m) => [m.name, []]));
  const put = (name: MapName, e: MapEntry): void => void out.get(name)!.push(e);

  const flags =
    (ir.profile.allowSelf ? FLAG_ALLOW_SELF : 0) | (ir.profile.allowFromOwnNode ? FLAG_ALLOW_OWN_NODE : 0);
  put("np_config", {
    key: le32(0),
    value: le32(flags),
    data: {
      allowSelf: (flags & FLAG_ALLOW_SELF) !== 0,
      allowFromOwnNode: (flags & FLAG_ALLOW_OWN_NODE) !== 0,
    },
  });

  // Per direction, in the view's shared form: groups point at blocks (class → row, a default
  // row elsewhere) and local blocks (local class → row); distinct rows are interned once.
  const rows = new Rows();
  const groupOf = DIRECTIONS.map(() => new Map<number, number>());
  const localNamespaces = new Set<string>();
  const hasGroups = DIRECTIONS.map(() => false);
  for (const d of DIRECTIONS) {
    const view = renderDirection(ir, d, scope.subjects);
    const direction = dirName(d);
    const rowId = view.rows.map((segments) => rows.global(segments));
    const localRowId = view.localRows.map((allowed) => rows.local(allowed));
    hasGroups[d] = view.groups.length > 0;
    for (const g of view.groups) {
      for (const m of g.members) groupOf[d]!.set(m, g.id);
      if (g.localBlock >= 0) localNamespaces.add(g.namespace);
      const block = view.blocks[g.block]!;
      const local = g.localBlock < 0 ? NO_LOCAL : g.localBlock;
      put("np_groups", {
        key: le32s(d, g.id),
        value: le32s(g.block, rowId[block.defaultRow]!, local),
        data: {
          direction,
          group: g.id,
          block: g.block,
          defaultRow: rowId[block.defaultRow]!,
          localBlock: g.localBlock < 0 ? null : g.localBlock,
        },
      });
    }
    view.blocks.forEach((b, i) => {
      for (const c of b.cells)
        put("np_cells", {
          key: le32s(d, i, c.peerClass),
          value: le32(rowId[c.row]!),
          data: { direction, block: i, peerClass: c.peerClass, row: rowId[c.row]! },
        });
    });
    view.localBlocks.forEach((b, i) => {
      for (const e of b.entries)
        put("np_locals", {
          key: le32s(d, i, e.localClass),
          value: le32(localRowId[e.row]!),
          data: { direction, localBlock: i, localClass: e.localClass, row: localRowId[e.row]! },
        });
    });
  }
  out.set("np_verdicts", rows.entries);

  // Pods: the subjects, and the pods of namespaces with local rows (peers whose local class counts).
  const subjects = new Set(scope.subjects.map((p) => p.index));
  // Per direction and family: the local intervals (adjacent addresses of one class are merged).
  const localClass = DIRECTIONS.map(() => new Map<Family, AddressInterval[]>(FAMILIES.map((f) => [f, []])));
  for (const ns of [...localNamespaces].sort())
    for (const d of DIRECTIONS)
      for (const f of FAMILIES) appendAll(localClass[d]!.get(f)!, localIntervals(ir, d, ns, f));
  for (const byFamily of localClass)
    for (const list of byFamily.values())
      list.sort((a, b) => (a.firstValue < b.firstValue ? -1 : a.firstValue > b.firstValue ? 1 : 0));
  const nsIndex = new Map(ir.namespaces.map((n, i) => [n, i]));
  const nodeIndex = new Map(ir.nodes.map((n, i) => [n, i]));
  const seen = new Set<string>();
  for (const pod of scope.pods) {
    if (!subjects.has(pod.index) && !localNamespaces.has(pod.namespace)) continue;
    for (const [family, addresses] of [
      [4, pod.v4],
      [6, pod.v6],
    ] as const)
      for (const address of addresses) {
        if (seen.has(address)) continue; // a shared address: the first pod's (as the render view)
        seen.add(address);
        put("np_pods", podEntry(pod, family, address));
      }
  }
  function podEntry(pod: RenderPod, family: Family, address: string): MapEntry {
    const value = parseIP(address)!.value;
    const group = DIRECTIONS.map((d) => (subjects.has(pod.index) ? (groupOf[d]!.get(pod.index) ?? 0) : 0));
    const local = DIRECTIONS.map((d) => find(localClass[d]!.get(family)!, value)?.cls ?? NO_LOCAL);
    const node = pod.node === undefined ? 0 : nodeIndex.get(pod.node)! + 1;
    const ns = nsIndex.get(pod.namespace)!;
    return {
      key:
        family === 4
          ? `04 00 00 00 ${addressHex(value, 4)} ${PAD12}`
          : `06 00 00 00 ${addressHex(value, 16)}`,
      value: le32s(pod.index, ns, node, group[0]!, group[1]!, local[0]!, local[1]!),
      data: {
        address,
        pod: pod.name,
        id: pod.index,
        namespaceId: ns,
        nodeId: node,
        egressGroup: group[0]!,
        ingressGroup: group[1]!,
        egressLocal: local[0] === NO_LOCAL ? null : local[0]!,
        ingressLocal: local[1] === NO_LOCAL ? null : local[1]!,
      },
    };
  }

  // Address → peer class, per direction that has subject groups, per family.
  for (const d of DIRECTIONS) {
    if (!hasGroups[d]) continue;
    for (const f of FAMILIES)
      for (const { bytes, prefix, cidr, cls } of classPrefixes(peerIntervals(ir, d, f), f))
        put(f === 4 ? "np_peer4" : "np_peer6", {
          key: `${le32(8 + prefix)} ${x8(d)} ${bytes} 00 00 00`,
          value: le32(cls),
          data: { direction: dirName(d), cidr, class: cls },
        });
  }

  // Node addresses of the subjects' nodes (the own-node rule).
  const subjectNodes = new Set(scope.subjects.flatMap((p) => (p.node === undefined ? [] : [p.node])));
  for (const f of FAMILIES) {
    const byNode = nodeIntervals(ir, f);
    for (const name of [...byNode.keys()].sort()) {
      if (!subjectNodes.has(name)) continue;
      const id = nodeIndex.get(name)! + 1;
      for (const i of byNode.get(name)!)
        for (const { bytes, prefix, cidr } of prefixes(i, f))
          put(f === 4 ? "np_node4" : "np_node6", {
            key: `${le32(prefix)} ${bytes}`,
            value: le32(id),
            data: { cidr, node: name, id },
          });
    }
  }

  for (const m of MAPS) {
    const n = out.get(m.name)!.length;
    if (n > m.maxEntries)
      throw new RenderError(
        `backend ebpf: map ${m.name} needs ${n} entries, the program's limit is ${m.maxEntries}`,
      );
  }
  return out;
}

/** The interval holding `value` in a sorted, non-overlapping list. */
function find(list: readonly AddressInterval[], value: bigint): AddressInterval | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const i = list[mid]!;
    if (value < i.firstValue) hi = mid - 1;
    else if (value > i.lastValue) lo = mid + 1;
    else return i;
  }
  return undefined;
}

const PAD12 = zeros(12);

/**
 * Intervals covering a family's whole space as LPM prefixes: the class with the most intervals as
 * one /0 entry, every other interval's CIDR cover on top of it (the longest prefix wins, and the
 * covers of distinct intervals never overlap). The gaps between pod addresses, the bulk of the
 * space, are thus never covered prefix by prefix.
 */
function classPrefixes(
  intervals: readonly AddressInterval[],
  family: Family,
): { bytes: string; prefix: number; cidr: string; cls: number }[] {
  const count = new Map<number, number>();
  for (const i of intervals) count.set(i.cls, (count.get(i.cls) ?? 0) + 1);
  let background = intervals[0]!.cls;
  for (const [cls, n] of count) {
    const best = count.get(background)!;
    if (n > best || (n === best && cls < background)) background = cls;
  }
  const whole = family === 4 ? "0.0.0.0/0" : "::/0";
  const out = [{ bytes: zeros(family === 4 ? 4 : 16), prefix: 0, cidr: whole, cls: background }];
  for (const i of intervals)
    if (i.cls !== background) for (const p of prefixes(i, family)) out.push({ ...p, cls: i.cls });
  return out;
}

/** An interval as LPM prefixes: address bytes, prefix length, CIDR text. */
function prefixes(i: AddressInterval, family: Family): { bytes: string; prefix: number; cidr: string }[] {
  const bits = family === 4 ? 32 : 128;
  if (i.firstValue === i.lastValue)
    return [{ bytes: addressHex(i.firstValue, bits / 8), prefix: bits, cidr: `${i.first}/${bits}` }];
  return intervalCIDRs(i, family).map((cidr) => {
    const c = parseCIDR(cidr)!;
    return { bytes: addressHex(c.first, family === 4 ? 4 : 16), prefix: c.prefix, cidr };
  });
}
