// "did you mean": the nearest known name to a misspelt field, for unknown-field errors.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push([i]);
  for (let j = 1; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  return rows[s.length]![t.length]!;
}

/**
 * The known name nearest to `name` — within 2 edits, and fewer than half its length — or
 * `undefined`. Ties go to the first in `known`. Long names (hostile input) are not compared.
 *
 * @example
 * didYouMean("form", ["from", "ports"]) // "from"
 * didYouMean("podselector", ["podSelector", "namespaceSelector"]) // "podSelector"
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  if (name.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance && d <= 2 && d * 2 < Math.max(name.length, 2)) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
