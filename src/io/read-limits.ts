import type { InputIssue } from "../model/input-error.ts";

// What every reader of a source shares: the limits, the result types, positions in a text, and the
// bounded walk over a parsed value.

/** Deepest nesting of objects/arrays accepted in a document (Kubernetes objects stay under ~15). */
export const MAX_DEPTH: number = 100;
/** Default per-source size limit (JSON.parse reads 250 MB of `kubectl get -o json` in ~3 s). */
export const DEFAULT_MAX_BYTES: number = 256 * 1024 * 1024;
/**
 * Default size limit for a YAML source: the JSON one. The fast reader (js-yaml, read-yaml.ts)
 * reads a 40 MB `kubectl get -A -o yaml` dump of 10 000 pods in a few seconds; `maxYamlBytes`
 * lowers it for callers that want YAML smaller than JSON.
 */
export const DEFAULT_MAX_YAML_BYTES: number = DEFAULT_MAX_BYTES;

/** Nodes a source may amount to once aliases are expanded: more than its text could spell out. */
export const maxNodes = (text: string): number => Math.max(1_000_000, 2 * text.length);

/** One parsed document of a source: its value and 1-based position in the source. */
export interface RawDocument {
  readonly value: unknown;
  readonly index: number;
}

/** What a source holds: its documents, or the issues that stopped them being read. */
export interface ReadResult {
  readonly documents: readonly RawDocument[];
  readonly issues: readonly InputIssue[];
}

/** Limits for `readDocuments` (bytes of UTF-8). */
export interface ReadLimits {
  readonly maxBytes: number;
  readonly maxYamlBytes: number;
}

/** 1-based line and column of a string offset. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * Walk a parsed value, iteratively, counting every value on the way (an object shared by several
 * aliases once per use, as every later reader visits it): `too-deep` past `MAX_DEPTH` levels,
 * `too-many-aliases` once `budget` values are spent; else the values left of the budget.
 */
export function walkBounded(value: unknown, budget: number): number | "too-deep" | "too-many-aliases" {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  let left = budget - 1;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > MAX_DEPTH) return "too-deep";
    const children = Array.isArray(v) ? v : Object.values(v);
    left -= children.length;
    if (left < 0) return "too-many-aliases";
    for (const child of children)
      if (child !== null && typeof child === "object") {
        values.push(child);
        depths.push(depth + 1);
      }
  }
  return left;
}
