import type { IntBuffer } from "./global-fill.ts";
import type { OpenRange } from "./pod-range.ts";
import type { RowStore } from "./row-store.ts";

/**
 * The cells of a block at the open pod ranges' own classes (docs/decisions.md #47), once the rules
 * filled `scratch` (class → row): per family the join of the candidates' distinct rows, and over
 * both the meet.
 */
export function openRangeCells(opens: readonly OpenRange[], scratch: IntBuffer, rows: RowStore): void {
  for (const o of opens) {
    const all = new Set<number>();
    o.candidates.forEach((classes, f) => {
      const distinct = new Set<number>();
      for (const c of classes) distinct.add(scratch.get(c));
      if (o.joins[f]! >= 0) scratch.set(o.joins[f]!, rows.combine([...distinct], true));
      for (const r of distinct) all.add(r);
    });
    scratch.set(o.meet, rows.combine([...all], false));
  }
}
