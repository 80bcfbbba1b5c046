import { KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";

/**
 * The query's view of the IR, derived once when a `PolicyTable` is built and never stored: one
 * 16-int (64-byte) record per endpoint and the cells as port-class bitmasks, so that a decision
 * reads two records and at most four mask words — no indirection through `alias`, no port-row read.
 *
 * Record fields (offsets are written as literals in `PolicyTable`'s query; keep the two in step):
 *
 * | offset | field |
 * |---|---|
 * | 0 | identity: the endpoint it behaves as (`alias`) — a hostNetwork pod carries its node's record |
 * | 1 | flags: bit 0 selectable pod; bits 1-2 primary variant; bits 3-5 variant mask |
 * | 2 | namespace (−1 for addresses) |
 * | 3 | its node's endpoint (−1 when unknown) |
 * | 4, 5 | egress as subject: mask offset of its group's global row (−1 when not isolated or not a pod), of its local row |
 * | 6, 7 | ingress as subject: the same |
 * | 8, 9 | as a peer: egress local class, ingress local class (mask offsets) |
 * | 10-12 | as a peer: egress global class per variant (mask offsets) |
 * | 13-15 | as a peer: ingress global class per variant (mask offsets) |
 *
 * Mask offsets are scaled by `words` (the 32-bit words a port row takes: ⌈portClassCount / 32⌉),
 * so that `(mask[base + class + (portIndex >>> 5)] >>> (portIndex & 31)) & 1` is a cell's answer.
 */
export interface PackedTable {
  readonly records: Int32Array;
  readonly words: number;
  readonly egressGlobal: Int32Array;
  readonly egressLocal: Int32Array;
  readonly ingressGlobal: Int32Array;
  readonly ingressLocal: Int32Array;
}

/** Each port row as `words` 32-bit masks: bit k set ⇔ the row allows port class k. */
function rowMasks(ir: PolicyTableIR, words: number): Int32Array {
  const K = ir.portClassCount;
  const rows = ir.portRows.length / K;
  const out = new Int32Array(rows * words);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < K; k++)
      if (ir.portRows[r * K + k] !== 0) out[r * words + (k >>> 5)]! |= 1 << (k & 31);
  return out;
}

/** Cells (port-row ids) → the rows' masks, `words` ints per cell. */
function maskCells(cells: Int32Array, masks: Int32Array, words: number): Int32Array {
  const out = new Int32Array(cells.length * words);
  if (words === 1) for (let c = 0; c < cells.length; c++) out[c] = masks[cells[c]!]!;
  else
    for (let c = 0; c < cells.length; c++)
      out.set(masks.subarray(cells[c]! * words, (cells[c]! + 1) * words), c * words);
  return out;
}

export function packTable(ir: PolicyTableIR): PackedTable {
  const E = ir.kind.length;
  const words = Math.max(1, Math.ceil(ir.portClassCount / 32));
  const masks = rowMasks(ir, words);
  const eg = ir.egress;
  const ig = ir.ingress;
  const records = new Int32Array(E * 16);
  const scaled = (x: number): number => (x < 0 ? x : x * words);
  for (let e = 0; e < E; e++) {
    const a = ir.alias[e]!; // a hostNetwork pod is its node's address: copy that record
    const r = e * 16;
    const pod = ir.kind[a] === KIND_POD;
    records[r] = a;
    records[r + 1] = (pod ? 1 : 0) | (ir.primaryVariant[a]! << 1) | (ir.variantMask[a]! << 3);
    records[r + 2] = ir.namespace[a]!;
    records[r + 3] = ir.nodeEndpoint[a]!;
    const ge = eg.group[a]!;
    const gi = ig.group[a]!;
    records[r + 4] = ge === 0 || !pod ? -1 : eg.globalBase[ge]! * words;
    records[r + 5] = eg.localBase[ge]! * words;
    records[r + 6] = gi === 0 || !pod ? -1 : ig.globalBase[gi]! * words;
    records[r + 7] = ig.localBase[gi]! * words;
    records[r + 8] = scaled(eg.localClass[a]!);
    records[r + 9] = scaled(ig.localClass[a]!);
    for (let v = 0; v < 3; v++) {
      records[r + 10 + v] = scaled(eg.globalClass[v * E + a]!);
      records[r + 13 + v] = scaled(ig.globalClass[v * E + a]!);
    }
  }
  return {
    records,
    words,
    egressGlobal: maskCells(eg.globalCells, masks, words),
    egressLocal: maskCells(eg.localCells, masks, words),
    ingressGlobal: maskCells(ig.globalCells, masks, words),
    ingressLocal: maskCells(ig.localCells, masks, words),
  };
}
