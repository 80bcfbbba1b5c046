import type { IntBuffer } from "./global-fill.ts";
import type { OpenRange } from "./pod-range.ts";
import type { RowStore } from "./row-store.ts";

/**
 * The cells of a block at the open pod ranges' own classes (docs/decisions.md #47), once the rules
 * filled `scratch` (class → row): per family the join of the candidates' distinct rows, and over
 * both the meet. Candidates run to one per CIDR signature (20,000 for 20,000 /32 ipBlocks), so
 * distinct rows are found with a stamp per row id, not a Set.
 */
export function createOpenRangeCells(
  opens: readonly OpenRange[],
  rows: RowStore,
): (scratch: IntBuffer) => void {
  let stamp = new Int32Array(64);
  let now = 0;
  const distinct = (classes: readonly number[], scratch: IntBuffer, out: number[]): void => {
    for (const c of classes) {
      const r = scratch.get(c);
      if (r >= stamp.length) {
        const grown = new Int32Array(Math.max(2 * stamp.length, r + 1));
        grown.set(stamp);
        stamp = grown;
      }
      if (stamp[r] === now) continue;
      stamp[r] = now;
      out.push(r);
    }
  };
  return (scratch) => {
    for (const o of opens) {
      const all: number[] = [];
      o.candidates.forEach((classes, f) => {
        const mine: number[] = [];
        now++;
        distinct(classes, scratch, mine);
        if (o.joins[f]! >= 0) scratch.set(o.joins[f]!, rows.combine(mine, true));
        all.push(...mine);
      });
      scratch.set(o.meet, rows.combine([...new Set(all)], false));
    }
  };
}
