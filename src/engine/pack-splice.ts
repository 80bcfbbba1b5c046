// The query's view spliced (incremental updates, docs/decisions.md #65): an endpoint's 16-int
// records inserted or taken out of every region, the cells untouched. Both views have records of
// that shape, derived from the endpoint's own fields and its groups' (pack-table.ts,
// pack-hashed.ts `writeRecords`), so a twin's record is the new endpoint's.
import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import { checkRecordLimits } from "./pack-regions.ts";
import type { PackedTable } from "./pack-table.ts";

/** The view with new records (the hashed view's parts hold the same records). */
const withRecords = (packed: PackedTable, records: Int32Array, variantBase: Int32Array): PackedTable => ({
  ...packed,
  records,
  variantBase,
  hashed: packed.hashed === undefined ? undefined : { ...packed.hashed, records, variantBase },
});

/**
 * `packed` (records of `E` endpoints per region) with endpoint `twin`'s records inserted at `at` in
 * every region, for `ir` (whose endpoint count is checked as packing it would).
 */
export function insertRecord(
  ir: PolicyTableIR,
  packed: PackedTable,
  E: number,
  at: number,
  twin: number,
): PackedTable {
  checkRecordLimits(ir);
  const stride = E * 16;
  const regions = packed.records.length / stride;
  const next = new Int32Array(regions * (E + 1) * 16);
  for (let r = 0; r < regions; r++) {
    const from = r * stride;
    const to = r * (E + 1) * 16;
    next.set(packed.records.subarray(from, from + at * 16), to);
    next.set(packed.records.subarray(from + twin * 16, from + twin * 16 + 16), to + at * 16);
    next.set(packed.records.subarray(from + at * 16, from + stride), to + at * 16 + 16);
  }
  const variantBase = packed.variantBase.map((b) => (b / stride) * (E + 1) * 16);
  return withRecords(packed, next, variantBase);
}

/** `packed` (records of `E` endpoints per region) without endpoint `at`'s records. */
export function removeRecord(packed: PackedTable, E: number, at: number): PackedTable {
  const stride = E * 16;
  const regions = packed.records.length / stride;
  const next = new Int32Array(regions * (E - 1) * 16);
  for (let r = 0; r < regions; r++) {
    const from = r * stride;
    const to = r * (E - 1) * 16;
    next.set(packed.records.subarray(from, from + at * 16), to);
    next.set(packed.records.subarray(from + at * 16 + 16, from + stride), to + at * 16);
  }
  const variantBase = packed.variantBase.map((b) => (b / stride) * (E - 1) * 16);
  return withRecords(packed, next, variantBase);
}
