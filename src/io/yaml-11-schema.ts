import {
  binaryTag,
  boolYaml11Tag,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  mapTag,
  mergeTag,
  NOT_RESOLVED,
  nullYaml11Tag,
  Schema,
  seqTag,
  strTag,
} from "js-yaml";

// YAML 1.1 scalars as kubectl reads them (sigs.k8s.io/yaml on go-yaml v2) and as the `yaml`
// parser's 1.1 schema with timestamps and sexagesimal numbers left out (read-documents.ts) reads
// them. js-yaml's own YAML11_SCHEMA differs: it reads `190:20:30` as a number, `2024-01-01` as a
// Date and `1e3` as a string; so ints and floats are spelled out here, with `yaml`'s patterns.

// Ints as go-yaml v2 resolves them: underscores dropped, then Go's ParseInt with base 0 — so the
// 0b/0o/0x prefixes in either case and a leading 0 for octal (`0o17`, `017` and `0x0F` are 15).
const INT: readonly (readonly [RegExp, number, number])[] = [
  [/^[-+]?0[bB][0-1_]+$/, 2, 2],
  [/^[-+]?0[oO][0-7_]+$/, 2, 8],
  [/^[-+]?0[0-7_]+$/, 1, 8],
  [/^[-+]?[0-9][0-9_]*$/, 0, 10],
  [/^[-+]?0[xX][0-9a-fA-F_]+$/, 2, 16],
];

/** A plain scalar that could be an int (the union of `INT`, for the `yaml` reader's tag test). */
export const INT_TEST: RegExp = /^[-+]?(?:0[bB][0-1_]+|0[oO][0-7_]+|[0-9][0-9_]*|0[xX][0-9a-fA-F_]+)$/;

/** The int a plain scalar is, as kubectl reads it; `undefined` when it is not one. */
export function resolveInt(source: string): number | undefined {
  for (const [pattern, prefix, radix] of INT) {
    if (!pattern.test(source)) continue;
    const sign = source[0] === "-" || source[0] === "+" ? 1 : 0;
    const n = Number.parseInt(source.slice(sign + prefix).replace(/_/g, ""), radix);
    if (Number.isNaN(n)) return undefined;
    return source[0] === "-" ? -n : n;
  }
  return undefined;
}

const intTag = defineScalarTag<number>("tag:yaml.org,2002:int", {
  implicit: true,
  implicitFirstChars: ["-", "+", ..."0123456789"],
  resolve: (source) => resolveInt(source) ?? NOT_RESOLVED,
  identify: (v) => Number.isInteger(v),
});

const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$|^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
/** A plain scalar that could be a float (for the `yaml` reader's tag test). */
export const FLOAT_TEST: RegExp = new RegExp(`${FLOAT_SPECIAL.source}|${FLOAT.source}`);

/** The float a plain scalar is, as kubectl reads it; `undefined` when it is not one. */
export function resolveFloat(source: string): number | undefined {
  if (FLOAT_SPECIAL.test(source)) {
    if (source.endsWith("n") || source.endsWith("N")) return Number.NaN;
    return source[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!FLOAT.test(source)) return undefined;
  const n = Number.parseFloat(source.replace(/_/g, ""));
  // `.` alone, and a number out of range (a pod-template-hash `5e83990000`), are strings, as
  // go-yaml reads them (its ParseFloat fails); `yaml` read NaN and Infinity.
  return Number.isFinite(n) ? n : undefined;
}

const floatTag = defineScalarTag<number>("tag:yaml.org,2002:float", {
  implicit: true,
  implicitFirstChars: ["-", "+", ".", ..."0123456789"],
  resolve: (source) => resolveFloat(source) ?? NOT_RESOLVED,
  identify: (v) => typeof v === "number",
});

/**
 * The schema of the fast YAML reader. Explicit `!!timestamp` stays a string; `!!set`, `!!omap` and
 * `!!pairs` stay the plain mapping or sequence they are written as (a JS `Set` would read as no
 * labels at all: `matchLabels: !!set {…}` as a selector of every pod).
 */
export const YAML_11_SCHEMA: Schema = new Schema([
  strTag,
  seqTag,
  mapTag,
  nullYaml11Tag,
  boolYaml11Tag,
  intTag,
  floatTag,
  mergeTag,
  binaryTag,
  defineScalarTag("tag:yaml.org,2002:timestamp", { ...strTag, implicit: false }),
  defineMappingTag("tag:yaml.org,2002:set", mapTag),
  defineSequenceTag("tag:yaml.org,2002:omap", seqTag),
  defineSequenceTag("tag:yaml.org,2002:pairs", seqTag),
]);
