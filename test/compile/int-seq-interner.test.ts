import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntSeqInterner } from "../../src/compile/int-seq-interner.ts";

describe("IntSeqInterner", () => {
  it("numbers distinct sequences densely in order of first appearance", () => {
    const t = new IntSeqInterner();
    expect(t.internList([])).toBe(0);
    expect(t.internList([1, 2])).toBe(1);
    expect(t.internList([2, 1])).toBe(2);
    expect(t.internList([1, 2])).toBe(1);
    expect(t.internList([])).toBe(0);
    t.push(1);
    expect(t.internList([2])).toBe(1); // pending elements come first
    expect(t.size).toBe(3);
    expect(t.toArray(2)).toEqual([2, 1]);
    expect(t.length(1)).toBe(2);
    expect(t.at(2, 1)).toBe(1);
    expect(Array.from(t.concat())).toEqual([1, 2, 2, 1]);
  });

  it("discard drops the pending sequence", () => {
    const t = new IntSeqInterner();
    t.push(7);
    expect(t.pending).toBe(1);
    t.discard();
    expect(t.internList([8])).toBe(0);
    expect(t.toArray(0)).toEqual([8]);
  });

  it("agrees with a Map over joined keys, through growth and collisions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 6 }), { maxLength: 400 }),
        (seqs) => {
          const t = new IntSeqInterner();
          const ref = new Map<string, number>();
          for (const s of seqs) {
            const key = s.join(",");
            if (!ref.has(key)) ref.set(key, ref.size);
            expect(t.internList(s)).toBe(ref.get(key));
          }
          expect(t.size).toBe(ref.size);
          for (const [key, id] of ref) expect(t.toArray(id).join(",")).toBe(key);
        },
      ),
    );
  });

  it("keeps thousands of long sequences apart", () => {
    const t = new IntSeqInterner();
    for (let i = 0; i < 5000; i++) expect(t.internList([i, i * 7, -i, 0, i % 13])).toBe(i);
    for (let i = 0; i < 5000; i++) expect(t.internList([i, i * 7, -i, 0, i % 13])).toBe(i);
  });
});
