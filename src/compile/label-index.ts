import type { LabelSelector, Labels } from "../model/types.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";

/**
 * An inverted index over a universe of label maps (the distinct label sets of pods, or the
 * namespaces). Every `(key, value)` and every key is interned to a posting list of member ids.
 * A selector is evaluated once: its positive constraints (matchLabels, In, Exists) pick the
 * shortest posting list as candidates, which are then checked with the exact apimachinery
 * semantics of `matchesSelector`; selectors with only negative constraints scan the universe.
 * Results are memoised by the selector's canonical text.
 */
export interface LabelIndex {
  readonly size: number;
  /** Sorted ids of the members the selector selects. */
  select(selector: LabelSelector): readonly number[];
}

const SEP = "\u0000";

/** Canonical text of a selector (see `createSelectorKeys`). */
export type SelectorKeys = (selector: LabelSelector) => string;

/**
 * Canonical text of selectors: equal text ⇔ equal selector up to order (of labels, expressions
 * and values). Memoised per selector object, in a memo that lives as long as one compile (no
 * module-level state: a second compile of the same objects pays again, as a fresh cluster would).
 */
export function createSelectorKeys(): SelectorKeys {
  const memo = new WeakMap<LabelSelector, string>();
  return (selector) => {
    // Most selectors are one label or none: their text is built directly, cheaper than the memo.
    const simple = simpleKey(selector);
    if (simple !== undefined) return simple;
    let key = memo.get(selector);
    if (key !== undefined) return key;
    const ml = selector.matchLabels;
    const parts: string[] = [];
    if (ml !== undefined) for (const k of Object.keys(ml).sort()) parts.push(`${k}${SEP}=${SEP}${ml[k]}`);
    const exprs = selector.matchExpressions;
    if (exprs !== undefined && exprs.length > 0) {
      const es = new Set<string>();
      for (const e of exprs)
        es.add(`${e.key}${SEP}${e.operator}${SEP}${[...new Set(e.values ?? [])].sort().join(SEP)}`);
      parts.push("\u0001", ...[...es].sort());
    }
    key = parts.join("\u0002");
    memo.set(selector, key);
    return key;
  };
}

/** The canonical text of a selector without expressions and with at most one label, else undefined. */
function simpleKey(selector: LabelSelector): string | undefined {
  const exprs = selector.matchExpressions;
  if (exprs !== undefined && exprs.length > 0) return undefined;
  const ml = selector.matchLabels;
  if (ml === undefined) return "";
  let only: string | undefined;
  for (const k in ml) {
    if (!Object.hasOwn(ml, k)) continue;
    if (only !== undefined) return undefined;
    only = k;
  }
  return only === undefined ? "" : `${only}${SEP}=${SEP}${ml[only]}`;
}

/** Build the index over `members` (their ids are their positions). */
export function buildLabelIndex(members: readonly Labels[], selectorKey: SelectorKeys): LabelIndex {
  // key → value → posting list (two levels, so that no "key=value" string is built per label).
  const byPair = new Map<string, Map<string, number[]>>();
  const byKey = new Map<string, number[]>();
  members.forEach((labels, id) => {
    for (const key in labels) {
      if (!Object.hasOwn(labels, key)) continue;
      let values = byPair.get(key);
      if (values === undefined) byPair.set(key, (values = new Map()));
      const value = labels[key]!;
      let p = values.get(value);
      if (p === undefined) values.set(value, (p = []));
      p.push(id);
      let k = byKey.get(key);
      if (k === undefined) byKey.set(key, (k = []));
      k.push(id);
    }
  });
  const posting = (key: string, value: string): readonly number[] | undefined => byPair.get(key)?.get(value);
  const memo = new Map<string, readonly number[]>();
  const EMPTY: readonly number[] = [];

  function candidates(selector: LabelSelector): readonly number[] | undefined {
    let best: readonly number[] | undefined;
    const consider = (list: readonly number[]): void => {
      if (best === undefined || list.length < best.length) best = list;
    };
    const ml = selector.matchLabels ?? {};
    for (const key of Object.keys(ml)) consider(posting(key, ml[key]!) ?? EMPTY);
    for (const e of selector.matchExpressions ?? []) {
      if (e.operator === "Exists") consider(byKey.get(e.key) ?? EMPTY);
      else if (e.operator === "In") {
        const union = new Set<number>();
        for (const v of e.values ?? []) for (const id of posting(e.key, v) ?? EMPTY) union.add(id);
        consider([...union].sort((a, b) => a - b));
      }
    }
    return best;
  }

  return {
    size: members.length,
    select(selector) {
      const key = selectorKey(selector);
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      const cand = candidates(selector);
      const out: number[] = [];
      if (cand === undefined) {
        for (let id = 0; id < members.length; id++) if (matchesSelector(members[id]!, selector)) out.push(id);
      } else {
        for (const id of cand) if (matchesSelector(members[id]!, selector)) out.push(id);
      }
      memo.set(key, out);
      return out;
    },
  };
}
