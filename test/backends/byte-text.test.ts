// ByteText (src/backends/shared/byte-text.ts): the bytes written decode to exactly the text the
// same writes make as strings — ASCII and not, numbers and hex fields — across chunk boundaries.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { ByteText } from "../../src/backends/shared/byte-text.ts";

const hex = (n: number): string => (n & 0xff).toString(16).padStart(2, "0");
type Op = [string, (w: ByteText) => unknown, string];

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 3000 }).map((s): Op => ["str", (w) => w.str(s), s]),
  fc.string({ maxLength: 20 }).map((s): Op => ["json", (w) => w.json(s), JSON.stringify(s)]),
  fc.nat().map((n): Op => ["dec", (w) => w.dec(n), `${n}`]),
  fc.integer({ min: 0, max: 255 }).map((n): Op => ["hex8", (w) => w.hex8(n), hex(n)]),
  fc
    .integer({ min: 0, max: 0xffffffff })
    .map((n): Op => ["le32", (w) => w.le32(n), [n, n >>> 8, n >>> 16, n >>> 24].map(hex).join(" ")]),
  fc
    .integer({ min: 0, max: 0xffffffff })
    .map((n): Op => ["be32", (w) => w.be32(n), [n >>> 24, n >>> 16, n >>> 8, n].map(hex).join(" ")]),
  fc.integer({ min: 0, max: 0xffff }).map((n): Op => ["be16", (w) => w.be16(n), `${hex(n >>> 8)} ${hex(n)}`]),
  fc.constant<Op>(["sp", (w) => w.sp(), " "]),
  fc.constant<Op>(["nl", (w) => w.nl(), "\n"]),
);

test.prop([fc.array(op, { maxLength: 300 })], { numRuns: 40 })(
  "text() is the writes' text, in order, whatever they are",
  (ops) => {
    const w = new ByteText();
    for (const [, write] of ops) write(w);
    expect(w.text()).toBe(ops.map(([, , text]) => text).join(""));
  },
);

test.prop([fc.array(op, { maxLength: 100 }), fc.array(op, { maxLength: 100 })], { numRuns: 30 })(
  "append adds another writer's bytes, and leaves it as it is",
  (a, b) => {
    const w = new ByteText();
    const v = new ByteText();
    for (const [, write] of a) write(w);
    for (const [, write] of b) write(v);
    w.append(v).append(v);
    const vt = b.map(([, , text]) => text).join("");
    expect(w.text()).toBe(a.map(([, , text]) => text).join("") + vt + vt);
    expect(v.text()).toBe(vt);
  },
);

describe("edge cases", () => {
  it("a writer appended to itself doubles what it held, over several chunks too", () => {
    for (const n of [3, 40_000]) {
      const w = new ByteText(16);
      w.str("abc");
      for (let i = 0; i < n; i++) w.str("xy");
      const once = `abc${"xy".repeat(n)}`;
      expect(w.append(w).text()).toBe(once + once);
    }
  });
  it("dec writes any number as a template does; a leading U+FEFF stays", () => {
    for (const v of [0, 9, 10, 99, 100, 101, 4294967295, 4294967296, 2 ** 53, -1, -10, 0.5, 12.5, Number.NaN])
      expect(new ByteText().dec(v).text()).toBe(`${v}`);
    expect(new ByteText().str("\ufeffhi").text()).toBe("\ufeffhi");
  });
});

describe("buffer growth", () => {
  it("a multi-byte character across the buffer growth is kept whole", () => {
    for (const pad of [65534, 65535, 65536, 65537]) {
      const w = new ByteText();
      const text = `${"a".repeat(pad)}é€😀${"b".repeat(70000)}ü`;
      w.str(text);
      expect(w.text()).toBe(text);
      const v = new ByteText();
      v.str("a".repeat(pad)).str("€").dec(1234567).str("😀");
      expect(v.text()).toBe(`${"a".repeat(pad)}€1234567😀`);
    }
  });
});
