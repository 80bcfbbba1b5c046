import { type IRDirection, type PolicyTableIR, VARIANTS } from "../ir/policy-table-ir.ts";
import { blockRow, globalBlock, localRow } from "../ir/read-table.ts";
import { placeDense, placeSparse } from "./hash-block.ts";
import { type Cells, groupsByNamespace } from "./pack-direction.ts";
import type { ViewRows } from "./view-rows.ts";

// One direction of the hashed query view (pack-hashed.ts describes the layout): its global blocks
// as bounded-probe tables of row ids, and per namespace the same-namespace cells — folded (row
// ids of derived rows, final) or split (local row ids).

/** Pods by namespace (pack-direction.ts `podsByNamespace`). */
interface ByNamespace {
  readonly order: Int32Array;
  readonly start: Int32Array;
}

export interface HashedDirection {
  /** Per group: its block's descriptor `[slot base, mult, shift, default row]` (4 ints). */
  readonly desc: Int32Array;
  /** Per (variant × group): the group's same-namespace cells in `sn` (isolated groups). */
  readonly snRow: Int32Array;
  /** Per (variant × endpoint): a pod's same-namespace class (folded) or local class (split). */
  readonly snClass: Int32Array;
  /** Per namespace: 1 when folded, when split (else neither: no pod of it is isolated). */
  readonly nsFolded: Uint8Array;
  readonly nsSplit: Uint8Array;
}

/** Every global block as a table of (class, row) slots: O(exceptions) for a sparse IR block, O(classes) for a dense one. */
function placeBlocks(dir: IRDirection, rows: ViewRows, slots: Cells, draw: () => number): Int32Array {
  const G = dir.groupRules.length;
  const C = dir.globalClassCount;
  const desc = new Int32Array(4 * G);
  const byBase = new Map<number, number>(); // IR block → the first group using it
  for (let g = 0; g < G; g++) {
    const base = dir.globalBase[g]!;
    const seen = byBase.get(base);
    if (seen !== undefined) {
      desc.copyWithin(4 * g, 4 * seen, 4 * seen + 4);
      continue;
    }
    byBase.set(base, g);
    const b = globalBlock(dir, g);
    const ids = b.rows.map((r) => rows.id(r));
    desc.set(
      b.classes === undefined
        ? placeDense(slots, ids, C)
        : placeSparse(slots, b.classes, ids, rows.id(b.defaultRow), C, draw),
      4 * g,
    );
  }
  return desc;
}

export function hashDirection(
  ir: PolicyTableIR,
  dir: IRDirection,
  byNs: ByNamespace,
  rows: ViewRows,
  slots: Cells,
  sn: Cells,
  budget: (pods: number) => number,
  draw: () => number,
): HashedDirection {
  const E = ir.kind.length;
  const G = dir.groupRules.length;
  const N = ir.namespaces.length;
  const out: HashedDirection = {
    desc: placeBlocks(dir, rows, slots, draw),
    snRow: new Int32Array(VARIANTS * G).fill(-1),
    snClass: new Int32Array(VARIANTS * E),
    nsFolded: new Uint8Array(N),
    nsSplit: new Uint8Array(N),
  };
  const groups = groupsByNamespace(ir, dir);
  for (let ns = 0; ns < N; ns++) {
    const g0 = groups.start[ns]!;
    const g1 = groups.start[ns + 1]!;
    if (g0 === g1) continue; // no isolated pod here: same-namespace pairs read the all-allow cells
    const nsGroups = groups.order.subarray(g0, g1);
    const pods = byNs.order.subarray(byNs.start[ns]!, byNs.start[ns + 1]!);
    if (!foldNamespace(ir, dir, pods, nsGroups, rows, sn, budget(pods.length), out)) {
      splitNamespace(dir, pods, nsGroups, rows, sn, out);
      out.nsSplit[ns] = 1;
    } else out.nsFolded[ns] = 1;
  }
  return out;
}

/**
 * Fold one namespace: per distinct (global block, local block) of its groups, one derived row id
 * per same-namespace class (a distinct (global class of v, local class) of its pods, per variant).
 * False, writing nothing, when that takes more than `budget` ints.
 */
function foldNamespace(
  ir: PolicyTableIR,
  dir: IRDirection,
  pods: Int32Array,
  nsGroups: Int32Array,
  rows: ViewRows,
  sn: Cells,
  budget: number,
  out: HashedDirection,
): boolean {
  const E = ir.kind.length;
  const G = dir.groupRules.length;
  const tupleClass: number[] = []; // per tuple: its global class and a pod of it (for the local row)
  const tuplePod: number[] = [];
  const tupleStart = [0, 0, 0, 0];
  const key = new Map<number, number>();
  const classOf = new Int32Array(VARIANTS * pods.length);
  for (let v = 0; v < VARIANTS; v++) {
    tupleStart[v] = tupleClass.length;
    key.clear();
    for (let i = 0; i < pods.length; i++) {
      const e = pods[i]!;
      const gc = dir.globalClass[v * E + e]!;
      if (gc < 0) continue;
      const k = gc * (pods.length + 1) + dir.localClass[e]!;
      let t = key.get(k);
      if (t === undefined) {
        t = tupleClass.length - tupleStart[v]!;
        key.set(k, t);
        tupleClass.push(gc);
        tuplePod.push(e);
      }
      classOf[v * pods.length + i] = t;
    }
  }
  const tuples = (tupleStart[VARIANTS] = tupleClass.length);
  const blockKey = new Map<number, number>();
  const blockGroup: number[] = [];
  const blockOf = new Int32Array(nsGroups.length);
  const localWidth = dir.localCells.length + 1;
  for (let i = 0; i < nsGroups.length; i++) {
    const g = nsGroups[i]!;
    const k = dir.globalBase[g]! * localWidth + dir.localBase[g]!;
    let b = blockKey.get(k);
    if (b === undefined) blockKey.set(k, (b = blockGroup.push(g) - 1));
    blockOf[i] = b;
  }
  if (blockGroup.length * tuples > budget) return false;
  const at = sn.reserve(blockGroup.length * tuples);
  for (let b = 0; b < blockGroup.length; b++) {
    const g = blockGroup[b]!;
    for (let t = 0; t < tuples; t++)
      sn.data[at + b * tuples + t] = rows.derived(
        blockRow(dir, g, tupleClass[t]!),
        localRow(dir, g, tuplePod[t]!),
      );
  }
  for (let i = 0; i < nsGroups.length; i++)
    for (let v = 0; v < VARIANTS; v++)
      out.snRow[v * G + nsGroups[i]!] = at + blockOf[i]! * tuples + tupleStart[v]!;
  for (let v = 0; v < VARIANTS; v++)
    for (let i = 0; i < pods.length; i++) out.snClass[v * E + pods[i]!] = classOf[v * pods.length + i]!;
  return true;
}

/** A namespace over its fold budget: per distinct local block of its groups, the local row id of each local class. */
function splitNamespace(
  dir: IRDirection,
  pods: Int32Array,
  nsGroups: Int32Array,
  rows: ViewRows,
  sn: Cells,
  out: HashedDirection,
): void {
  const E = dir.localClass.length;
  const G = dir.groupRules.length;
  let width = 1;
  for (const e of pods) width = Math.max(width, dir.localClass[e]! + 1);
  const podOf = new Int32Array(width).fill(-1); // a pod of each local class
  for (const e of pods) if (dir.localClass[e]! >= 0) podOf[dir.localClass[e]!] = e;
  const blockAt = new Map<number, number>();
  for (const g of nsGroups) {
    const lb = dir.localBase[g]!;
    let at = blockAt.get(lb);
    if (at === undefined) {
      at = sn.reserve(width);
      for (let l = 0; l < width; l++)
        sn.data[at + l] = rows.id(podOf[l]! < 0 ? 0 : localRow(dir, g, podOf[l]!));
      blockAt.set(lb, at);
    }
    for (let v = 0; v < VARIANTS; v++) out.snRow[v * G + g] = at;
  }
  for (const e of pods)
    for (let v = 0; v < VARIANTS; v++) out.snClass[v * E + e] = Math.max(0, dir.localClass[e]!);
}
