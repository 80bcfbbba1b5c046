import { ACTION_PASS, TIER_BASELINE } from "../ir/policy-table-ir.ts";
import type { CollectedDirection, CollectedRule } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
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
  get(i: number): number {
    return this.#data[i]!;
  }
  /** Set entries `from … to − 1` to `value`. */
  fill(value: number, from: number, to: number): void {
    this.#data.fill(value, from, to);
  }
  /** Append `xs[from … to)`; returns the offset of the first. */
  append(xs: IntBuffer, from: number, to: number): number {
    const at = this.zeros(to - from);
    this.#data.set(xs.#data.subarray(from, to), at);
    return at;
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
 * store in order. Classes no rule matches keep what the block was filled with. The matching set
 * is a bitmask of ⌈rules / 32⌉ words, and equal (mask, named vector) cells of one block share one
 * row lookup.
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
  let masks = new Int32Array(C);
  const touched = new Int32Array(C);
  const isTouched = new Uint8Array(C);
  let touchedCount = 0;
  const rule = (id: number): CollectedRule => collected.rules[id - 1]!;
  // Memo of one block's cells: equal (vector, matching-rule mask) → one row lookup. Keys carry the
  // block's serial number, so one interner serves every block without being cleared.
  const memoKeys = new IntSeqInterner();
  const memoRow: number[] = [];
  let serial = 0;
  let everywhere = new Int32Array(1);

  return (base, ruleIds, groupVector, isolated) => {
    const R = ruleIds.length;
    const W = Math.max(1, Math.ceil(R / 32));
    if (masks.length < C * W) masks = new Int32Array(C * W);
    if (everywhere.length < W) everywhere = new Int32Array(W);
    everywhere.fill(0, 0, W);
    let anyEverywhere = false;
    for (let i = 0; i < R; i++) {
      const cr = rule(ruleIds[i]!);
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      if (cr.allPeers) {
        everywhere[w]! |= bit;
        anyEverywhere = true;
        continue;
      }
      for (const p of cr.globalPeers)
        for (const c of peers.classesOfPeer[p]!) {
          if (isTouched[c] === 0) {
            isTouched[c] = 1;
            touched[touchedCount++] = c;
          }
          masks[c * W + w]! |= bit;
        }
    }
    serial++;
    const cell = (c: number): void => {
      const vector = egress ? peers.classNamed[c]! : groupVector;
      memoKeys.push(serial);
      memoKeys.push(vector);
      for (let w = 0; w < W; w++) memoKeys.push(masks[c * W + w]! | everywhere[w]!);
      const before = memoKeys.size;
      const key = memoKeys.commit();
      if (key < before) {
        cells.set(base + c, memoRow[key]!);
        return;
      }
      rows.begin(isolated);
      // Only rules the walk can reach: an all-ports Accept/Deny (or NetworkPolicy allow) ends it,
      // an all-ports Pass ends its tier, and an isolated subject never reaches the baseline tier.
      // (Ports an earlier Pass of the tier passed still go on to the next tiers.)
      let skipTier = -1;
      let passTier = -1;
      for (let i = 0; i < R; i++) {
        if ((((masks[c * W + (i >>> 5)]! | everywhere[i >>> 5]!) >>> (i & 31)) & 1) === 0) continue;
        const cr = rule(ruleIds[i]!);
        if (cr.tier === skipTier || (isolated && cr.tier === TIER_BASELINE)) continue;
        addRule(i + 1, ruleIds[i]!, vector);
        if (cr.ports !== undefined) {
          if (cr.action === ACTION_PASS) passTier = cr.tier;
          continue;
        }
        if (cr.action !== ACTION_PASS && passTier !== cr.tier) break;
        skipTier = cr.tier;
      }
      const id = rows.end();
      memoRow.push(id);
      cells.set(base + c, id);
    };
    if (anyEverywhere) for (let c = 0; c < C; c++) cell(c);
    else for (let i = 0; i < touchedCount; i++) cell(touched[i]!);
    for (let i = 0; i < touchedCount; i++) {
      const c = touched[i]!;
      isTouched[c] = 0;
      masks.fill(0, c * W, c * W + W);
    }
    touchedCount = 0;
  };
}
