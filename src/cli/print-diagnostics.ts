import { type Diagnostic, formatIssue } from "../index.ts";

/** Diagnostics of one code printed one by one before the rest are summarised. */
export const SHOWN_PER_CODE = 5;

/**
 * The diagnostics as stderr lines, in their order: each code's first `SHOWN_PER_CODE` one by one,
 * then one line for the rest of that code (`… and 172 more same-priority-overlap`) — a cluster
 * with hundreds of alike findings gets a readable summary, not a wall. `all` prints every one.
 */
export function diagnosticLines(diagnostics: readonly Diagnostic[], all = false): string[] {
  const lines: string[] = [];
  const seen = new Map<string, number>();
  for (const d of diagnostics) {
    const n = (seen.get(d.code) ?? 0) + 1;
    seen.set(d.code, n);
    if (all || n <= SHOWN_PER_CODE) lines.push(`netpol: ${d.severity}: ${formatIssue(d)}\n`);
  }
  if (all) return lines;
  for (const [code, n] of [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (n > SHOWN_PER_CODE)
      lines.push(
        `netpol: ${n - SHOWN_PER_CODE} more ${code} diagnostic${n - SHOWN_PER_CODE > 1 ? "s" : ""} not shown (${n} in all; --all-diagnostics lists every one)\n`,
      );
  return lines;
}
