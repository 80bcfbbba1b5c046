import { describe, expect, it } from "vitest";
import {
  dns1123LabelError,
  dns1123SubdomainError,
  labelValueError,
  portNameError,
  portNumberError,
  qualifiedNameError,
} from "../../src/io/name-validation.ts";

const valid = (f: (s: string) => string | undefined, s: string) => f(s) === undefined;

describe("apimachinery name rules", () => {
  it.each([
    [
      dns1123LabelError,
      ["a", "a-b", "0a", "a".repeat(63)],
      ["", "A", "a.b", "-a", "a-", "a_b", "a".repeat(64)],
    ],
    [
      dns1123SubdomainError,
      ["a", "a.b", "a-b.c0", `${"a".repeat(63)}.${"b".repeat(63)}`],
      ["", "a..b", ".a", "a.", "A.b", "a".repeat(254)],
    ],
    [
      qualifiedNameError,
      ["a", "A_b.c", "x.io/A", "kubernetes.io/metadata.name"],
      ["", "_a", "a_", "/a", "a/", "a/b/c", "X.io/a", "__proto__"],
    ],
    [labelValueError, ["", "a", "A.b_c-d", "v".repeat(63)], ["-a", "a-", "a b", "v".repeat(64)]],
    [
      portNameError,
      ["http", "h2", "a-b", "web-8080", "a".repeat(15)],
      ["", "80", "HTTP", "a--b", "-a", "a-", "a_b", "a".repeat(16)],
    ],
  ] as const)("%o", (f, good, bad) => {
    for (const s of good) expect(valid(f, s), `${s} should be valid`).toBe(true);
    for (const s of bad) expect(valid(f, s), `${s} should be invalid`).toBe(false);
  });

  it("port numbers 1–65535, integers only", () => {
    expect([1, 80, 65535].map(portNumberError)).toEqual([undefined, undefined, undefined]);
    expect([0, -1, 65536, 1.5].every((p) => portNumberError(p) !== undefined)).toBe(true);
  });

  it('an all-digit port name gets the "write it unquoted" hint', () => {
    expect(portNameError("8080")).toContain("without quotes");
  });
});
