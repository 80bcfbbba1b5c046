import { Lexer, parseAllDocuments } from "yaml";
import type { InputIssue } from "../model/input-error.ts";
import { quote } from "./describe-value.ts";
import { duplicateJsonKey } from "./json-keys.ts";
import { checkComposed } from "./yaml-composed.ts";

/** Deepest nesting of objects/arrays accepted in a document (Kubernetes objects stay under ~15). */
export const MAX_DEPTH: number = 100;
/** Default per-source size limit (JSON.parse reads 250 MB of `kubectl get -o json` in ~3 s). */
export const DEFAULT_MAX_BYTES: number = 256 * 1024 * 1024;
/**
 * Default size limit for a YAML source. The `yaml` parser reads about 1 MB/s, so a bigger YAML
 * file would take longer than a user waits; `kubectl get -o json` output has the full limit.
 */
export const DEFAULT_MAX_YAML_BYTES: number = 8 * 1024 * 1024;
/**
 * yaml's alias guard (uses of an anchor, times the aliases inside it) per document. kubectl takes
 * a List of a few hundred items that each `<<: *defaults`, so this is generous; the real bound on
 * what aliases expand to is `checkComposed`'s.
 */
const MAX_ALIAS_COUNT = 10_000;

/**
 * YAML 1.1 tags kubectl does not apply: timestamps and sexagesimal numbers stay strings; `!!set`,
 * `!!omap` and `!!pairs` stay plain mappings and sequences. `yaml` builds a JS `Set` or `Map` for
 * those, whose `Object.entries` is empty: `matchLabels: !!omap [app: db]` would read as `{}`, a
 * selector of every pod. Plain, they are checked like any other value.
 */
const DROPPED_TAGS: ReadonlySet<string> = new Set([
  "timestamp",
  "intTime",
  "floatTime",
  "tag:yaml.org,2002:timestamp",
  "tag:yaml.org,2002:intTIME",
  "tag:yaml.org,2002:floatTIME",
  "tag:yaml.org,2002:set",
  "tag:yaml.org,2002:omap",
  "tag:yaml.org,2002:pairs",
]);

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

/** Whether a value nests objects/arrays deeper than `MAX_DEPTH` (iterative: no recursion). */
function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(v))
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}

/** 1-based line and column of a string offset. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
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

function readJSON(text: string, file: string): ReadResult {
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
  if (tooDeep(value))
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
 * Reject YAML the parser cannot survive before parsing it: deep flow collections (`[[[[…`) make
 * `yaml` exhaust memory fatally, and long compact nestings (`- - - …`, `? ? …`) are slow. The lexer
 * is cheap and knows what is quoted or a block scalar.
 */
function yamlTooDeep(text: string): boolean {
  let flow = 0;
  let onLine = 0;
  for (const token of new Lexer().lex(text)) {
    if (token.length !== 1) continue;
    if (token === "[" || token === "{") {
      if (++flow > MAX_DEPTH) return true;
    } else if (token === "]" || token === "}") flow = Math.max(0, flow - 1);
    else if (token === "\n") onLine = 0;
    // Block indicators only: inside `{…}` / `[…]` a `:` separates a key, it does not nest, and a
    // one-line flow mapping of many keys (JSON-like YAML) is ordinary.
    else if (flow === 0 && (token === "-" || token === "?" || token === ":") && ++onLine > MAX_DEPTH)
      return true;
  }
  return false;
}

/**
 * The issue for an error `toJS` throws: a stack overflow is nesting, yaml's "Excessive alias count"
 * an alias bomb; anything else (an alias to an anchor not yet defined, `<<` of a non-mapping) is
 * a syntax error, reported with yaml's own message.
 */
function toJSIssue(e: unknown, file: string, object: string): InputIssue {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError)
    return { code: "too-deep", file, object, message: `nested deeper than ${MAX_DEPTH} levels` };
  if (/Excessive alias count/.test(msg))
    return {
      code: "too-many-aliases",
      file,
      object,
      message: `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias uses)`,
    };
  return { code: "yaml-syntax", file, object, message: msg.split("\n")[0]! };
}

function readYAML(text: string, file: string): ReadResult {
  if (yamlTooDeep(text))
    return {
      documents: [],
      issues: [{ code: "too-deep", file, message: `nested deeper than ${MAX_DEPTH} levels` }],
    };
  // YAML 1.1 as kubectl reads it (sigs.k8s.io/yaml on go-yaml v2): unquoted yes/no/on/off are
  // booleans, so `enabled: yes` as a label value is rejected like kubectl does. Timestamps stay
  // strings (go-yaml keeps them strings when decoding into interface{}).
  const docs = parseAllDocuments(text, {
    version: "1.1",
    stringKeys: true,
    uniqueKeys: false, // checked by checkComposed: yaml's own check is quadratic per mapping
    prettyErrors: true,
    logLevel: "error",
    customTags: (tags) =>
      tags.filter((t) => !DROPPED_TAGS.has(typeof t === "string" ? t : t.tag + (t.format ?? ""))),
  });
  const documents: RawDocument[] = [];
  const issues: InputIssue[] = [];
  let index = 0;
  for (const doc of docs) {
    index++;
    const object = `document ${index}`;
    if (doc.errors.length > 0) {
      // The composer records its own stack overflow (block mappings nested by indentation alone).
      if (doc.errors.some((e) => e.message.includes("Maximum call stack size exceeded"))) {
        issues.push({ code: "too-deep", file, object, message: `nested deeper than ${MAX_DEPTH} levels` });
        continue;
      }
      for (const e of doc.errors.slice(0, 5)) {
        const first = e.message.split("\n")[0]!.replace(/:$/, "");
        issues.push({ code: "yaml-syntax", file, object, message: first });
      }
      continue;
    }
    if (doc.contents === null) continue; // an empty document: `---` alone, or only comments
    const composed = checkComposed(doc.contents, text, (offset) => lineColumn(text, offset));
    if (composed !== undefined) {
      issues.push({ ...composed, file, object });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      issues.push(toJSIssue(e, file, object));
      continue;
    }
    if (value === null || value === undefined) continue; // `~` or `null` alone: nothing there
    if (tooDeep(value)) {
      issues.push({ code: "too-deep", file, object, message: `nested deeper than ${MAX_DEPTH} levels` });
      continue;
    }
    documents.push({ value, index });
  }
  return { documents, issues };
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
  return json ? readJSON(text, file) : readYAML(text, file);
}
