// The render view: what a rendering backend needs from the IR, in the terms a datapath uses —
// subjects (groups) and their member pods, address → peer-class maps as non-overlapping intervals,
// and per (group, peer class) the folded verdict as port segments. Read through `read-table.ts`
// only (docs/architecture.md "IR v3"); sizes follow the IR (groups, classes, cells, members),
// never pod pairs.
import type { Family, Protocol } from "../model/types.ts";
import { type IRDirection, KIND_POD, type PolicyTableIR, V_ALLOW, V_OPEN } from "./policy-table-ir.ts";
import { directionOf, globalBlock, outcomeVerdict } from "./read-table.ts";

export {
  type AddressInterval,
  localIntervals,
  localIntervalsByNamespace,
  nodeIntervals,
  peerIntervals,
  sharedAddresses,
} from "./read-addresses.ts";
export type { Family, Protocol };

/** What a cell says for a port segment: allow, deny, or `local` — the same-namespace local row decides (else deny). */
export type RenderVerdict = "allow" | "deny" | "local";

/** Inclusive ports of one protocol. */
export interface PortSegment {
  readonly protocol: Protocol;
  readonly first: number;
  readonly last: number;
}

export interface VerdictSegment extends PortSegment {
  readonly verdict: RenderVerdict;
}

/** A port row as segments in protocol and port order, adjacent equal verdicts merged; covers every port of every protocol. */
export function rowSegments(ir: PolicyTableIR, row: number, hasLocal: boolean): VerdictSegment[] {
  const code = (o: number): RenderVerdict | undefined => {
    const v = outcomeVerdict(ir, o);
    return v === V_ALLOW ? "allow" : v === V_OPEN && hasLocal ? "local" : "deny";
  };
  return segmentsOf(ir, row, code);
}

/** The ports a local row allows, merged. */
export function rowAllowed(ir: PolicyTableIR, row: number): PortSegment[] {
  return segmentsOf(ir, row, (o) => (outcomeVerdict(ir, o) === V_ALLOW ? "allow" : undefined)).map(
    ({ protocol, first, last }) => ({ protocol, first, last }),
  );
}

const PROTOCOL_ORDER: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

/** Per port class: its protocol, first and last port (computed once per IR). */
interface ClassPorts {
  readonly protocol: Protocol[];
  readonly first: Int32Array;
  readonly last: Int32Array;
}
const classPortsCache = new WeakMap<PolicyTableIR, ClassPorts>();

function classPorts(ir: PolicyTableIR): ClassPorts {
  let c = classPortsCache.get(ir);
  if (c !== undefined) return c;
  const K = ir.portClassCount;
  c = { protocol: new Array<Protocol>(K), first: new Int32Array(K), last: new Int32Array(K) };
  for (const protocol of PROTOCOL_ORDER) {
    const off = ir.portClassOffset[protocol];
    const starts = ir.portClassStarts[protocol];
    starts.forEach((start, i) => {
      c!.protocol[off + i] = protocol;
      c!.first[off + i] = start;
      c!.last[off + i] = i + 1 < starts.length ? starts[i + 1]! - 1 : 65535;
    });
  }
  classPortsCache.set(ir, c);
  return c;
}

/** Row `row` as merged segments of the verdict `code` gives each outcome (undefined: left out). */
function segmentsOf(
  ir: PolicyTableIR,
  row: number,
  code: (o: number) => RenderVerdict | undefined,
): VerdictSegment[] {
  const cp = classPorts(ir);
  const out: { protocol: Protocol; first: number; last: number; verdict: RenderVerdict }[] = [];
  const a = ir.rowStart[row]!;
  const b = ir.rowStart[row + 1]!;
  for (let i = a; i < b; i++) {
    const verdict = code(ir.runOutcome[i]!);
    if (verdict === undefined) continue;
    const end = i + 1 < b ? ir.runClass[i + 1]! : ir.portClassCount;
    for (let k = ir.runClass[i]!; k < end; k++) {
      const prev = out[out.length - 1];
      const protocol = cp.protocol[k]!;
      if (
        prev !== undefined &&
        prev.protocol === protocol &&
        prev.verdict === verdict &&
        prev.last + 1 === cp.first[k]
      )
        prev.last = cp.last[k]!;
      else out.push({ protocol, first: cp.first[k]!, last: cp.last[k]!, verdict });
    }
  }
  return out;
}

/** One subject group of a direction, as a backend renders it. */
export interface RenderGroup {
  /** The IR's group id (≥ 1), stable for a given table. */
  readonly id: number;
  /** The namespace of its members (a group never spans namespaces). */
  readonly namespace: string;
  /** Member pods (endpoint indices of selectable pods with at least one address), ascending. */
  readonly members: readonly number[];
  /** Segments for every peer class not listed in `cells`. */
  readonly defaultSegments: readonly VerdictSegment[];
  /** Peer classes whose segments differ from the default, ascending. */
  readonly cells: readonly { readonly peerClass: number; readonly segments: readonly VerdictSegment[] }[];
  /** Same-namespace local classes with the ports they allow (only non-empty ones), ascending. */
  readonly local: readonly { readonly localClass: number; readonly allowed: readonly PortSegment[] }[];
}

/** A selectable pod a backend may render: its name and addresses. */
export interface RenderPod {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly node: string | undefined;
  readonly v4: readonly string[];
  readonly v6: readonly string[];
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
      node: n >= 0 ? ir.nodes[n] : undefined,
      v4: addrs.filter((a) => !a.includes(":")),
      v6: addrs.filter((a) => a.includes(":")),
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
  const cache = new Map<number, VerdictSegment[]>();
  const segs = (row: number): VerdictSegment[] => {
    let s = cache.get(row);
    if (s === undefined) cache.set(row, (s = rowSegments(ir, row, hasLocal)));
    return s;
  };
  // Rows that render alike (same segments) are one: compare a key computed once per row.
  const keys = new Map<number, string>();
  const keyOf = (row: number): string => {
    let k = keys.get(row);
    if (k === undefined) keys.set(row, (k = JSON.stringify(segs(row))));
    return k;
  };
  const defaultSegments = segs(defaultRow);
  const key = keyOf(defaultRow);
  block.rows.forEach((row, i) => {
    if (row === defaultRow || keyOf(row) === key) return;
    cells.push({ peerClass: block.classes === undefined ? i : block.classes[i]!, segments: segs(row) });
  });
  return { id: g, namespace: ir.namespaces[nsIndex]!, members, defaultSegments, cells, local };
}

/** The most frequent row of a dense block (ties: the smallest id). */
function modeRow(rows: Int32Array): number {
  const count = new Map<number, number>();
  let best = rows[0] ?? 0;
  let bestCount = 0;
  for (const r of rows) {
    const c = (count.get(r) ?? 0) + 1;
    count.set(r, c);
    if (c > bestCount || (c === bestCount && r < best)) {
      best = r;
      bestCount = c;
    }
  }
  return best;
}

function localEntries(
  ir: PolicyTableIR,
  dir: IRDirection,
  g: number,
  nsIndex: number,
): { localClass: number; allowed: PortSegment[] }[] {
  const classes = dir.localStart[nsIndex + 1]! - dir.localStart[nsIndex]!;
  const out: { localClass: number; allowed: PortSegment[] }[] = [];
  const memo = new Map<number, PortSegment[]>();
  for (let l = 0; l < classes; l++) {
    const row = dir.localCells[dir.localBase[g]! + l]!;
    if (row === 0) continue;
    let allowed = memo.get(row);
    if (allowed === undefined) memo.set(row, (allowed = rowAllowed(ir, row)));
    if (allowed.length > 0) out.push({ localClass: l, allowed });
  }
  return out;
}

/**
 * One direction in its shared form — what a datapath renders when groups are many: distinct
 * global blocks (class → row, default row elsewhere) and distinct rows (port segments) are
 * listed once and groups point at them, as the IR does. Output built from it grows with groups +
 * distinct blocks' cells + distinct rows, never groups × classes.
 */
export interface RenderDirection {
  /** Groups of the subjects (group 0, the unselected, is left out), ascending ids. */
  readonly groups: readonly {
    readonly id: number;
    readonly namespace: string;
    readonly members: readonly number[];
    /** Index into `blocks`. */
    readonly block: number;
    /** Index into `localBlocks`, −1 when no same-namespace rule allows anything (then `local` means deny). */
    readonly localBlock: number;
  }[];
  /** Distinct blocks: `rows[cell.row]` for the listed classes, `rows[defaultRow]` for every other. */
  readonly blocks: readonly {
    readonly defaultRow: number;
    readonly cells: readonly { readonly peerClass: number; readonly row: number }[];
  }[];
  /** Distinct rows, each covering every port of every protocol; `local`: the group's local block decides. */
  readonly rows: readonly (readonly VerdictSegment[])[];
  /** Distinct local blocks: local class → `localRows` index (only classes that allow something). */
  readonly localBlocks: readonly {
    readonly entries: readonly { readonly localClass: number; readonly row: number }[];
  }[];
  /** Distinct local rows: the ports they allow. */
  readonly localRows: readonly (readonly PortSegment[])[];
}

/** Values interned by a string key, in first-seen order. */
class Interner<T> {
  readonly values: T[] = [];
  readonly #ids = new Map<string, number>();
  id(key: string, make: () => T): number {
    let i = this.#ids.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(make());
      this.#ids.set(key, i);
    }
    return i;
  }
}

export function renderDirection(
  ir: PolicyTableIR,
  direction: number,
  pods: readonly RenderPod[],
): RenderDirection {
  const dir = directionOf(ir, direction);
  const members = new Map<number, number[]>();
  for (const pod of pods) {
    const g = dir.group[pod.index]!;
    if (g === 0) continue;
    const list = members.get(g);
    if (list === undefined) members.set(g, [pod.index]);
    else list.push(pod.index);
  }
  const rows = new Interner<VerdictSegment[]>();
  const rowOf = new Int32Array(ir.rowStart.length - 1).fill(-1); // IR row → render row
  const row = (r: number): number => {
    let id = rowOf[r]!;
    if (id < 0) {
      const segments = rowSegments(ir, r, true);
      rowOf[r] = id = rows.id(JSON.stringify(segments), () => segments);
    }
    return id;
  };
  const localRows = new Interner<PortSegment[]>();
  const localRowOf = new Map<number, number>();
  const blocks = new Interner<RenderDirection["blocks"][number]>();
  const localBlocks = new Interner<RenderDirection["localBlocks"][number]>();
  const blockOf = new Map<number, number>(); // IR globalBase → block (groups sharing an IR block)
  const groups = [...members.keys()]
    .sort((a, b) => a - b)
    .map((g) => {
      const m = members.get(g)!;
      const nsIndex = ir.namespace[m[0]!]!;
      let block = blockOf.get(dir.globalBase[g]!);
      if (block === undefined) {
        const b = globalBlock(dir, g);
        const ids = new Int32Array(b.rows.length);
        for (let i = 0; i < ids.length; i++) ids[i] = row(b.rows[i]!);
        const defaultRow = b.classes === undefined ? modeRow(ids) : row(b.defaultRow);
        const cells: { peerClass: number; row: number }[] = [];
        let key = `${defaultRow}|`;
        for (let i = 0; i < ids.length; i++) {
          if (ids[i] === defaultRow) continue;
          const peerClass = b.classes === undefined ? i : b.classes[i]!;
          cells.push({ peerClass, row: ids[i]! });
          key += `${peerClass}:${ids[i]},`;
        }
        block = blocks.id(key, () => ({ defaultRow, cells }));
        blockOf.set(dir.globalBase[g]!, block);
      }
      const entries: { localClass: number; row: number }[] = [];
      const classes = dir.localStart[nsIndex + 1]! - dir.localStart[nsIndex]!;
      for (let l = 0; l < classes; l++) {
        const r = dir.localCells[dir.localBase[g]! + l]!;
        if (r === 0) continue;
        let id = localRowOf.get(r);
        if (id === undefined) {
          const allowed = rowAllowed(ir, r);
          id = allowed.length === 0 ? -1 : localRows.id(JSON.stringify(allowed), () => allowed);
          localRowOf.set(r, id);
        }
        if (id >= 0) entries.push({ localClass: l, row: id });
      }
      const localBlock =
        entries.length === 0
          ? -1
          : localBlocks.id(entries.map((e) => `${e.localClass}:${e.row}`).join(","), () => ({ entries }));
      return { id: g, namespace: ir.namespaces[nsIndex]!, members: m, block, localBlock };
    });
  return {
    groups,
    blocks: blocks.values,
    rows: rows.values,
    localBlocks: localBlocks.values,
    localRows: localRows.values,
  };
}
