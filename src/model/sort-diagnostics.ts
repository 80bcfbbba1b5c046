import type { Diagnostic } from "./types.ts";

/**
 * Diagnostics in canonical order (object, path, code, message, file), so that the same input in
 * any order reports them in the same order.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): string =>
    `${d.object ?? ""}\u0000${d.path ?? ""}\u0000${d.code}\u0000${d.message}\u0000${d.file ?? ""}`;
  return diagnostics
    .map((d) => [key(d), d] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, d]) => d);
}
