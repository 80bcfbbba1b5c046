// The memory floor of `allowsIndex` (issue 14): the same number of dependent random reads over
// typed arrays of the table's own sizes, nothing else — no range checks, no head tests, no
// branches on the answer. `allowsIndex` over the same triples, divided by this, is what the query
// costs beyond fetching its data (goal ≤ 1.5).
//
// The arrays are fresh ones of the query view's sizes (`packTable`: records, cells; for the
// hashed view records, slots, row words and same-namespace cells), filled with seeded random
// offsets into the next array, so every dependent read lands anywhere in its array: a table's real
// cells are more clustered than that (hot blocks), so the real query can even beat the floor.
//
// Reads per query, as `PolicyTable.query` and `HashedQuery.query` make them on their common path
// (docs/architecture.md, "The query"):
// * packed: 8 record ints (heads, namespaces, per direction the subject's row and the peer's class:
//   two 64-byte records), then 2 cell words, each at record + record;
// * hashed: 20 record ints, then per direction 8 slot ints (one 32-byte probe window) and a
//   same-namespace cell, then the row's header pair and one mask word at the row the slots give.
import { packTable } from "../src/engine/pack-table.ts";
import type { PolicyTable } from "../src/engine/policy-table.ts";
import { mulberry32 } from "./generate.ts";
import type { IndexTriples } from "./harness.ts";

/** One pass of the floor over the triples (returns a value for the sink), and the sizes it reads. */
export interface MemoryFloor {
  readonly view: "packed" | "hashed";
  readonly sizes: Readonly<Record<string, number>>;
  run(passes: number): number;
}

/** Random ints in [0, bound) into `out` (bound ≥ 1). */
function fill(out: Int32Array, bound: number, seed: number): Int32Array {
  const rng = mulberry32(seed);
  for (let i = 0; i < out.length; i++) out[i] = rng.int(Math.max(1, bound));
  return out;
}

/** The floor for `table`'s view over `triples` (endpoint and port indices from the table). */
export function memoryFloor(table: PolicyTable, triples: IndexTriples): MemoryFloor {
  const packed = packTable(table.ir);
  const { data } = triples;
  const n = data.length;
  const h = packed.hashed;
  if (h === undefined) {
    const C = packed.cells.length;
    const words = packed.words;
    // Record fields: +4/+6 a row base, +8/+10 a class offset; base + offset + word < C.
    const R = fill(new Int32Array(packed.records.length), Math.max(1, (C - words) >> 1), 1);
    const cells = fill(new Int32Array(C), 2 ** 31 - 1, 2);
    return {
      view: "packed",
      sizes: { recordInts: R.length, cellInts: C },
      run(passes: number): number {
        let acc = 0;
        for (let p = 0; p < passes; p++)
          for (let i = 0; i < n; i += 3) {
            const s = data[i]! << 4;
            const d = data[i + 1]! << 4;
            const k = data[i + 2]!;
            const w = k >>> 5;
            const heads = R[s]! ^ R[d]! ^ R[s + 1]! ^ R[d + 1]!;
            const e = cells[R[s + 4]! + R[d + 8]! + w]!;
            const g = cells[R[d + 6]! + R[s + 10]! + w]!;
            acc = (acc + ((((e & g) ^ heads) >>> k) & 1)) | 0;
          }
        return acc;
      },
    };
  }
  const S = h.slots.length;
  const W = h.words.length;
  const SN = h.sn.length;
  // Records: a slot base (< S − 8), and same-namespace offsets (two of them sum below SN).
  const R = fill(new Int32Array(h.records.length), Math.max(1, S - 8), 3);
  const RS = fill(new Int32Array(h.records.length), Math.max(1, SN >> 1), 4);
  // Slots hold row descriptors (< W − 3); same-namespace cells too; words anything.
  const slots = fill(new Int32Array(S), Math.max(1, W - 3), 5);
  const sn = fill(new Int32Array(SN), Math.max(1, W - 3), 6);
  const words = fill(new Int32Array(W), 2 ** 31 - 1, 7);
  return {
    view: "hashed",
    sizes: { recordInts: R.length, slotInts: S, rowWordInts: W, sameNamespaceInts: SN },
    run(passes: number): number {
      let acc = 0;
      for (let p = 0; p < passes; p++)
        for (let i = 0; i < n; i += 3) {
          const s = data[i]! << 4;
          const d = data[i + 1]! << 4;
          const k = data[i + 2]!;
          const heads = R[s]! ^ R[d]! ^ R[s + 1]! ^ R[d + 1]! ^ R[s + 3]! ^ R[s + 4]! ^ R[s + 5]!;
          const more = R[d + 7]! ^ R[d + 8]! ^ R[d + 9]! ^ R[d + 10]! ^ R[s + 11]!;
          // Per direction: the probe window at the subject's descriptor and the same-namespace cell
          // (in parallel), then the row they select (arithmetically, as the query does): its header
          // pair and a mask word.
          const a = R[s + 2]!;
          const eOthers =
            slots[a]! ^ slots[a + 2]! ^ slots[a + 3]! ^ slots[a + 4]! ^ slots[a + 5]! ^ slots[a + 6]!;
          const eSlot = slots[a + 1]! ^ ((slots[a + 1]! ^ slots[a + 7]!) & -(eOthers & 1));
          const eSn = sn[RS[s + 12]! + RS[d + 13]!]!;
          const er = eSlot ^ ((eSlot ^ eSn) & -((eOthers ^ heads) & 1));
          const eWord = words[er]! ^ words[er + 1]! ^ words[er + 2]!;
          const b = R[d + 6]!;
          const iOthers =
            slots[b]! ^ slots[b + 2]! ^ slots[b + 3]! ^ slots[b + 4]! ^ slots[b + 5]! ^ slots[b + 6]!;
          const iSlot = slots[b + 1]! ^ ((slots[b + 1]! ^ slots[b + 7]!) & -(iOthers & 1));
          const iSn = sn[RS[d + 14]! + RS[s + 15]!]!;
          const ir = iSlot ^ ((iSlot ^ iSn) & -((iOthers ^ more) & 1));
          const iWord = words[ir]! ^ words[ir + 1]! ^ words[ir + 2]!;
          acc = (acc + ((((eWord & iWord) ^ heads ^ more) >>> k) & 1)) | 0;
        }
      return acc;
    },
  };
}
