import type { CollectedRule } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { PortClasses } from "./port-classes.ts";

/**
 * Port rows, interned. A row has one cell per port class holding the group-relative ordinal of the
 * first rule (in written order) whose ports include that class, or 0. Row 0 allows nothing.
 *
 * A row is described to the store rule by rule (`begin`, `add` per rule, `end`). Its *shape* —
 * per rule: ordinal, interned ports, the port classes its named ports resolved to — is interned
 * first; only a new shape computes the row, whose content is interned again (different shapes
 * can give equal rows). Neither step builds a string.
 */
export interface RowStore {
  readonly ports: PortClasses;
  /** Start describing a row. */
  begin(): void;
  /**
   * Add the rule at group-relative `ordinal` (ascending across calls); `named[0 … namedCount)`
   * are the port classes its named ports resolved to for the destination at hand (unresolved
   * ones left out).
   */
  add(ordinal: number, rule: CollectedRule, named: ArrayLike<number>, namedCount: number): void;
  /** The id of the row described since `begin`. */
  end(): number;
  /** All rows, concatenated. */
  finish(): Int32Array;
}

export function createRowStore(ports: PortClasses): RowStore {
  const K = ports.count;
  const shapes = new IntSeqInterner();
  /** Shape id → row id. */
  const rowOfShape: number[] = [];
  const contents = new IntSeqInterner();
  const row = new Int32Array(K);
  contents.internList(row); // row 0: all zero
  /** Interned ports → the inclusive class spans `[a, b, a, b, …]` of its numeric ranges. */
  const spansOf = new Map<number, Int32Array>();
  // The rules of the row being described, kept until `end` in case its shape is new.
  let pendingRules: CollectedRule[] = [];
  let pendingOrdinals: number[] = [];
  let pendingNamedEnd: number[] = [];
  let pendingNamed: number[] = [];
  let count = 0;
  let namedCount = 0;

  const spans = (rule: CollectedRule): Int32Array => {
    let out = spansOf.get(rule.portsId);
    if (out === undefined) {
      if (rule.ports === undefined) out = Int32Array.of(0, K - 1);
      else {
        const list: number[] = [];
        for (const p of rule.ports)
          if (!("name" in p)) list.push(ports.classOf(p.protocol, p.lo), ports.classOf(p.protocol, p.hi));
        out = Int32Array.from(list);
      }
      spansOf.set(rule.portsId, out);
    }
    return out;
  };

  return {
    ports,
    begin() {
      count = 0;
      namedCount = 0;
    },
    add(ordinal, rule, named, n) {
      shapes.push(ordinal);
      shapes.push(rule.portsId);
      shapes.push(n);
      for (let i = 0; i < n; i++) {
        shapes.push(named[i]!);
        pendingNamed[namedCount++] = named[i]!;
      }
      pendingRules[count] = rule;
      pendingOrdinals[count] = ordinal;
      pendingNamedEnd[count] = namedCount;
      count++;
    },
    end() {
      const shape = shapes.commit();
      if (shape < rowOfShape.length) return rowOfShape[shape]!;
      row.fill(0);
      let n = 0;
      for (let i = 0; i < count; i++) {
        const o = pendingOrdinals[i]!;
        const s = spans(pendingRules[i]!);
        for (let j = 0; j < s.length; j += 2)
          for (let k = s[j]!; k <= s[j + 1]!; k++) if (row[k] === 0) row[k] = o;
        for (; n < pendingNamedEnd[i]!; n++) {
          const k = pendingNamed[n]!;
          if (row[k] === 0) row[k] = o;
        }
      }
      const id = contents.internList(row);
      rowOfShape.push(id);
      return id;
    },
    finish() {
      pendingRules = [];
      pendingOrdinals = [];
      pendingNamedEnd = [];
      pendingNamed = [];
      return contents.concat();
    },
  };
}
