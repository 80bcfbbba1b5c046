import { KIND_POD, type PolicyTableIR, V_ALLOW, V_OPEN } from "../ir/policy-table-ir.ts";
import { rowVerdictMasks } from "../ir/read-table.ts";
import {
  Cells,
  type DirectionAt,
  type PackedDirection,
  packDirection,
  podsByNamespace,
} from "./pack-direction.ts";
import { type HashedParts, packHashed } from "./pack-hashed.ts";
import { checkRecordLimits, recordRegions, writeRegions } from "./pack-regions.ts";

/**
 * The query's view of the IR, derived once when a `PolicyTable` is built and never stored: 16-int
 * records and one array of cells as port-class bitmasks, so that a decision reads two records and
 * one cell per direction — no port-row read, no separate local
 * lookup for a same-namespace pair (docs/architecture.md, "The query").
 *
 * Records come in regions of E: region 0 holds endpoint e at `e · 16` with the fields of its own
 * primary variant (the query's fast path, for flows whose endpoints share a primary family).
 * `mixedQuery` reads variant v's records at `variantBase[v] + e · 16`: region 0 itself when every
 * endpoint with an address of v has v as its primary (always for v = 2, and for the cluster's
 * family in a single-stack cluster), else a region of its own. Offsets are written as literals in
 * `PolicyTable`; keep the two in step.
 *
 * | offset | field |
 * |---|---|
 * | 0 | head: bit 0 selectable pod; bits 1-2 primary variant; bits 3-5 variant mask; bit 6 its namespace is split (either direction); bit 7 no address of its primary variant; bit 8 the self rule applies (a Pod, not a workload template); bits 9+ node key — the endpoint's node (`ir.node`: a pod's, a hostNetwork pod's, a node address's), else one of two keys that never match |
 * | 1 | namespace + 1 (0 for addresses) |
 * | 4, 6 | egress, ingress as subject: its group's global row (the all-allow block when not isolated) |
 * | 5, 7 | egress, ingress as subject: its folded same-namespace row, or in a split namespace its local row (all-allow when not isolated) |
 * | 8, 10 | egress, ingress as a peer: global class of the region's variant |
 * | 9, 11 | egress, ingress as a peer: same-namespace class, or in a split namespace local class |
 * | 12, 14 | egress, ingress as subject: its group's global row of *open* masks (split namespaces only read it) |
 *
 * Rows and classes are offsets into `cells`, scaled by `words` (the 32-bit words a port row takes:
 * ⌈portClassCount / 32⌉), so that `(cells[row + class + (portIndex >>> 5)] >>> portIndex) & 1` is a
 * cell's answer. Offset +1 of a row/class pair (5/9 for 4/8, 7/11 for 6/10) is its same-namespace
 * counterpart: the query adds 0 or 1.
 *
 * Same namespace. The IR answers a same-namespace pair with the global cell's allow, or its open
 * (NetworkPolicy-isolated, nothing decided) AND the local cell's allow. For a
 * *folded* namespace the two are merged here: per direction, each distinct (global row, local row)
 * of the namespace's groups gets a block with, per variant, one cell per distinct (global class of
 * v, local class) of the namespace's pods — the peer's same-namespace class. A namespace whose
 * blocks would exceed `FOLD_BUDGET(pods)` ints stays *split*: fields 5/9 and 7/11 are the local row
 * and class, head bit 6 is set, and its same-namespace pairs take `splitQuery`, which reads the
 * three cells.
 */
export interface PackedTable {
  readonly records: Int32Array;
  /** Per variant: the offset of its region in `records` (0: region 0 serves it). */
  readonly variantBase: Int32Array;
  readonly words: number;
  readonly cells: Int32Array;
  /** Namespaces folded (one cell for same-namespace pairs) and split, counted once per direction. */
  readonly folded: number;
  readonly split: number;
  /** `LAYOUT_PACKED`, or `LAYOUT_HASHED` when `packedSize` passes the limit: then `records` are the hashed view's and `cells` is empty. */
  readonly layout: number;
  /** The hashed view's slots, rows and same-namespace cells (`LAYOUT_HASHED` only). */
  readonly hashed: HashedParts | undefined;
  /** What folding a namespace anew reads (`LAYOUT_PACKED` only; pack-refold.ts). */
  readonly fold?: PackedFold;
}

/** The packed view's layout as a namespace folded anew needs it. */
export interface PackedFold {
  /** Per direction: where its masks are in `cells`. */
  readonly at: readonly DirectionAt[];
  /** Per direction and namespace: folded, split. */
  readonly nsFolded: readonly Uint8Array[];
  readonly nsSplit: readonly Uint8Array[];
  /** The all-allow block's offset. */
  readonly allowAt: number;
  readonly budget: (pods: number) => number;
  /** Ints appended by namespaces folded anew (about as many of their old blocks are read no more). */
  readonly refolded: number;
}

/** Folded blocks of one namespace may take this many ints (per word of a port row) before it stays split. */
export const FOLD_BUDGET = (pods: number): number => Math.max(4096, 64 * pods);

export { MAX_ENDPOINTS } from "./pack-regions.ts";

/** How to pack (tests force the split layout with `foldBudget: () => 0`, the hashed view with `packLimit: 0`). */
export interface PackOptions {
  /** Ints (per word of a port row) a namespace's folded blocks may take, given its pod count. */
  readonly foldBudget?: (pods: number) => number;
  /** Ints the packed cells may take (default `PACK_LIMIT`); above it the table takes the hashed view. 0 forces it. */
  readonly packLimit?: number;
}

/** Ints the packed cells may take before the table takes the hashed view (pack-hashed.ts). */
export const PACK_LIMIT: number = 1 << 24;

/** `PackedTable.layout`: bitmask cells (this file), or the hashed view (pack-hashed.ts). */
export const LAYOUT_PACKED = 0;
export const LAYOUT_HASHED = 1;

/** The ints the packed cells would take at least: every global block dense, twice (allow, open), and the local rows, in port-row words. */
export function packedSize(ir: PolicyTableIR): number {
  const words = Math.max(1, Math.ceil(ir.portClassCount / 32));
  let n = 0;
  for (const dir of [ir.egress, ir.ingress])
    n +=
      (2 * (dir.globalCells.length + dir.sparseDefault.length * dir.globalClassCount) +
        dir.localCells.length) *
      words;
  return n;
}

/** The query's view of `ir`: packed where `packedSize` fits the limit, else hashed; the answers never depend on it. */
export function packTable(ir: PolicyTableIR, options: PackOptions = {}): PackedTable {
  const budget = options.foldBudget ?? FOLD_BUDGET;
  checkRecordLimits(ir);
  const limit = options.packLimit ?? PACK_LIMIT;
  if (limit <= 0 || packedSize(ir) > limit) {
    const h = packHashed(ir, budget);
    const { records, variantBase, folded, split } = h;
    return {
      records,
      variantBase,
      words: 0,
      cells: new Int32Array(0),
      folded,
      split,
      layout: LAYOUT_HASHED,
      hashed: h,
    };
  }
  const E = ir.kind.length;
  const words = Math.max(1, Math.ceil(ir.portClassCount / 32));
  const masks = { allow: rowVerdictMasks(ir, V_ALLOW, words), open: rowVerdictMasks(ir, V_OPEN, words) };
  const eg = ir.egress;
  const ig = ir.ingress;
  const byNs = podsByNamespace(ir);
  // The all-allow block, wide enough for any class offset a query adds to it.
  let maxLocal = 0;
  for (let e = 0; e < E; e++) maxLocal = Math.max(maxLocal, eg.localClass[e]!, ig.localClass[e]!);
  let maxPods = 0;
  for (let n = 0; n < ir.namespaces.length; n++)
    maxPods = Math.max(maxPods, byNs.start[n + 1]! - byNs.start[n]!);
  const width = (Math.max(eg.globalClassCount, ig.globalClassCount, maxLocal + 1, maxPods) + 1) * words;
  const out = new Cells();
  const ALLOW = out.reserve(width);
  out.data.fill(-1, ALLOW, ALLOW + width);
  const dirs = [eg, ig];
  const packed = dirs.map((d) => packDirection(ir, d, byNs, masks, words, out, budget));
  const cells = out.data.slice(0, out.length);

  const { variantBase, regionVariant } = recordRegions(ir);
  const records = new Int32Array(regionVariant.length * E * 16);
  for (let e = 0; e < E; e++) writeRecord(ir, e, packed, regionVariant, records, words, ALLOW);
  const count = (flags: (p: PackedDirection) => Uint8Array): number =>
    packed.reduce((n, p) => n + flags(p).reduce((k, x) => k + x, 0), 0);
  return {
    records,
    variantBase,
    words,
    cells,
    folded: count((p) => p.nsFolded),
    split: count((p) => p.nsSplit),
    layout: LAYOUT_PACKED,
    hashed: undefined,
    fold: {
      at: packed.map((p) => ({ globalAt: p.globalAt, openAt: p.openAt, localAt: p.localAt })),
      nsFolded: packed.map((p) => p.nsFolded),
      nsSplit: packed.map((p) => p.nsSplit),
      allowAt: ALLOW,
      budget,
      refolded: 0,
    },
  };
}

/**
 * Endpoint `e`'s record in every region of the packed view, from its directions as packed (only
 * the endpoint's own entries of `snClass`, its groups' of `snRow` and its namespace's flags are read).
 */
export function writeRecord(
  ir: PolicyTableIR,
  e: number,
  packed: readonly PackedDirection[],
  regionVariant: readonly number[],
  records: Int32Array,
  words: number,
  ALLOW: number,
): void {
  const E = ir.kind.length;
  const dirs = [ir.egress, ir.ingress];
  const pod = ir.kind[e] === KIND_POD;
  const ns = ir.namespace[e]!;
  const scaled = (x: number): number => (x < 0 ? 0 : x * words);
  writeRegions(ir, e, packed, regionVariant, records, (r, v) => {
    for (let di = 0; di < 2; di++) {
      const dir = dirs[di]!;
      const p = packed[di]!;
      const g = dir.group[e]!;
      const isolated = pod && g !== 0; // some policy of some tier selects it
      const fold = isolated ? p.snRow[v * dir.groupRules.length + g]! : -1;
      records[r + 4 + 2 * di] = isolated ? p.globalAt + p.globalBase[g]! * words : ALLOW;
      records[r + 12 + 2 * di] = isolated ? p.openAt + p.globalBase[g]! * words : ALLOW;
      records[r + 5 + 2 * di] = !isolated ? ALLOW : fold >= 0 ? fold : p.localAt + dir.localBase[g]! * words;
      records[r + 8 + 2 * di] = scaled(dir.globalClass[v * E + e]!);
      // As a peer in its own namespace: the folded class when the namespace is folded in this
      // direction, else the local class (a split namespace, or one where no pod is isolated).
      records[r + 9 + 2 * di] = !pod
        ? 0
        : p.nsFolded[ns] === 1
          ? p.snClass[v * E + e]!
          : scaled(dir.localClass[e]!);
    }
  });
}
