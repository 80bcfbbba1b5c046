import type { Protocol } from "../model/types.ts";
import type { CollectedRule } from "./collect-rules.ts";
import type { PortClasses } from "./port-classes.ts";

/** Resolves a named port (name, protocol) for the destination in question; 0 = not declared. */
export type NamedPortResolver = (name: string, protocol: Protocol) => number;

/**
 * Port rows, interned. A row has one cell per port class holding the group-relative ordinal of the
 * first rule (in written order) whose ports include that class, or 0. Row 0 allows nothing.
 */
export interface RowStore {
  readonly ports: PortClasses;
  /** Intern the row for `rules` (ascending ordinals `ordinals`), named ports resolved by `resolve`. */
  row(rules: readonly CollectedRule[], ordinals: readonly number[], resolve: NamedPortResolver): number;
  /** All rows, concatenated. */
  finish(): Int32Array;
}

export function createRowStore(ports: PortClasses): RowStore {
  const K = ports.count;
  const cells: number[] = new Array<number>(K).fill(0);
  const byContent = new Map<string, number>([[cells.join(","), 0]]);
  const byShape = new Map<string, number>();
  const numericMemo = new Map<string, readonly number[]>();
  const all = Array.from({ length: K }, (_, k) => k);

  const numericClasses = (rule: CollectedRule): readonly number[] => {
    let out = numericMemo.get(rule.portsKey);
    if (out === undefined) {
      if (rule.ports === undefined) out = all;
      else {
        const set = new Set<number>();
        for (const p of rule.ports) if (!("name" in p)) for (const k of ports.classesOf(p)) set.add(k);
        out = [...set].sort((a, b) => a - b);
      }
      numericMemo.set(rule.portsKey, out);
    }
    return out;
  };

  return {
    ports,
    row(rules, ordinals, resolve) {
      let shape = "";
      const named: number[][] = rules.map((rule) => {
        const ks: number[] = [];
        for (const p of rule.ports ?? []) {
          if (!("name" in p)) continue;
          const n = resolve(p.name, p.protocol);
          if (n > 0) ks.push(ports.classOf(p.protocol, n));
        }
        return ks;
      });
      rules.forEach((rule, i) => {
        shape += `${ordinals[i]}:${rule.portsKey}:${named[i]!.join(".")};`;
      });
      const hit = byShape.get(shape);
      if (hit !== undefined) return hit;
      const row = new Int32Array(K);
      rules.forEach((rule, i) => {
        const o = ordinals[i]!;
        for (const k of numericClasses(rule)) if (row[k] === 0) row[k] = o;
        for (const k of named[i]!) if (row[k] === 0) row[k] = o;
      });
      const content = row.join(",");
      let id = byContent.get(content);
      if (id === undefined) {
        id = byContent.size;
        byContent.set(content, id);
        for (let k = 0; k < K; k++) cells.push(row[k]!);
      }
      byShape.set(shape, id);
      return id;
    },
    finish: () => Int32Array.from(cells),
  };
}
