// Regression: the iptables backend appended a whole cluster's rules with `push(...rules)`, which
// overflows the call stack past ~10⁵ items (L-real, M-admin: RangeError). `appendAll` loops.
import { describe, expect, it } from "vitest";
import { appendAll } from "../../src/backends/shared/append.ts";

describe("appendAll", () => {
  it("appends more items than a spread call can pass, in order", () => {
    const items = Array.from({ length: 1_000_000 }, (_, i) => `r${i}`);
    expect(() => [].push(...(items as never[]))).toThrow(RangeError); // what the backend did
    const out = appendAll(["head"], items);
    expect(out.length).toBe(1_000_001);
    expect(out[0]).toBe("head");
    expect(out[1]).toBe("r0");
    expect(out[1_000_000]).toBe("r999999");
  });
});
