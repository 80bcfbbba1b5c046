// The render view: what a rendering backend needs from the IR, in the terms a datapath uses —
// subjects (groups) and their member pods, address → peer-class maps as non-overlapping intervals,
// and per (group, peer class) the folded verdict as port segments. Read through `read-table.ts`
// only (docs/architecture.md "IR v3"); sizes follow the IR (groups, classes, cells, members),
// never pod pairs. The rows are in read-render-rows.ts, the shared form in read-render-shared.ts;
// backends import all of it from here.
import { type IRDirection, KIND_POD, type PolicyTableIR } from "./policy-table-ir.ts";
import {
  allowedView,
  modeRow,
  type PortSegment,
  type RenderPod,
  rowView,
  type VerdictSegment,
} from "./read-render-rows.ts";
import { directionOf, globalBlock } from "./read-table.ts";

export {
  type AddressInterval,
  localIntervals,
  localIntervalsByNamespace,
  nodeIntervals,
  peerIntervals,
  podLocalClass,
} from "./read-addresses.ts";
export {
  type AddressIndex,
  addressIndex,
  podsSharingAddresses,
  sharedAddresses,
} from "./read-pod-addresses.ts";
export {
  type Family,
  type PortSegment,
  type Protocol,
  type RenderPod,
  type RenderVerdict,
  rowAllowed,
  rowSegments,
  type VerdictSegment,
} from "./read-render-rows.ts";
export { type RenderDirection, renderDirection } from "./read-render-shared.ts";

/** One subject group of a direction, as a backend renders it. */
export interface RenderGroup {
  /** The IR's group id (≥ 1), stable for a given table. */
  readonly id: number;
  /** The namespace of its members (a group never spans namespaces). */
  readonly namespace: string;
  /** Its index in `ir.namespaces`. */
  readonly namespaceIndex: number;
  /** Member pods (endpoint indices of selectable pods with at least one address), ascending. */
  readonly members: readonly number[];
  /** Segments for every peer class not listed in `cells`. */
  readonly defaultSegments: readonly VerdictSegment[];
  /** Peer classes whose segments differ from the default, ascending. */
  readonly cells: readonly { readonly peerClass: number; readonly segments: readonly VerdictSegment[] }[];
  /** Same-namespace local classes with the ports they allow (only non-empty ones), ascending. */
  readonly local: readonly { readonly localClass: number; readonly allowed: readonly PortSegment[] }[];
}

const NONE: readonly string[] = Object.freeze([]);

/** A pod's addresses by family; a single-family list is the IR's own (both are read-only). */
function byFamily(addrs: readonly string[]): { v4: readonly string[]; v6: readonly string[] } {
  let v6 = 0;
  for (const a of addrs) if (a.includes(":")) v6++;
  if (v6 === 0) return { v4: addrs, v6: NONE };
  if (v6 === addrs.length) return { v4: NONE, v6: addrs };
  return { v4: addrs.filter((a) => !a.includes(":")), v6: addrs.filter((a) => a.includes(":")) };
}

/**
 * The pods a backend may render (selectable, with an address), in endpoint order; hostNetwork
 * pods are address endpoints (their node's addresses) and address-less pods cannot be rendered.
 */
export function renderPods(ir: PolicyTableIR): RenderPod[] {
  const out: RenderPod[] = [];
  for (let p = 0; p < ir.pods.length; p++) {
    const addrs = ir.podAddresses[p]!;
    if (ir.kind[p] !== KIND_POD || addrs.length === 0) continue;
    const n = ir.node[p]!;
    out.push({
      index: p,
      name: ir.pods[p]!,
      namespace: ir.namespaces[ir.namespace[p]!]!,
      namespaceIndex: ir.namespace[p]!,
      node: n >= 0 ? ir.nodes[n] : undefined,
      nodeIndex: n >= 0 ? n : -1,
      ...byFamily(addrs),
    });
  }
  return out;
}

/** The groups of `direction` with at least one member among `pods` (group 0, the unselected, allows and is left out). */
export function renderGroups(
  ir: PolicyTableIR,
  direction: number,
  pods: readonly RenderPod[],
): RenderGroup[] {
  const dir = directionOf(ir, direction);
  const members = new Map<number, number[]>();
  for (const pod of pods) {
    const g = dir.group[pod.index]!;
    if (g === 0) continue;
    const list = members.get(g);
    if (list === undefined) members.set(g, [pod.index]);
    else list.push(pod.index);
  }
  return [...members.keys()].sort((a, b) => a - b).map((g) => renderGroup(ir, dir, g, members.get(g)!));
}

function renderGroup(ir: PolicyTableIR, dir: IRDirection, g: number, members: number[]): RenderGroup {
  const nsIndex = ir.namespace[members[0]!]!;
  const local = localEntries(ir, dir, g, nsIndex);
  const hasLocal = local.length > 0;
  const block = globalBlock(dir, g);
  let defaultRow = block.defaultRow;
  if (block.classes === undefined) defaultRow = modeRow(block.rows);
  const cells: { peerClass: number; segments: VerdictSegment[] }[] = [];
  // Rows that render alike (same segments) are one: compared by their view's id.
  const byDefault = rowView(ir, defaultRow, hasLocal);
  for (let i = 0; i < block.rows.length; i++) {
    const row = block.rows[i]!;
    if (row === defaultRow) continue;
    const v = rowView(ir, row, hasLocal);
    if (v.id !== byDefault.id)
      cells.push({ peerClass: block.classes === undefined ? i : block.classes[i]!, segments: v.segments });
  }
  return {
    id: g,
    namespace: ir.namespaces[nsIndex]!,
    namespaceIndex: nsIndex,
    members,
    defaultSegments: byDefault.segments,
    cells,
    local,
  };
}

function localEntries(
  ir: PolicyTableIR,
  dir: IRDirection,
  g: number,
  nsIndex: number,
): { localClass: number; allowed: PortSegment[] }[] {
  const classes = dir.localStart[nsIndex + 1]! - dir.localStart[nsIndex]!;
  const out: { localClass: number; allowed: PortSegment[] }[] = [];
  for (let l = 0; l < classes; l++) {
    const row = dir.localCells[dir.localBase[g]! + l]!;
    if (row === 0) continue;
    const allowed = allowedView(ir, row);
    if (allowed.length > 0) out.push({ localClass: l, allowed });
  }
  return out;
}
