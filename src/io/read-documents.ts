import { quote } from "./describe-value.ts";
import { duplicateJsonKey } from "./json-keys.ts";
import {
  lineColumn,
  MAX_DEPTH,
  maxNodes,
  type ReadLimits,
  type ReadResult,
  walkBounded,
} from "./read-limits.ts";
import { readYaml } from "./read-yaml.ts";

export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_YAML_BYTES,
  MAX_DEPTH,
  type RawDocument,
  type ReadLimits,
  type ReadResult,
} from "./read-limits.ts";

/** UTF-8 length of a string, without allocating (stops counting once past `limit`). */
function utf8Length(text: string, limit: number): number {
  if (text.length * 3 <= limit) return text.length; // cannot exceed: skip the count
  let n = 0;
  for (let i = 0; i < text.length && n <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Where `JSON.parse(text)` fails: the offset V8 reports, else found by bisecting prefixes. */
function jsonErrorOffset(text: string, message: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  // A prefix that ends before the bad token fails only "at its end" (or parses); one that
  // includes it fails before its end. Bisect for the shortest prefix that fails early.
  const failsEarly = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return false;
    } catch (e) {
      const msg = e instanceof Error ? e.message : "";
      if (/end of JSON input|Unterminated string/.test(msg)) return false;
      const at = /at position (\d+)/.exec(msg);
      return at === null || Number(at[1]) < n;
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsEarly(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/**
 * Whether JSON text nests arrays/objects deeper than `MAX_DEPTH`, scanned before `JSON.parse`
 * builds anything: `[[[[…` of 100 MB took JSON.parse 33 s and 5 GB before the depth check on
 * the value could refuse it. Brackets inside strings do not count.
 */
function jsonTooDeep(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote, past escapes
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function readJSON(text: string, file: string): ReadResult {
  if (jsonTooDeep(text))
    return {
      documents: [],
      issues: [{ code: "too-deep", file, message: `nested deeper than ${MAX_DEPTH} levels` }],
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8's messages quote the input; keep the reason and the position only.
    const msg = e instanceof Error ? e.message : "unreadable";
    const where = lineColumn(text, jsonErrorOffset(text, msg));
    const reason = msg.split(/, "|, \.\.\.|\n| in JSON| at position/)[0]!;
    return {
      documents: [],
      issues: [{ code: "invalid-json", file, message: `invalid JSON at ${where}: ${reason}` }],
    };
  }
  if (walkBounded(value, maxNodes(text)) === "too-deep")
    return {
      documents: [],
      issues: [{ code: "too-deep", file, message: `nested deeper than ${MAX_DEPTH} levels` }],
    };
  const dup = duplicateJsonKey(text);
  if (dup !== undefined) {
    const message = `invalid JSON at ${lineColumn(text, dup.offset)}: duplicate key ${quote(dup.key)} in one object`;
    return { documents: [], issues: [{ code: "invalid-json", file, message }] };
  }
  return { documents: [{ value, index: 1 }], issues: [] };
}

/**
 * Split one source into parsed documents. JSON when the trimmed text starts with `{` or `[`,
 * else (multi-document) YAML; size and depth are checked before anything is built.
 *
 * @example
 * readDocuments("a.yaml", "kind: Pod\n---\nkind: Namespace\n", limits).documents.length // 2
 */
export function readDocuments(file: string, text: string, limits: ReadLimits): ReadResult {
  // A byte-order mark (Windows editors write one) is not content; JSON.parse rejects it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  const json = trimmed.startsWith("{") || trimmed.startsWith("[");
  const limit = json ? limits.maxBytes : Math.min(limits.maxBytes, limits.maxYamlBytes);
  if (utf8Length(text, limit) > limit) {
    const hint =
      json || limit === limits.maxBytes ? "" : " (YAML limit; JSON from `kubectl get -o json` may be larger)";
    return {
      documents: [],
      issues: [{ code: "too-large", file, message: `source is larger than ${limit} bytes${hint}` }],
    };
  }
  return json ? readJSON(text, file) : readYaml(text, file);
}
