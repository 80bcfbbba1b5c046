// The render view in its shared form (`renderDirection`): distinct blocks and rows listed once,
// groups pointing at them, as the IR does — what a datapath renders when groups are many.
import type { PolicyTableIR } from "./policy-table-ir.ts";
import {
  allowedView,
  modeRow,
  type PortSegment,
  type RenderPod,
  rowView,
  type VerdictSegment,
} from "./read-render-rows.ts";
import { directionOf, globalBlock } from "./read-table.ts";

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
    /** Its index in `ir.namespaces`. */
    readonly namespaceIndex: number;
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
  // Members per group id (ids are dense, so an array indexed by them; ascending ids for free).
  const members: (number[] | undefined)[] = new Array(dir.groupPolicies.length);
  for (const pod of pods) {
    const g = dir.group[pod.index]!;
    if (g === 0) continue;
    const list = members[g];
    if (list === undefined) members[g] = [pod.index];
    else list.push(pod.index);
  }
  const rows = new Interner<VerdictSegment[]>();
  const rowOf = new Int32Array(ir.rowStart.length - 1).fill(-1); // IR row → render row
  const row = (r: number): number => {
    let id = rowOf[r]!;
    if (id < 0) {
      const v = rowView(ir, r, true);
      rowOf[r] = id = rows.id(v.key, () => v.segments);
    }
    return id;
  };
  const localRows = new Interner<PortSegment[]>();
  const localRowOf = new Map<number, number>();
  const blocks = new Interner<RenderDirection["blocks"][number]>();
  const localBlocks = new Interner<RenderDirection["localBlocks"][number]>();
  const blockOf = new Map<number, number>(); // IR globalBase → block (groups sharing an IR block)
  const groups: RenderDirection["groups"][number][] = [];
  members.forEach((m, g) => {
    if (m === undefined) return;
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
        const allowed = allowedView(ir, r);
        id = allowed.length === 0 ? -1 : localRows.id(JSON.stringify(allowed), () => allowed);
        localRowOf.set(r, id);
      }
      if (id >= 0) entries.push({ localClass: l, row: id });
    }
    let localBlock = -1;
    if (entries.length > 0) {
      let key = "";
      for (const e of entries) key += `${e.localClass}:${e.row},`;
      localBlock = localBlocks.id(key, () => ({ entries }));
    }
    groups.push({
      id: g,
      namespace: ir.namespaces[nsIndex]!,
      namespaceIndex: nsIndex,
      members: m,
      block,
      localBlock,
    });
  });
  return {
    groups,
    blocks: blocks.values,
    rows: rows.values,
    localBlocks: localBlocks.values,
    localRows: localRows.values,
  };
}
