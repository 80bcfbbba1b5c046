// The parts of the hashed query view (src/engine/pack-hashed.ts): bounded-probe block tables
// (hash-block.ts) and windowed row masks (row-windows.ts), tested on their own — including keys
// that collide under every multiplier drawn, which forces the table to double.
import { describe, expect, it } from "vitest";
import {
  type BlockDescriptor,
  lookup,
  multipliers,
  PROBES,
  placeDense,
  placeSparse,
  reserveEmptySlots,
} from "../../src/engine/hash-block.ts";
import { Cells } from "../../src/engine/pack-direction.ts";
import { CODE_ALLOW, CODE_DENY, CODE_OPEN, RowWindows } from "../../src/engine/row-windows.ts";

/** Place a block and check every key reads its row and every other class the default. */
function placed(
  keys: number[],
  classCount: number,
  draw: () => number,
): { desc: BlockDescriptor; slots: Int32Array } {
  const out = new Cells();
  reserveEmptySlots(out);
  const rows = keys.map((_, i) => 100 + i);
  const desc = placeSparse(out, keys, rows, 7, classCount, draw);
  const slots = out.data.slice(0, out.length);
  const rowOf = new Map(keys.map((k, i) => [k, rows[i]!]));
  for (let c = 0; c < classCount; c++) expect(lookup(slots, desc, c), `class ${c}`).toBe(rowOf.get(c) ?? 7);
  return { desc, slots };
}

describe("hash-block: bounded-probe tables", () => {
  it("places random exceptions within PROBES slots of their hash, in about 2 × keys slots", () => {
    const draw = multipliers();
    const keys = Array.from({ length: 500 }, (_, i) => (i * 7919) % 20_000);
    const { desc, slots } = placed(keys, 20_000, draw);
    expect(desc[1]).not.toBe(1); // hashed, not dense
    expect(slots.length / 2 - PROBES).toBeLessThanOrEqual(1024 + PROBES - 1);
  });

  it("keys that collide under every multiplier drawn: the table doubles until they fit", () => {
    // With multiplier 1 the hash is the key's top bits: keys i · 2^22 share their slot four by four
    // at 256 slots, two by two at 512 (more than PROBES consecutive slots taken), and fit at 1,024.
    const keys = Array.from({ length: 100 }, (_, i) => i * 2 ** 22);
    const out = new Cells();
    const desc = placeSparse(
      out,
      keys,
      keys.map((_, i) => i + 1),
      0,
      2 ** 30,
      () => 1,
    );
    expect(desc[1]).toBe(1);
    expect(32 - desc[2]).toBe(10); // 2^10 slots: doubled twice from the first size, 2^8
    const slots = out.data.slice(0, out.length);
    keys.forEach((k, i) => {
      expect(lookup(slots, desc, k)).toBe(i + 1);
      expect(lookup(slots, desc, k + 1)).toBe(0);
    });
  });

  it("keys no multiplier separates: the block falls back to the dense layout once that is no larger", () => {
    // Multiplier 1 and small keys: every key hashes to slot 0 at any table size below the class count.
    const keys = Array.from({ length: 40 }, (_, i) => i);
    const { desc } = placed(keys, 300, () => 1);
    expect([desc[1], desc[2]]).toEqual([1, 0]); // the identity table: slot = class
  });

  it("dense blocks are the mult = 1, shift = 0 case, with padding for the last probes", () => {
    const out = new Cells();
    const rows = [3, 1, 4, 1, 5, 9, 2, 6];
    const desc = placeDense(out, rows, rows.length);
    expect(out.length).toBe(2 * (rows.length + PROBES - 1));
    for (let c = 0; c < rows.length; c++) expect(lookup(out.data, desc, c)).toBe(rows[c]);
  });

  it("a block without exceptions reads the empty slots: always its default", () => {
    const out = new Cells();
    reserveEmptySlots(out);
    const desc = placeSparse(out, [], [], 42, 1000, multipliers());
    for (const c of [0, 1, 999]) expect(lookup(out.data, desc, c)).toBe(42);
  });
});

describe("row-windows: windowed verdict masks", () => {
  const K = 300;
  const rowOf = (runs: [number, number][]): ((k: number) => number) => {
    return (k) => {
      let code = CODE_DENY;
      for (const [first, c] of runs) if (first <= k) code = c;
      return code === CODE_ALLOW ? 1 : code === CODE_OPEN ? 2 : 0;
    };
  };

  it("every class reads its run's verdict, inside and outside the window", () => {
    const w = new RowWindows(K);
    const shapes: [number, number][][] = [
      [[0, CODE_ALLOW]],
      [[0, CODE_DENY]],
      [
        [0, CODE_OPEN],
        [70, CODE_ALLOW],
        [71, CODE_DENY],
        [130, CODE_OPEN],
      ],
      [
        [0, CODE_ALLOW],
        [31, CODE_DENY],
        [33, CODE_ALLOW],
        [250, CODE_OPEN],
        [299, CODE_ALLOW],
      ],
    ];
    const ids = shapes.map((runs) => {
      w.begin();
      for (const [first, code] of runs) w.run(first, code);
      return w.end();
    });
    shapes.forEach((runs, i) => {
      const want = rowOf(runs);
      for (let k = 0; k < K; k++) expect(w.bits(ids[i]!, k), `row ${i} class ${k}`).toBe(want(k));
    });
    // The window spans only the words that differ from the default: row 0 has none, row 2 words 2-4.
    expect(w.words.data[ids[0]! + 1]).toBe(0);
    expect([w.words.data[ids[2]!], w.words.data[ids[2]! + 1]]).toEqual([2, 3]);
  });
});
