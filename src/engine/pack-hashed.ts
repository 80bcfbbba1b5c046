import { KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import { multipliers, reserveEmptySlots } from "./hash-block.ts";
import { Cells, podsByNamespace } from "./pack-direction.ts";
import { type HashedDirection, hashDirection } from "./pack-hashed-direction.ts";
import { recordRegions, writeRegions } from "./pack-regions.ts";
import { ViewRows } from "./view-rows.ts";

/**
 * The hashed query view, for tables whose packed cells would pass `PACK_LIMIT` (pack-table.ts;
 * docs/hostile-case.md, "Proposal"): O(1) per direction, in memory that follows the IR's sparse
 * blocks and runs instead of groups × classes × port-class words.
 *
 * * **Rows** (view-rows.ts, row-windows.ts): every port row as a windowed (allow, open) mask.
 * * **Blocks** (hash-block.ts): each distinct global block a table of (class, row id) slot pairs
 *   in `slots`; a block's descriptor `[slot base, mult, shift, default row]` is copied into the
 *   records of its subjects, so that the lookup — `slots[base + 2 · (imul(class, mult) >>> shift)]`
 *   and the three pairs after it — waits for no other load.
 * * **Same namespace** (`sn`): folded namespaces hold one derived row id per (block, same-namespace
 *   class), `allow | (open & local)` already taken; split ones (over `FOLD_BUDGET`) the local row
 *   ids, and their pairs take `splitQuery`. Offset 0: an all-allow block (subjects nothing
 *   selects; and a pair of two namespaces reads `sn[0]` and discards it).
 *
 * Records: 16 ints per endpoint, in the packed view's regions (pack-regions.ts), read by
 * hashed-query.ts (offsets written there as literals: keep the two in step):
 *
 * | offset | field |
 * |---|---|
 * | 0 | head word (pack-regions.ts `headWord`; bit 6: a split namespace) |
 * | 1 | namespace + 1 (0 for addresses) |
 * | 2-5, 6-9 | egress, ingress as subject: its block's descriptor (the all-allow one when nothing selects it) |
 * | 10, 11 | egress, ingress as a peer: global class of the region's variant |
 * | 12, 14 | egress, ingress as subject: its same-namespace cells in `sn` |
 * | 13, 15 | egress, ingress as a peer: its same-namespace class (folded) or local class (split) |
 */
export interface HashedParts {
  readonly records: Int32Array;
  readonly variantBase: Int32Array;
  readonly slots: Int32Array;
  /** The rows: per row its window's first word and word count, then interleaved (allow, open) words (row-windows.ts). */
  readonly words: Int32Array;
  readonly sn: Int32Array;
  readonly folded: number;
  readonly split: number;
  /** Rows in the view (the IR's, the all-allow row, the derived ones). */
  readonly rows: number;
}

export function packHashed(ir: PolicyTableIR, budget: (pods: number) => number): HashedParts {
  const E = ir.kind.length;
  const rows = new ViewRows(ir);
  const slots = new Cells();
  reserveEmptySlots(slots);
  const byNs = podsByNamespace(ir);
  let maxPods = 1;
  for (let n = 0; n < ir.namespaces.length; n++)
    maxPods = Math.max(maxPods, byNs.start[n + 1]! - byNs.start[n]!);
  const sn = new Cells();
  sn.data.fill(rows.allowRow, sn.reserve(maxPods + 1), maxPods + 1);
  const draw = multipliers();
  const dirs = [ir.egress, ir.ingress];
  const hashed = dirs.map((d) => hashDirection(ir, d, byNs, rows, slots, sn, budget, draw));
  const { variantBase, regionVariant } = recordRegions(ir);
  const records = new Int32Array(regionVariant.length * E * 16);
  for (let e = 0; e < E; e++) writeRecords(ir, e, hashed, rows.allowRow, regionVariant, records);
  const count = (flags: (p: HashedDirection) => Uint8Array): number =>
    hashed.reduce((n, p) => n + flags(p).reduce((k, x) => k + x, 0), 0);
  return {
    records,
    variantBase,
    slots: slots.data.slice(0, slots.length),
    words: rows.windows.words.data.slice(0, rows.windows.words.length),
    sn: sn.data.slice(0, sn.length),
    folded: count((p) => p.nsFolded),
    split: count((p) => p.nsSplit),
    rows: rows.windows.count,
  };
}

/** Endpoint `e`'s record in every region. */
function writeRecords(
  ir: PolicyTableIR,
  e: number,
  hashed: readonly HashedDirection[],
  allowRow: number,
  regionVariant: readonly number[],
  records: Int32Array,
): void {
  const E = ir.kind.length;
  const pod = ir.kind[e] === KIND_POD;
  const dirs = [ir.egress, ir.ingress];
  writeRegions(ir, e, hashed, regionVariant, records, (r, v) => {
    for (let di = 0; di < 2; di++) {
      const dir = dirs[di]!;
      const h = hashed[di]!;
      const g = dir.group[e]!;
      const isolated = pod && g !== 0; // some policy of some tier selects it
      if (isolated) records.set(h.desc.subarray(4 * g, 4 * g + 4), r + 2 + 4 * di);
      else records.set([0, 0, 0, allowRow], r + 2 + 4 * di); // no slot matches: the all-allow row
      records[r + 10 + di] = Math.max(0, dir.globalClass[v * E + e]!);
      records[r + 12 + 2 * di] = isolated ? h.snRow[v * dir.groupRules.length + g]! : 0;
      records[r + 13 + 2 * di] = pod ? h.snClass[v * E + e]! : 0;
    }
  });
}
