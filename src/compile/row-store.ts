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

/** Port rows as runs: row r is runs `rowStart[r] … rowStart[r+1]`, each from class `runClass[i]` on. */
export interface PortRuns {
  readonly rowStart: Int32Array;
  readonly runClass: Int32Array;
  readonly runOutcome: Int32Array;
}

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
  /**
   * Per port class the outcome of the first row of `rows` with the lowest verdict (deny < open <
   * allow: the *meet*, allowing only where every row does) or, `highest`, the highest (the
   * *join*, allowing where one does); provenance is that row's. The cells of an address-less pod
   * whose pod range leaves a CIDR open (docs/decisions.md #47).
   */
  combine(rows: readonly number[], highest: boolean): number;
  /** All rows as runs (see `PortRuns`). */
  finish(): PortRuns;
  /** The outcome table: `(verdict, rule ordinal, pass ordinal)` per id. */
  outcomes(): Int32Array;
}

/** `xs[0 … n)` sorted, without repeats and without values ≥ `limit` (in place; a view of `xs`). */
function uniqueSorted(xs: Int32Array, n: number, limit: number): Int32Array {
  const sorted = xs.subarray(0, n).sort();
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i]!;
    if (x >= limit || (m > 0 && sorted[m - 1] === x)) continue;
    sorted[m++] = x;
  }
  return sorted.subarray(0, m);
}

export function createRowStore(ports: PortClasses): RowStore {
  const K = ports.count;
  const shapes = new IntSeqInterner();
  /** Shape id → row id. */
  const rowOfShape: number[] = [];
  const contents = new IntSeqInterner();
  contents.internList([0, OUTCOME_OPEN]); // row 0: all OUTCOME_OPEN
  const outcomeIds = new IntSeqInterner();
  const outcome = (verdict: number, rule: number, pass: number): number => {
    outcomeIds.push(verdict);
    outcomeIds.push(rule);
    outcomeIds.push(pass);
    return outcomeIds.commit();
  };
  if (outcome(V_OPEN, 0, 0) !== OUTCOME_OPEN || outcome(V_ALLOW, 0, 0) !== OUTCOME_DEFAULT)
    throw new Error("outcome ids out of step");
  /** Interval bounds of the row being computed (`end`), and how many its rules need. */
  let bounds = new Int32Array(64);
  let boundCount = 0;
  let scratch = new Int32Array(192);
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
      boundCount = 0;
      isolatedRow = isolated;
      shapes.push(isolated ? 1 : 0);
    },
    add(ordinal, rule, named, n) {
      boundCount += spans(rule).length + 2 * n;
      if (boundCount + 1 > bounds.length) {
        let size = bounds.length;
        while (size < boundCount + 1) size *= 2;
        bounds = new Int32Array(size);
      }
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
      // Compressed coordinates: the row can only change at a span's ends or a named port, so it
      // is computed over those T intervals (bounds[t] … bounds[t+1] − 1), not over all K classes.
      let nb = 0;
      bounds[nb++] = 0;
      let n = 0;
      for (let i = 0; i < count; i++) {
        const sp = spans(pendingRules[i]!);
        for (let j = 0; j < sp.length; j += 2) {
          bounds[nb++] = sp[j]!;
          bounds[nb++] = sp[j + 1]! + 1;
        }
        for (; n < pendingNamedEnd[i]!; n++) {
          bounds[nb++] = pendingNamed[n]!;
          bounds[nb++] = pendingNamed[n]! + 1;
        }
      }
      const b = uniqueSorted(bounds, nb, K);
      const T = b.length;
      const at = (k: number): number => {
        let lo = 0;
        let hi = T - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (b[mid]! <= k) lo = mid;
          else hi = mid - 1;
        }
        return lo;
      };
      if (scratch.length < 3 * T) scratch = new Int32Array(Math.max(3 * T, 2 * scratch.length));
      const row = scratch.subarray(0, T);
      const decided = scratch.subarray(T, 2 * T).fill(-1);
      const pass = scratch.subarray(2 * T, 3 * T).fill(0);
      // Stages in order; a stage's rules paint the intervals still undecided, first rule first.
      for (const stage of [TIER_ADMIN, isolatedRow ? -1 : TIER_BASELINE]) {
        row.fill(0);
        n = 0;
        for (let i = 0; i < count; i++) {
          const r = pendingRules[i]!;
          const mine = stage === -1 ? r.tier !== TIER_ADMIN && r.tier !== TIER_BASELINE : r.tier === stage;
          const paint = i + 1;
          const sp = spans(r);
          if (mine)
            for (let j = 0; j < sp.length; j += 2)
              for (let t = at(sp[j]!), end = at(sp[j + 1]!); t <= end; t++)
                if (row[t] === 0 && decided[t] === -1) row[t] = paint;
          for (; n < pendingNamedEnd[i]!; n++) {
            const t = at(pendingNamed[n]!);
            if (mine && row[t] === 0 && decided[t] === -1) row[t] = paint;
          }
        }
        for (let t = 0; t < T; t++) {
          const i = row[t]! - 1;
          if (i < 0) continue;
          const r = pendingRules[i]!;
          const o = pendingOrdinals[i]!;
          if (r.action === ACTION_PASS) {
            if (pass[t] === 0) pass[t] = o;
          } else decided[t] = outcome(r.action === ACTION_ACCEPT ? V_ALLOW : V_DENY, o, pass[t]!);
        }
      }
      // Runs: (first class, outcome) where the outcome changes; the row's size is its runs, not K.
      let prev = -1;
      for (let t = 0; t < T; t++) {
        const o = decided[t] !== -1 ? decided[t]! : outcome(isolatedRow ? V_OPEN : V_ALLOW, 0, pass[t]!);
        if (o === prev) continue;
        prev = o;
        contents.push(b[t]!);
        contents.push(o);
      }
      const id = contents.commit();
      rowOfShape.push(id);
      return id;
    },
    combine(rows, highest) {
      if (rows.every((r) => r === rows[0])) return rows[0]!;
      const rank = (o: number): number => {
        const v = outcomeIds.at(o, 0);
        const r = v === V_DENY ? 0 : v === V_OPEN ? 1 : 2;
        return highest ? -r : r;
      };
      const runs = rows.map((r) => contents.toArray(r));
      const at = new Int32Array(rows.length); // each row's current run (pairs: class, outcome)
      let prev = -1;
      for (let k = 0; k < K; ) {
        let best = -1;
        let next = K;
        runs.forEach((list, i) => {
          while (at[i]! + 2 < list.length && list[at[i]! + 2]! <= k) at[i]! += 2;
          const o = list[at[i]! + 1]!;
          if (best < 0 || rank(o) < rank(best)) best = o;
          if (at[i]! + 2 < list.length) next = Math.min(next, list[at[i]! + 2]!);
        });
        if (best !== prev) {
          contents.push(k);
          contents.push(best);
          prev = best;
        }
        k = next;
      }
      return contents.commit();
    },
    finish() {
      pendingRules = [];
      pendingOrdinals = [];
      pendingNamedEnd = [];
      pendingNamed = [];
      const flat = contents.concat();
      const rows = contents.size;
      const rowStart = new Int32Array(rows + 1);
      for (let r = 0; r < rows; r++) rowStart[r + 1] = rowStart[r]! + contents.length(r) / 2;
      const n = rowStart[rows]!;
      const runClass = new Int32Array(n);
      const runOutcome = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        runClass[i] = flat[2 * i]!;
        runOutcome[i] = flat[2 * i + 1]!;
      }
      return { rowStart, runClass, runOutcome };
    },
    outcomes() {
      return outcomeIds.concat();
    },
  };
}
