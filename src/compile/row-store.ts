import {
  ACTION_ACCEPT,
  ACTION_PASS,
  OUTCOME_DEFAULT,
  OUTCOME_OPEN,
  TIER_ADMIN,
  TIER_BASELINE,
  V_ALLOW,
  V_DENY,
  V_OPEN,
} from "../ir/policy-table-ir.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { PortClasses } from "./port-classes.ts";
import type { CollectedRule } from "./rule-collector.ts";

/**
 * Port rows, interned. A row has one cell per port class holding an *outcome* id: the folded walk
 * of the tiers for that class — verdict (allow, deny, or open: NetworkPolicy-isolated with no
 * rule matched, so a same-namespace local rule may still allow), the group-relative ordinal of
 * the deciding rule and of the Pass rule passed on the way (`outcomes`, triples). Row 0 is all
 * `OUTCOME_OPEN` (an isolated subject's cells that no rule reaches).
 *
 * The walk per port class (DESIGN §1): admin rules in order, the first whose ports include the
 * class decides (Accept, Deny) or leaves the tier (Pass); then, for an isolated subject, the first
 * NetworkPolicy rule allows, else open; for one that is not isolated, baseline rules as admin
 * ones, else allowed by default.
 *
 * A row is described to the store rule by rule (`begin`, `add` per rule, `end`). Its *shape* —
 * per rule: ordinal, interned ports, the port classes its named ports resolved to — is interned
 * first; only a new shape computes the row, whose content is interned again (different shapes
 * can give equal rows). Neither step builds a string.
 */
export interface RowStore {
  readonly ports: PortClasses;
  /** Start describing a row, for a subject NetworkPolicy isolates (or not). */
  begin(isolated: boolean): void;
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
  /** The outcome table: `(verdict, rule ordinal, pass ordinal)` per id. */
  outcomes(): Int32Array;
}

export function createRowStore(ports: PortClasses): RowStore {
  const K = ports.count;
  const shapes = new IntSeqInterner();
  /** Shape id → row id. */
  const rowOfShape: number[] = [];
  const contents = new IntSeqInterner();
  const row = new Int32Array(K);
  contents.internList(row); // row 0: all OUTCOME_OPEN
  const outcomeIds = new IntSeqInterner();
  const outcome = (verdict: number, rule: number, pass: number): number => {
    outcomeIds.push(verdict);
    outcomeIds.push(rule);
    outcomeIds.push(pass);
    return outcomeIds.commit();
  };
  if (outcome(V_OPEN, 0, 0) !== OUTCOME_OPEN || outcome(V_ALLOW, 0, 0) !== OUTCOME_DEFAULT)
    throw new Error("outcome ids out of step");
  const decided = new Int32Array(K);
  const pass = new Int32Array(K);
  let isolatedRow = false;
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
    begin(isolated) {
      count = 0;
      namedCount = 0;
      isolatedRow = isolated;
      shapes.push(isolated ? 1 : 0);
    },
    add(ordinal, rule, named, n) {
      shapes.push(ordinal);
      shapes.push(rule.tier * 4 + rule.action);
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
      decided.fill(-1);
      pass.fill(0);
      // Stages in order; a stage's rules paint the classes still undecided, first rule first.
      for (const stage of [TIER_ADMIN, isolatedRow ? -1 : TIER_BASELINE]) {
        row.fill(0);
        let n = 0;
        for (let i = 0; i < count; i++) {
          const r = pendingRules[i]!;
          const mine = stage === -1 ? r.tier !== TIER_ADMIN && r.tier !== TIER_BASELINE : r.tier === stage;
          const paint = i + 1;
          const s = spans(r);
          if (mine)
            for (let j = 0; j < s.length; j += 2)
              for (let k = s[j]!; k <= s[j + 1]!; k++) if (row[k] === 0 && decided[k] === -1) row[k] = paint;
          for (; n < pendingNamedEnd[i]!; n++) {
            const k = pendingNamed[n]!;
            if (mine && row[k] === 0 && decided[k] === -1) row[k] = paint;
          }
        }
        for (let k = 0; k < K; k++) {
          const i = row[k]! - 1;
          if (i < 0) continue;
          const r = pendingRules[i]!;
          const o = pendingOrdinals[i]!;
          if (r.action === ACTION_PASS) {
            if (pass[k] === 0) pass[k] = o;
          } else decided[k] = outcome(r.action === ACTION_ACCEPT ? V_ALLOW : V_DENY, o, pass[k]!);
        }
      }
      for (let k = 0; k < K; k++)
        row[k] = decided[k] !== -1 ? decided[k]! : outcome(isolatedRow ? V_OPEN : V_ALLOW, 0, pass[k]!);
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
    outcomes() {
      return outcomeIds.concat();
    },
  };
}
