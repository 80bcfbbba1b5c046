// src/net/cidr.ts: parsing (host bits cleared, prefix bounds), canonical text, containment and the
// strict-subset relation, across both families.
import { describe, expect, it } from "vitest";
import {
  type CIDR,
  cidrContains,
  formatCIDR,
  isStrictSubset,
  normalizeCIDR,
  parseCIDR,
} from "../../src/net/cidr.ts";
import { type IPAddress, parseIP } from "../../src/net/ip.ts";

const cidr = (text: string): CIDR => {
  const c = parseCIDR(text);
  if (c === undefined) throw new Error(`test bug: ${text} is not a CIDR`);
  return c;
};
const ip = (text: string): IPAddress => {
  const a = parseIP(text);
  if (a === undefined) throw new Error(`test bug: ${text} is not an IP`);
  return a;
};
const ALL6 = (1n << 128n) - 1n;

describe("parseCIDR", () => {
  it.each([
    ["10.0.0.0/24", { family: 4, prefix: 24, first: 0x0a000000n, last: 0x0a0000ffn }],
    // Host bits cleared: the legacy spelling of 10.0.0.0/24.
    ["10.0.0.1/24", { family: 4, prefix: 24, first: 0x0a000000n, last: 0x0a0000ffn }],
    ["10.1.2.3/8", { family: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn }],
    ["1.2.3.4/0", { family: 4, prefix: 0, first: 0n, last: 0xffffffffn }],
    ["1.2.3.4/32", { family: 4, prefix: 32, first: 0x01020304n, last: 0x01020304n }],
    ["010.0.0.1/31", { family: 4, prefix: 31, first: 0x0a000000n, last: 0x0a000001n }],
    ["::/0", { family: 6, prefix: 0, first: 0n, last: ALL6 }],
    ["::1/128", { family: 6, prefix: 128, first: 1n, last: 1n }],
    [
      "2001:db8::1/32",
      { family: 6, prefix: 32, first: 0x2001_0db8n << 96n, last: (0x2001_0db8n << 96n) | ((1n << 96n) - 1n) },
    ],
    ["::ffff:1.2.3.4/120", { family: 6, prefix: 120, first: 0xffff_0102_0300n, last: 0xffff_0102_03ffn }],
  ])("%s", (text, expected) => {
    expect(parseCIDR(text)).toEqual(expected);
  });

  it.each([
    ["IPv4 prefix over 32", "10.0.0.0/33"],
    ["IPv6 prefix over 128", "::/129"],
    ["negative prefix", "10.0.0.0/-1"],
    ["plus sign", "10.0.0.0/+8"],
    ["empty prefix", "10.0.0.0/"],
    ["no prefix", "10.0.0.0"],
    ["prefix over 128", "::/0129"],
    ["space in prefix", "10.0.0.0/ 8"],
    ["trailing space", "10.0.0.0/8 "],
    ["hex prefix", "10.0.0.0/0x8"],
    ["two slashes", "10.0.0.0/8/8"],
    ["bad address", "256.0.0.0/8"],
    ["no address", "/8"],
    ["zone id", "fe80::%eth0/64"],
    ["IPv4 mask form", "10.0.0.0/255.0.0.0"],
    ["empty", ""],
    ["too long", `${"0:".repeat(30)}0/64`],
  ])("rejects %s (%j)", (_name, text) => {
    expect(parseCIDR(text)).toBeUndefined();
  });

  it("accepts a prefix with leading zeros (`/08`, `/008`, `/0008` are 8)", () => {
    // The legacy form Kubernetes keeps on old objects, like the leading-zero IPv4 octets: decimal,
    // any number of leading zeros, as Go's pre-1.17 ParseCIDR (k8s.io/utils ParseCIDRSloppy) reads it.
    expect(parseCIDR("10.0.0.0/08")).toEqual(cidr("10.0.0.0/8"));
    expect(parseCIDR("10.0.0.0/008")).toEqual(cidr("10.0.0.0/8"));
    expect(parseCIDR("10.0.0.0/0008")).toEqual(cidr("10.0.0.0/8"));
    expect(parseCIDR("0010.0.0.0/0000000008")).toEqual(cidr("10.0.0.0/8"));
    expect(parseCIDR("::/00")).toEqual(cidr("::/0"));
    expect(parseCIDR("::/0128")).toEqual(cidr("::/128"));
    expect(parseCIDR("10.0.0.0/0033")).toBeUndefined();
    expect(normalizeCIDR("10.0.0.0/08")).toBe("10.0.0.0/8");
  });

  it("rejects non-strings without throwing", () => {
    expect(parseCIDR(undefined as unknown as string)).toBeUndefined();
    expect(parseCIDR(8 as unknown as string)).toBeUndefined();
  });
});

describe("formatCIDR / normalizeCIDR", () => {
  it.each([
    ["10.0.0.1/24", "10.0.0.0/24"],
    ["10.255.255.255/8", "10.0.0.0/8"],
    ["192.168.1.130/25", "192.168.1.128/25"],
    ["1.2.3.4/0", "0.0.0.0/0"],
    ["1.2.3.4/32", "1.2.3.4/32"],
    ["010.0.0.1/32", "10.0.0.1/32"],
    ["::/0", "::/0"],
    ["2001:DB8::1/32", "2001:db8::/32"],
    ["2001:db8:0:0:1::/64", "2001:db8::/64"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001/128", "2001:db8::1/128"],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/1", "8000::/1"],
    ["::ffff:10.0.0.1/104", "::ffff:10.0.0.0/104"],
  ])("%s → %s", (text, canonical) => {
    expect(normalizeCIDR(text)).toBe(canonical);
    expect(formatCIDR(cidr(text))).toBe(canonical);
  });

  it.each(["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0", "", "1.2.3/8"])("%j is undefined", (text) => {
    expect(normalizeCIDR(text)).toBeUndefined();
  });

  it("is idempotent", () => {
    for (const text of ["10.0.0.1/24", "2001:DB8::1/32", "::ffff:1.2.3.4/120", "0.0.0.0/0"]) {
      const once = normalizeCIDR(text)!;
      expect(normalizeCIDR(once)).toBe(once);
    }
  });
});

describe("cidrContains", () => {
  it.each([
    ["10.0.0.0/24", "10.0.0.0", true],
    ["10.0.0.0/24", "10.0.0.255", true],
    ["10.0.0.0/24", "10.0.1.0", false],
    ["10.0.0.0/24", "9.255.255.255", false],
    ["0.0.0.0/0", "255.255.255.255", true],
    ["1.2.3.4/32", "1.2.3.4", true],
    ["1.2.3.4/32", "1.2.3.5", false],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::", false],
    ["::1/128", "::1", true],
    // Across families: never, not even for /0 or an IPv4-mapped address (docs/decisions.md #21).
    ["0.0.0.0/0", "::", false],
    ["0.0.0.0/0", "::ffff:10.0.0.1", false],
    ["10.0.0.0/8", "::ffff:10.0.0.1", false],
    ["::/0", "10.0.0.1", false],
    ["::ffff:0:0/96", "10.0.0.1", false],
    ["::ffff:0:0/96", "::ffff:10.0.0.1", true],
  ])("%s ∋ %s: %s", (c, a, expected) => {
    expect(cidrContains(cidr(c), ip(a))).toBe(expected);
  });
});

describe("isStrictSubset", () => {
  it.each([
    ["10.0.1.0/24", "10.0.0.0/16", true],
    ["10.0.0.0/32", "10.0.0.0/31", true],
    ["10.0.0.1/32", "10.0.0.0/31", true],
    ["10.0.0.0/8", "0.0.0.0/0", true],
    // Equal is not strict, even spelled differently.
    ["10.0.0.0/24", "10.0.0.0/24", false],
    ["10.0.0.1/24", "10.0.0.0/24", false],
    ["0.0.0.0/0", "0.0.0.0/0", false],
    // The other way round, and disjoint.
    ["10.0.0.0/16", "10.0.1.0/24", false],
    ["10.0.0.0/24", "10.0.1.0/24", false],
    ["11.0.0.0/8", "10.0.0.0/8", false],
    ["2001:db8:1::/48", "2001:db8::/32", true],
    ["2001:db8::/32", "2001:db8::/32", false],
    ["::/0", "::/0", false],
    // The other family never, whatever the numbers.
    ["10.0.0.0/8", "::/0", false],
    ["::/128", "0.0.0.0/0", false],
    ["::a00:0/104", "10.0.0.0/8", false],
    ["::ffff:10.0.0.0/120", "10.0.0.0/8", false],
  ])("%s ⊂ %s: %s", (inner, outer, expected) => {
    expect(isStrictSubset(cidr(inner), cidr(outer))).toBe(expected);
  });
});
