import type { CollectedDirection, CollectedRule } from "./collect-rules.ts";
import type { IntSeqInterner } from "./int-seq-interner.ts";
import type { PeerClasses } from "./peer-classes.ts";
import type { RowStore } from "./row-store.ts";

/** A growable Int32Array. */
export class IntBuffer {
  #data = new Int32Array(1024);
  #length = 0;
  /** Append `n` entries of `value` (0 by default); returns the offset of the first. */
  zeros(n: number, value = 0): number {
    const at = this.#length;
    if (at + n > this.#data.length) {
      const next = new Int32Array(Math.max(this.#data.length * 2, at + n));
      next.set(this.#data.subarray(0, at));
      this.#data = next;
    }
    this.#length += n;
    if (value !== 0) this.#data.fill(value, at, at + n);
    return at;
  }
  set(i: number, v: number): void {
    this.#data[i] = v;
  }
  finish(): Int32Array {
    return this.#data.slice(0, this.#length);
  }
}

/** Whether ascending `a` shares an element with signature `sig` of `sigs` (ascending too). */
export function intersects(a: readonly number[], sigs: IntSeqInterner, sig: number): boolean {
  const n = sigs.length(sig);
  let i = 0;
  let j = 0;
  while (i < a.length && j < n) {
    const x = a[i]!;
    const y = sigs.at(sig, j);
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

/**
 * The filler of a global row block: for each class, the rules matching it (a rule matches a class
 * when it matches every peer or one of its global peers matches the class), described to the row
 * store in order. Classes no rule matches keep what the block was filled with. With ≤ 30 rules the matching set is a bitmask, and equal (mask, named vector)
 * cells of one block share one row lookup.
 */
export function createGlobalFill(
  peers: PeerClasses,
  collected: CollectedDirection,
  rows: RowStore,
  addRule: (ordinal: number, r: number, vector: number) => void,
  cells: IntBuffer,
  egress: boolean,
): (base: number, ruleIds: readonly number[], vector: number, isolated: boolean) => void {
  const C = peers.classCount;
  const masks = new Int32Array(C);
  const touched = new Int32Array(C);
  let touchedCount = 0;
  const memo = new Map<number, number>();
  const rule = (id: number): CollectedRule => collected.rules[id - 1]!;
  let vectors = 1;
  for (const v of peers.classNamed) vectors = Math.max(vectors, v + 1);
  const memoOk = vectors < 1 << 22; // mask · vectors + vector stays an exact double

  const byMask = (base: number, ruleIds: readonly number[], groupVector: number, isolated: boolean): void => {
    let everywhere = 0;
    ruleIds.forEach((r, i) => {
      const cr = rule(r);
      const bit = 1 << i;
      if (cr.allPeers) everywhere |= bit;
      else
        for (const p of cr.globalPeers)
          for (const c of peers.classesOfPeer[p]!) {
            if (masks[c] === 0) touched[touchedCount++] = c;
            masks[c]! |= bit;
          }
    });
    memo.clear();
    const cell = (c: number, mask: number): void => {
      const vector = egress ? peers.classNamed[c]! : groupVector;
      const key = mask * vectors + (egress ? vector : 0);
      let id = memoOk ? memo.get(key) : undefined;
      if (id === undefined) {
        rows.begin(isolated);
        for (let i = 0; i < ruleIds.length; i++) if ((mask >>> i) & 1) addRule(i + 1, ruleIds[i]!, vector);
        id = rows.end();
        if (memoOk) memo.set(key, id);
      }
      cells.set(base + c, id);
    };
    if (everywhere !== 0) for (let c = 0; c < C; c++) cell(c, masks[c]! | everywhere);
    else for (let i = 0; i < touchedCount; i++) cell(touched[i]!, masks[touched[i]!]!);
    for (let i = 0; i < touchedCount; i++) masks[touched[i]!] = 0;
    touchedCount = 0;
  };

  /** More rules than mask bits: ordinal lists per class. */
  const byList = (base: number, ruleIds: readonly number[], groupVector: number, isolated: boolean): void => {
    const everywhere: number[] = [];
    const specific = new Map<number, number[]>();
    ruleIds.forEach((r, i) => {
      const cr = rule(r);
      if (cr.allPeers) everywhere.push(i + 1);
      else
        for (const p of cr.globalPeers)
          for (const c of peers.classesOfPeer[p]!) {
            let m = specific.get(c);
            if (m === undefined) specific.set(c, (m = []));
            if (m[m.length - 1] !== i + 1) m.push(i + 1);
          }
    });
    const cellAt = (c: number, ordinals: readonly number[]): void => {
      if (ordinals.length === 0) return;
      const vector = egress ? peers.classNamed[c]! : groupVector;
      rows.begin(isolated);
      for (const o of ordinals) addRule(o, ruleIds[o - 1]!, vector);
      cells.set(base + c, rows.end());
    };
    if (everywhere.length > 0) {
      for (let c = 0; c < C; c++) {
        const m = specific.get(c);
        cellAt(c, m === undefined ? everywhere : [...new Set([...everywhere, ...m])].sort((x, y) => x - y));
      }
    } else for (const [c, m] of specific) cellAt(c, m);
  };

  return (base, ruleIds, vector, isolated) =>
    ruleIds.length <= 30 ? byMask(base, ruleIds, vector, isolated) : byList(base, ruleIds, vector, isolated);
}
