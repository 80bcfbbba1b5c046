// TextWriter (src/backends/shared/text-writer.ts): the text written comes back exactly — ASCII and
// not, short pieces and long ones — across its flushes and chunk boundaries, and appended whole.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { TextWriter } from "../../src/backends/shared/text-writer.ts";

type Op = [(w: TextWriter) => unknown, string];

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }).map((s): Op => [(w) => w.str(s), s]),
  fc.string({ unit: "binary", maxLength: 9000 }).map((s): Op => [(w) => w.str(s), s]),
  fc.constant<Op>([(w) => w.sp(), " "]),
  fc.constant<Op>([(w) => w.nl(), "\n"]),
);
const textOf = (ops: readonly Op[]): string => ops.map(([, t]) => t).join("");
// Lone surrogates are written as U+FFFD, as TextEncoder writes them.
const wellFormed = (s: string): string => new TextDecoder().decode(new TextEncoder().encode(s));

test.prop([fc.array(op, { maxLength: 300 })], { numRuns: 40 })(
  "text() is the writes' text, in order, and length its UTF-8 bytes",
  (ops) => {
    const w = new TextWriter();
    for (const [write] of ops) write(w);
    const want = wellFormed(textOf(ops));
    expect(w.length).toBe(new TextEncoder().encode(want).length);
    expect(w.text()).toBe(want);
  },
);

test.prop([fc.array(op, { maxLength: 100 }), fc.array(op, { maxLength: 100 })], { numRuns: 30 })(
  "append adds another writer's text, and leaves it as it is",
  (a, b) => {
    const w = new TextWriter();
    const v = new TextWriter();
    for (const [write] of a) write(w);
    for (const [write] of b) write(v);
    w.append(v).append(v);
    const vt = wellFormed(textOf(b));
    expect(w.text()).toBe(wellFormed(textOf(a)) + vt + vt);
    expect(v.text()).toBe(vt);
  },
);

describe("edge cases", () => {
  it("a writer appended to itself doubles what it held, over several chunks too", () => {
    for (const n of [3, 100_000]) {
      const w = new TextWriter(16);
      w.str("abc");
      for (let i = 0; i < n; i++) w.str("xy");
      const once = `abc${"xy".repeat(n)}`;
      expect(w.append(w).text()).toBe(once + once);
    }
  });
  it("a piece longer than a chunk, and multi-byte characters at a chunk's end, come back whole", () => {
    const w = new TextWriter();
    const long = "é€😀".repeat(50_000);
    w.str("a".repeat(65_535)).str(long).str("\uFEFFz");
    expect(w.text()).toBe(`${"a".repeat(65_535)}${long}\uFEFFz`);
  });
  it("a surrogate pair written in two pieces stays one character, where a flush falls between them", () => {
    const w = new TextWriter();
    w.str(`${"a".repeat(4095)}\ud83d`).str("\ude00b");
    expect(w.text()).toBe(`${"a".repeat(4095)}😀b`);
  });
  it("a leading U+FEFF is text", () => {
    expect(new TextWriter().str("\uFEFF-A x").text()).toBe("\uFEFF-A x");
  });
});
