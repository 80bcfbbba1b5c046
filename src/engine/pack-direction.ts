import { type IRDirection, KIND_POD, type PolicyTableIR, VARIANTS } from "../ir/policy-table-ir.ts";
import { blockRow } from "../ir/read-table.ts";

// One direction of the query's packed view (pack-table.ts describes the layout): its cells as
// port-class masks and, per namespace, the folded same-namespace blocks.

/** Growable Int32 buffer. */
export class Cells {
  data: Int32Array = new Int32Array(1024);
  length: number = 0;
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.data.length) {
      let size = this.data.length * 2;
      while (size < at + n) size *= 2;
      const next = new Int32Array(size);
      next.set(this.data.subarray(0, at));
      this.data = next;
    }
    this.length = at + n;
    return at;
  }
}

/** Append IR cells (port-row ids) as masks; returns the offset of the first. */
export function appendMasks(out: Cells, cells: Int32Array, masks: Int32Array, words: number): number {
  const at = out.reserve(cells.length * words);
  const d = out.data;
  for (let c = 0; c < cells.length; c++)
    for (let w = 0; w < words; w++) d[at + c * words + w] = masks[cells[c]! * words + w]!;
  return at;
}

/** Where a direction's masks went in the cells (offsets): the global blocks' allow and open masks, the local rows' allow masks. */
export interface DirectionAt {
  readonly globalAt: number;
  /** Where the open masks of the global cells went (same layout as `globalAt`). */
  readonly openAt: number;
  readonly localAt: number;
}

/** Per direction: where its rows went and, per endpoint and variant, its same-namespace class and row. */
export interface PackedDirection extends DirectionAt {
  /** Per group: its global block's offset in the dense cells (sparse blocks expanded). */
  readonly globalBase: Int32Array;
  /** Per (variant × endpoint): same-namespace class (scaled), for pods of folded namespaces. */
  readonly snClass: Int32Array;
  /** Per (variant × group): folded block offset, −1 when the group's namespace is split. */
  readonly snRow: Int32Array;
  /** Per namespace: 1 when folded, when split (else neither: no pod of it is isolated). */
  readonly nsFolded: Uint8Array;
  readonly nsSplit: Uint8Array;
}

/** Per group: its global block's offset among the dense cells, sparse block s expanded at `D + s·C` after the `D` dense ones. */
export function denseBase(dir: IRDirection): Int32Array {
  if (dir.sparseDefault.length === 0) return dir.globalBase;
  const C = dir.globalClassCount;
  const D = dir.globalCells.length;
  return dir.globalBase.map((b) => (b >= 0 ? b : D + (-1 - b) * C));
}

/** The direction's global blocks all dense (`denseBase`): sparse ones expanded (through the reader) after the dense cells. */
export function denseGlobal(dir: IRDirection): { cells: Int32Array; base: Int32Array } {
  const base = denseBase(dir);
  const S = dir.sparseDefault.length;
  if (S === 0) return { cells: dir.globalCells, base };
  const C = dir.globalClassCount;
  const D = dir.globalCells.length;
  const cells = new Int32Array(D + S * C);
  cells.set(dir.globalCells);
  const done = new Uint8Array(S);
  for (let g = 0; g < base.length; g++) {
    const b = dir.globalBase[g]!;
    if (b >= 0 || done[-1 - b] === 1) continue;
    done[-1 - b] = 1;
    for (let c = 0; c < C; c++) cells[base[g]! + c] = blockRow(dir, g, c);
  }
  return { cells, base };
}

/** Pods by namespace: `order[start[ns] … start[ns + 1])` are the pod endpoints of namespace ns. */
export function podsByNamespace(ir: PolicyTableIR): { order: Int32Array; start: Int32Array } {
  const N = ir.namespaces.length;
  const start = new Int32Array(N + 1);
  const E = ir.kind.length;
  for (let e = 0; e < E; e++) if (ir.kind[e] === KIND_POD) start[ir.namespace[e]! + 1]!++;
  for (let n = 0; n < N; n++) start[n + 1]! += start[n]!;
  const fill = start.slice(0, N);
  const order = new Int32Array(start[N]!);
  for (let e = 0; e < E; e++) if (ir.kind[e] === KIND_POD) order[fill[ir.namespace[e]!]!++] = e;
  return { order, start };
}

/** Groups but 0 by namespace: `order[start[ns] … start[ns + 1])` (every member of a group is in its policies' namespace). */
export function groupsByNamespace(
  ir: PolicyTableIR,
  dir: IRDirection,
): { order: Int32Array; start: Int32Array } {
  const E = ir.kind.length;
  const G = dir.groupRules.length;
  const groupNs = new Int32Array(G).fill(-1);
  for (let e = 0; e < E; e++)
    if (ir.kind[e] === KIND_POD && dir.group[e] !== 0) groupNs[dir.group[e]!] = ir.namespace[e]!;
  const N = ir.namespaces.length;
  const start = new Int32Array(N + 1);
  for (let g = 1; g < G; g++) if (groupNs[g]! >= 0) start[groupNs[g]! + 1]!++;
  for (let n = 0; n < N; n++) start[n + 1]! += start[n]!;
  const fill = start.slice(0, N);
  const order = new Int32Array(start[N]!);
  for (let g = 1; g < G; g++) if (groupNs[g]! >= 0) order[fill[groupNs[g]!]!++] = g;
  return { order, start };
}

/** Port rows as masks of what they allow, and of what they leave open to a same-namespace local rule. */
export interface RowMasks {
  readonly allow: Int32Array;
  readonly open: Int32Array;
}

export function packDirection(
  ir: PolicyTableIR,
  dir: IRDirection,
  byNs: { order: Int32Array; start: Int32Array },
  masks: RowMasks,
  words: number,
  out: Cells,
  budget: (pods: number) => number,
): PackedDirection {
  const E = ir.kind.length;
  const G = dir.groupRules.length;
  const dense = denseGlobal(dir);
  const at: DirectionAt = {
    globalAt: appendMasks(out, dense.cells, masks.allow, words),
    openAt: appendMasks(out, dense.cells, masks.open, words),
    localAt: appendMasks(out, dir.localCells, masks.allow, words),
  };
  const snClass = new Int32Array(VARIANTS * E);
  const snRow = new Int32Array(VARIANTS * G).fill(-1);
  const N = ir.namespaces.length;
  const nsFolded = new Uint8Array(N);
  const nsSplit = new Uint8Array(N);
  const groups = groupsByNamespace(ir, dir);
  const folder = new NamespaceFolder(ir, dir, at, dense.base, words, out, budget);
  for (let ns = 0; ns < N; ns++) {
    const folded = folder.fold(byNs, groups, ns, snClass, snRow);
    if (folded === FOLDED) nsFolded[ns] = 1;
    else if (folded === SPLIT) nsSplit[ns] = 1;
  }
  return { ...at, globalBase: dense.base, snClass, snRow, nsFolded, nsSplit };
}

/** `NamespaceFolder.fold`: no pod of the namespace is isolated (its same-namespace rows are all-allow), folded, split. */
export const NOT_ISOLATED = 0;
export const FOLDED = 1;
export const SPLIT = 2;

/**
 * Folds namespaces of one direction into `out`, whose cells already hold the direction's masks at
 * `at`: per distinct (global row, local row) of the namespace's groups, a block with, per variant,
 * a cell per distinct (global class of v, local class) of its pods — or leaves it split when the
 * blocks would pass the budget. Reused across namespaces (its scratch), and by a namespace folded
 * anew (pack-refold.ts).
 */
export class NamespaceFolder {
  private readonly tupleKey = new Map<number, number>();
  private readonly blockKey = new Map<number, number>();
  /** Per variant: flat (globalClass, localClass) pairs of the namespace. */
  private readonly tuples: number[] = [];
  private readonly tupleStart = [0, 0, 0, 0];
  /** Group → its distinct (global row, local row) index in the namespace. */
  private readonly blockOf: Int32Array;
  /** Flat (globalBase, localBase) per distinct block. */
  private readonly blockRows: number[] = [];

  constructor(
    private readonly ir: PolicyTableIR,
    private readonly dir: IRDirection,
    private readonly at: DirectionAt,
    private readonly base: Int32Array,
    private readonly words: number,
    private readonly out: Cells,
    private readonly budget: (pods: number) => number,
  ) {
    this.blockOf = new Int32Array(dir.groupRules.length);
  }

  /** Fold namespace `ns` (its pods and groups by namespace); sets `snClass` of its pods and `snRow` of its groups when folded. */
  fold(
    byNs: { order: Int32Array; start: Int32Array },
    groups: { order: Int32Array; start: Int32Array },
    ns: number,
    snClass: Int32Array,
    snRow: Int32Array,
  ): number {
    const { ir, dir, words, tuples, tupleStart, tupleKey, blockKey, blockRows, blockOf } = this;
    const E = ir.kind.length;
    const G = dir.groupRules.length;
    const p0 = byNs.start[ns]!;
    const p1 = byNs.start[ns + 1]!;
    const g0 = groups.start[ns]!;
    const g1 = groups.start[ns + 1]!;
    if (g0 === g1) return NOT_ISOLATED;
    // Distinct (global class of v, local class) per variant among the namespace's pods.
    tuples.length = 0;
    for (let v = 0; v < VARIANTS; v++) {
      tupleStart[v] = tuples.length / 2;
      tupleKey.clear();
      for (let i = p0; i < p1; i++) {
        const e = byNs.order[i]!;
        const gc = dir.globalClass[v * E + e]!;
        if (gc < 0) continue;
        const lc = dir.localClass[e]!;
        const key = gc * (p1 - p0 + 1) + lc;
        let t = tupleKey.get(key);
        if (t === undefined) {
          t = tuples.length / 2 - tupleStart[v]!;
          tupleKey.set(key, t);
          tuples.push(gc, lc);
        }
        snClass[v * E + e] = t * words;
      }
    }
    tupleStart[VARIANTS] = tuples.length / 2;
    blockKey.clear();
    blockRows.length = 0;
    const localWidth = dir.localCells.length + 1;
    for (let i = g0; i < g1; i++) {
      const g = groups.order[i]!;
      const key = this.base[g]! * localWidth + dir.localBase[g]!;
      let b = blockKey.get(key);
      if (b === undefined) {
        b = blockRows.length / 2;
        blockKey.set(key, b);
        blockRows.push(this.base[g]!, dir.localBase[g]!);
      }
      blockOf[g] = b;
    }
    const blocks = blockRows.length / 2;
    const perBlock = tupleStart[VARIANTS]! * words;
    if (blocks * perBlock > this.budget(p1 - p0) * words) return SPLIT;
    const at = this.out.reserve(blocks * perBlock);
    const d = this.out.data;
    const { globalAt, openAt, localAt } = this.at;
    for (let b = 0; b < blocks; b++) {
      const gb = blockRows[2 * b]!;
      const lb = blockRows[2 * b + 1]!;
      for (let t = 0; t < tupleStart[VARIANTS]!; t++) {
        const gCell = (gb + tuples[2 * t]!) * words;
        const lCell = localAt + (lb + tuples[2 * t + 1]!) * words;
        // An admin verdict is final: allow | (open & local), not global | local.
        for (let w = 0; w < words; w++)
          d[at + b * perBlock + t * words + w] =
            d[globalAt + gCell + w]! | (d[openAt + gCell + w]! & d[lCell + w]!);
      }
    }
    for (let i = g0; i < g1; i++) {
      const g = groups.order[i]!;
      for (let v = 0; v < VARIANTS; v++)
        snRow[v * G + g] = at + blockOf[g]! * perBlock + tupleStart[v]! * words;
    }
    return FOLDED;
  }
}
