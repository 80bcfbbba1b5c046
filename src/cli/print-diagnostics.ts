import { type Diagnostic, formatIssueShort, type InputIssue, MAX_ISSUE_PART } from "../index.ts";

/** Objects named on a summary line before the rest are counted. */
export const SHOWN_PER_CODE = 3;
/** Errors printed before the rest are counted: about a screenful. */
export const SHOWN_ERRORS = 20;
/** Longest part (file, object, path, message) of a printed issue before it is cut with `…`. */
export const MAX_PART: number = MAX_ISSUE_PART;

const cut = (text: string, max = MAX_PART): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

export { formatIssueShort };

/**
 * The errors as stderr lines: the first `SHOWN_ERRORS`, each cut (`formatIssueShort`), then
 * `netpol: … and N more errors`. `all` prints every one.
 */
export function errorLines(issues: readonly InputIssue[], all = false): string[] {
  const shown = all ? issues : issues.slice(0, SHOWN_ERRORS);
  const lines = shown.map((i) => `netpol: error: ${formatIssueShort(i)}\n`);
  const more = issues.length - shown.length;
  if (more > 0)
    lines.push(`netpol: … and ${more} more error${more > 1 ? "s" : ""} (--verbose lists every one)\n`);
  return lines;
}

/** What a summary line names a diagnostic by: its object, else its file. */
const nameOf = (d: Diagnostic): string => cut(d.object ?? d.file ?? "?", 80);

/**
 * The diagnostics as stderr lines, in their order: one line per (severity, code), where it first
 * appears — a single diagnostic as `formatIssue` prints it, several as a count, the first one's
 * message and the first `SHOWN_PER_CODE` objects:
 * `netpol: info: missing-namespace ×312: namespace "a" has no Namespace object (a, b, c, … and 309 more)`.
 * `all` (`--verbose`) prints every one as a line of its own.
 */
export function diagnosticLines(diagnostics: readonly Diagnostic[], all = false): string[] {
  if (all) return diagnostics.map((d) => `netpol: ${d.severity}: ${formatIssueShort(d)}\n`);
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = `${d.severity} ${d.code}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [d]);
    else group.push(d);
  }
  const lines: string[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    if (group.length === 1) {
      lines.push(`netpol: ${first.severity}: ${formatIssueShort(first)}\n`);
      continue;
    }
    const names = group.slice(0, SHOWN_PER_CODE).map(nameOf);
    const rest = group.length - names.length;
    const list = rest > 0 ? `${names.join(", ")}, … and ${rest} more` : names.join(", ");
    lines.push(
      `netpol: ${first.severity}: ${first.code} ×${group.length}: ${cut(first.message)} (${list})\n`,
    );
  }
  if (groups.size < diagnostics.length) lines.push("netpol: (--verbose lists every diagnostic)\n");
  return lines;
}
