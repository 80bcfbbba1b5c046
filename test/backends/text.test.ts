// The rendering text helpers every backend writes names and comments with (src/backends/shared/text.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitizeComment, shortName, stableHash } from "../../src/backends/shared/text.ts";

/** Strings rich in the characters that matter: quotes, backslashes, comment markers, non-ASCII. */
const hostile = fc
  .array(fc.constantFrom("a", "Z", "0", " ", '"', "\\", "`", "*", "/", "\n", "é", "\u0000", "'", "-"), {
    maxLength: 300,
  })
  .map((cs) => cs.join(""));
const text = fc.oneof(hostile, fc.string({ maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 50 }));

describe("sanitizeComment", () => {
  it("is printable ASCII without quotes, backslashes or comment markers, within max", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 250 }), (t, max) => {
        const s = sanitizeComment(t, max);
        expect(s.length).toBeLessThanOrEqual(max);
        expect(s).toMatch(/^[\x20-\x7e]*$/);
        expect(s).not.toMatch(/["\\`]|\*\/|\/\*/);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves safe text as it is, and marks a cut with an ellipsis", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 .:,()-]{0,120}$/), (t) => {
        expect(sanitizeComment(t)).toBe(t);
      }),
    );
    expect(sanitizeComment("x".repeat(130))).toBe(`${"x".repeat(117)}...`);
    expect(sanitizeComment('a "b" /* c */ `d` \\e')).toBe("a 'b' / * c * / 'd' 'e");
  });
});

describe("shortName", () => {
  it("keeps clean keys that fit, and hashes the rest into [A-Za-z0-9_-] within max", () => {
    expect(shortName("np-", "g12", 31)).toBe("np-g12");
    fc.assert(
      fc.property(text, fc.integer({ min: 12, max: 40 }), (key, max) => {
        const n = shortName("np4-", key, max);
        expect(n.length).toBeLessThanOrEqual(max);
        expect(n).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(shortName("np4-", key, max)).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives distinct keys distinct names (a cleaned or cut key carries its hash)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(text, { minLength: 2, maxLength: 20 }), (keys) => {
        const names = keys.map((k) => shortName("np4-", k, 31));
        expect(new Set(names).size).toBe(keys.length);
      }),
      { numRuns: 500 },
    );
    expect(stableHash("abc")).toMatch(/^[0-9a-z]{7}$/);
  });
});
