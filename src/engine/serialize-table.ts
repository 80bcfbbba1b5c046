import type { PolicyTableIR } from "../ir/policy-table-ir.ts";

/**
 * Canonical JSON of a compiled IR (typed arrays as plain arrays, keys in a fixed order): the same
 * cluster in any input order gives byte-identical text.
 *
 * @example
 * serializeTable(compile(cluster)) === serializeTable(compile(shuffled(cluster))) // true
 */
export function serializeTable(table: { readonly ir: PolicyTableIR } | PolicyTableIR): string {
  const ir = "ir" in table ? table.ir : table;
  return JSON.stringify(ir, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
    return value;
  });
}
