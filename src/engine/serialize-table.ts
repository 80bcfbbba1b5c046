import { IR_VERSION, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import { InputError } from "../model/input-error.ts";
import { PolicyTable } from "./policy-table.ts";
import { validateTable } from "./validate-table.ts";

/**
 * Canonical JSON of a compiled IR (typed arrays as plain arrays, keys in a fixed order): the same
 * cluster in any input order gives byte-identical text. `deserializeTable` reads it back.
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

// The typed-array fields of the IR and of each direction, with their element types.
const TOP = {
  kind: Uint8Array,
  namespace: Int32Array,
  primaryVariant: Uint8Array,
  variantMask: Uint8Array,
  node: Int32Array,
  rowStart: Int32Array,
  runClass: Int32Array,
  runOutcome: Int32Array,
  outcomes: Int32Array,
} as const;
const DIRECTION = {
  group: Int32Array,
  groupIsolated: Uint8Array,
  globalBase: Int32Array,
  localBase: Int32Array,
  globalClass: Int32Array,
  joinClass: Int32Array,
  localClass: Int32Array,
  globalCells: Int32Array,
  peerClassStart: Int32Array,
  peerClasses: Int32Array,
  localStart: Int32Array,
  localClassPeerStart: Int32Array,
  localClassPeers: Int32Array,
  sparseDefault: Int32Array,
  sparseStart: Int32Array,
  sparseClass: Int32Array,
  sparseRow: Int32Array,
  localCells: Int32Array,
} as const;

const bad = (message: string, path?: string): InputError =>
  new InputError([
    path === undefined ? { code: "invalid-table", message } : { code: "invalid-table", path, message },
  ]);

function typed(
  holder: Record<string, unknown>,
  fields: Record<string, Uint8ArrayConstructor | Int32ArrayConstructor>,
  at: string,
): void {
  for (const [field, Ctor] of Object.entries(fields)) {
    const value = holder[field];
    if (!Array.isArray(value) || !value.every((x) => Number.isInteger(x)))
      throw bad("expected an array of integers", `${at}${field}`);
    holder[field] = Ctor.from(value as number[]);
  }
}

/**
 * Read a table written by `serializeTable` back into a `PolicyTable` that answers exactly as the
 * original (its compile-time diagnostics are not part of the IR). Throws `InputError`
 * (`invalid-table`, with the field's path) for text that is not such a table, has another
 * `IR_VERSION`, or is inconsistent (a length or an index that does not fit: `validateTable`).
 *
 * @example
 * const copy = deserializeTable(serializeTable(table));
 * copy.decide(flow).verdict === table.decide(flow).verdict; // true
 */
export function deserializeTable(text: string): PolicyTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw bad("expected a JSON object");
  const ir = raw as Record<string, unknown>;
  if (ir.version !== IR_VERSION)
    throw bad(
      `IR version ${JSON.stringify(ir.version)} is not ${IR_VERSION}, the version this build reads`,
      "version",
    );
  typed(ir, TOP, "");
  for (const d of ["egress", "ingress"]) {
    const dir = ir[d];
    if (dir === null || typeof dir !== "object") throw bad("expected an object", d);
    typed(dir as Record<string, unknown>, DIRECTION, `${d}.`);
  }
  validateTable(ir as unknown as PolicyTableIR);
  return new PolicyTable(ir as unknown as PolicyTableIR);
}
