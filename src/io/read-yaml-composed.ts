import { Lexer, parseAllDocuments, type ScalarTag } from "yaml";
import type { InputIssue } from "../model/input-error.ts";
import { lineColumn, MAX_DEPTH, type RawDocument, type ReadResult, walkBounded } from "./read-limits.ts";
import { FLOAT_TEST, INT_TEST, resolveFloat, resolveInt } from "./yaml-11-schema.ts";
import { checkComposed } from "./yaml-composed.ts";

// The exact YAML reader: the `yaml` parser's document tree, checked before it is turned into
// values. About 1 MB/s, so read-yaml.ts uses it only to explain a small source the fast reader
// refused (its messages, positions and leniencies are the ones this project has always given).

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
const NUMBER_TAG_NAMES: ReadonlySet<string> = new Set(["tag:yaml.org,2002:int", "tag:yaml.org,2002:float"]);
const NUMBER_TAGS: ScalarTag[] = [
  {
    tag: "tag:yaml.org,2002:int",
    default: true,
    test: INT_TEST,
    resolve: (source: string) => resolveInt(source) ?? source,
    identify: (v: unknown) => Number.isInteger(v),
  },
  {
    tag: "tag:yaml.org,2002:float",
    default: true,
    test: FLOAT_TEST,
    resolve: (source: string) => resolveFloat(source) ?? source,
    identify: (v: unknown) => typeof v === "number",
  },
];

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

/** Read YAML with the `yaml` parser (see the file comment). */
export function readYamlComposed(text: string, file: string): ReadResult {
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
    customTags: (tags) => [
      // Ints and floats resolved as the fast reader resolves them (yaml-11-schema.ts): the two
      // readers must agree (`0o17` is 15, `5e83990000` a string, in both).
      ...NUMBER_TAGS,
      ...tags.filter(
        (t) =>
          typeof t === "string" ||
          (!DROPPED_TAGS.has(t.tag + (t.format ?? "")) &&
            !DROPPED_TAGS.has(t.tag) &&
            !NUMBER_TAG_NAMES.has(t.tag)),
      ),
    ],
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
    if (walkBounded(value, Number.POSITIVE_INFINITY) === "too-deep") {
      issues.push({ code: "too-deep", file, object, message: `nested deeper than ${MAX_DEPTH} levels` });
      continue;
    }
    documents.push({ value, index });
  }
  return { documents, issues };
}
