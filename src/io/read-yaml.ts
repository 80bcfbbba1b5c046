import { loadAll, YAMLException } from "js-yaml";
import type { InputIssue } from "../model/input-error.ts";
import { MAX_DEPTH, maxNodes, type RawDocument, type ReadResult, walkBounded } from "./read-limits.ts";
import { readYamlComposed } from "./read-yaml-composed.ts";
import { YAML_11_SCHEMA } from "./yaml-11-schema.ts";

/**
 * Sources up to this many characters that the fast reader refuses are read again by the exact one
 * (`yaml`, ~1 MB/s: a quarter of a second, ~1 s for hostile input), for its messages and its leniencies (an unknown local
 * tag such as `!foo bar` is the string `bar` there, an error for js-yaml). Bigger ones get the
 * fast reader's own message, with its line and column.
 */
export const EXACT_RETRY_MAX_CHARS: number = 256 * 1024;

/**
 * Most documents one YAML source may hold. Each costs the parser a few microseconds even empty,
 * so 2 000 000 `---` lines (8 MB) took 5–30 s; a kubectl dump is one document, a rendered chart a
 * few thousand. Counted as lines starting with `---` before parsing (an upper bound).
 */
export const MAX_DOCUMENTS: number = 100_000;

/**
 * Whether the text has more than `limit` lines starting with `---` (a document start, or a `----`
 * line) or `...` (a document end: documents separated by `...` alone need no `---`).
 */
function tooManyDocuments(text: string, limit: number): boolean {
  let n = text.startsWith("---") || text.startsWith("...") ? 1 : 0;
  for (const marker of ["\n---", "\n..."])
    for (let i = text.indexOf(marker); i !== -1; i = text.indexOf(marker, i + 4))
      if (++n > limit) return true;
  return n > limit;
}

/**
 * The 1-based document an offset falls in: the `---` lines before it (an upper bound, as above),
 * the first one not counted when only blank and comment lines come before it. An error found at
 * a `---` line (the document before it ended badly) belongs to the one before.
 */
function documentAt(text: string, offset: number): number {
  const content = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/.exec(text)![0].length;
  let n = text.startsWith("---", content) ? 0 : 1;
  if (text.startsWith("---") && 0 < offset) n++;
  for (let i = text.indexOf("\n---"); i !== -1 && i + 1 < offset; i = text.indexOf("\n---", i + 4)) n++;
  return Math.max(n, 1);
}

const tooDeep = (object?: string): Omit<InputIssue, "file"> => ({
  code: "too-deep",
  ...(object === undefined ? {} : { object }),
  message: `nested deeper than ${MAX_DEPTH} levels`,
});
const aliasBomb = (limit: number, object?: string): Omit<InputIssue, "file"> => ({
  code: "too-many-aliases",
  ...(object === undefined ? {} : { object }),
  message: `YAML aliases expand to more than ${limit} values (an alias bomb?)`,
});

/** The issue for what js-yaml threw, in the words the exact reader uses where they mean the same. */
function fastIssue(e: unknown, limit: number): Omit<InputIssue, "file"> {
  if (e instanceof RangeError) return tooDeep(); // a stack overflow: nesting
  if (!(e instanceof YAMLException)) return { code: "yaml-syntax", message: String(e) };
  const at = e.mark === undefined ? "" : ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}`;
  if (e.reason.startsWith("nesting exceeded maxDepth")) return tooDeep();
  if (e.reason.startsWith("merge keys exceeded")) return aliasBomb(limit);
  if (e.reason === "duplicated mapping key")
    return { code: "yaml-syntax", message: `Map keys must be unique${at}` };
  return { code: "yaml-syntax", message: `${e.reason}${at}` };
}

/**
 * Read a (multi-document) YAML source as kubectl reads it: YAML 1.1 scalars (yes/no/on/off are
 * booleans, timestamps strings), a key repeated in one mapping an error, nesting bounded, and
 * aliases bounded by what their expansion amounts to. js-yaml builds the values (10× faster than
 * `yaml`); an alias is the same object at every use, so the expansion is measured on the result
 * (`walkBounded`, one budget for the whole source) and `<<` merges by js-yaml's merge-key limit.
 * What js-yaml refuses in a small source is read again by `readYamlComposed`.
 */
export function readYaml(text: string, file: string): ReadResult {
  if (tooManyDocuments(text, MAX_DOCUMENTS))
    return {
      documents: [],
      issues: [
        {
          code: "too-many-documents",
          file,
          message: `more than ${MAX_DOCUMENTS} YAML documents in one source`,
        },
      ],
    };
  const limit = maxNodes(text);
  let values: unknown[];
  try {
    values = loadAll(text, { schema: YAML_11_SCHEMA, maxDepth: MAX_DEPTH + 1, maxTotalMergeKeys: limit });
  } catch (e) {
    if (text.length <= EXACT_RETRY_MAX_CHARS) return readYamlComposed(text, file);
    const at = e instanceof YAMLException ? e.mark?.position : undefined;
    const object = at === undefined ? {} : { object: `document ${documentAt(text, at)}` };
    return { documents: [], issues: [{ ...fastIssue(e, limit), ...object, file }] };
  }
  const documents: RawDocument[] = [];
  const issues: InputIssue[] = [];
  let budget = limit;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue; // empty, `~` or `null` alone: nothing there
    const object = `document ${i + 1}`;
    const walked = walkBounded(value, budget);
    if (walked === "too-deep") issues.push({ ...tooDeep(object), file });
    else if (walked === "too-many-aliases") {
      issues.push({ ...aliasBomb(limit, object), file });
      break; // the budget is the source's: later documents cannot be measured
    } else {
      budget = walked;
      documents.push({ value, index: i + 1 });
    }
  }
  return { documents, issues };
}
