// src/net/ip.ts: parsing (IPv4 incl. the legacy leading-zero form, IPv6 incl. an embedded IPv4
// tail), RFC 5952 canonical output, and what is rejected.
import { describe, expect, it } from "vitest";
import { familyBits, formatIP, normalizeIP, parseIP, parseIPv4Number } from "../../src/net/ip.ts";

describe("parseIP: IPv4", () => {
  it.each([
    ["0.0.0.0", 0n],
    ["10.0.0.1", 0x0a000001n],
    ["255.255.255.255", 0xffffffffn],
    ["192.168.1.2", 0xc0a80102n],
    // Legacy leading zeros are decimal, never octal: 010 is ten, not eight.
    ["010.0.0.1", 0x0a000001n],
    // Any number of leading zeros, read as decimal: Go's pre-1.17 parser (k8s.io/utils ParseIPSloppy).
    ["0010.0.0.1", 0x0a000001n],
    ["0000000010.000.000.001", 0x0a000001n],
    ["010.008.000.009", 0x0a080009n],
    ["0.0.0.00", 0n],
  ])("%s", (text, value) => {
    expect(parseIP(text)).toEqual({ family: 4, value });
  });

  it.each([
    ["empty", ""],
    ["octet over 255", "256.0.0.1"],
    ["last octet over 255", "1.2.3.256"],
    ["three parts", "1.2.3"],
    ["five parts", "1.2.3.4.5"],
    ["empty part", "1..2.3"],
    ["trailing dot", "1.2.3.4."],
    ["leading dot", ".1.2.3.4"],
    // Leading zeros are allowed in any number, but the value must stay ≤ 255 (Go's pre-1.17 parser).
    ["four digits over 255", "0256.0.0.1"],
    ["many digits", "1000000000000000000000.0.0.1"],
    ["sign", "+1.2.3.4"],
    ["negative", "-1.2.3.4"],
    ["space", " 1.2.3.4"],
    ["trailing space", "1.2.3.4 "],
    ["hex octet", "0x1.2.3.4"],
    ["a single number", "16909060"],
    ["CIDR", "10.0.0.0/8"],
    ["letters", "a.b.c.d"],
  ])("rejects %s (%j)", (_name, text) => {
    expect(parseIP(text)).toBeUndefined();
  });
});

describe("parseIPv4Number", () => {
  it.each([
    ["0.0.0.0", 0],
    ["10.0.0.1", 0x0a000001],
    ["255.255.255.255", 0xffffffff],
    ["010.0.0.1", 0x0a000001],
  ])("%s", (text, n) => {
    expect(parseIPv4Number(text)).toBe(n);
  });

  it.each(["", "256.0.0.1", "1.2.3", "1.2.3.4.5", "::1", "::ffff:1.2.3.4", "1.2.3.4 ", "0256.0.0.1"])(
    "%j is -1",
    (text) => {
      expect(parseIPv4Number(text)).toBe(-1);
    },
  );

  it("agrees with parseIP on IPv4", () => {
    for (const text of ["1.2.3.4", "010.0.0.1", "255.0.255.0", "1.2.3", "300.1.1.1"]) {
      const ip = parseIP(text);
      expect(parseIPv4Number(text)).toBe(ip === undefined ? -1 : Number(ip.value));
    }
  });
});

describe("parseIP: IPv6", () => {
  it.each([
    ["::", 0n],
    ["::1", 1n],
    ["1::", 1n << 112n],
    ["1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004_0005_0006_0007_0008n],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", 0x2001_0db8_0000_0000_0000_0000_0000_0001n],
    ["2001:DB8::1", 0x2001_0db8_0000_0000_0000_0000_0000_0001n],
    ["FFFF:ffff:FfFf:ffff:ffff:ffff:ffff:ffff", (1n << 128n) - 1n],
    // "::" may stand for a single zero group.
    ["1::3:4:5:6:7:8", 0x0001_0000_0003_0004_0005_0006_0007_0008n],
    ["1:2:3:4:5:6:7::", 0x0001_0002_0003_0004_0005_0006_0007_0000n],
    ["::2:3:4:5:6:7:8", 0x0000_0002_0003_0004_0005_0006_0007_0008n],
    // Embedded IPv4 tail: the last 32 bits. IPv4-mapped stays IPv6 (docs/decisions.md #21).
    ["::ffff:1.2.3.4", 0xffff_0102_0304n],
    ["::1.2.3.4", 0x0102_0304n],
    ["1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004_0005_0006_0102_0304n],
    ["64:ff9b::192.0.2.33", 0x0064_ff9b_0000_0000_0000_0000_c000_0221n],
  ])("%s", (text, value) => {
    expect(parseIP(text)).toEqual({ family: 6, value });
  });

  it.each([
    ["triple colon", "1:::2"],
    ["two ellipses", "1::2::3"],
    [":::", ":::"],
    ["zone id", "fe80::1%eth0"],
    ["zone id on ::", "::%1"],
    ["seven groups", "1:2:3:4:5:6:7"],
    ["nine groups", "1:2:3:4:5:6:7:8:9"],
    ["ellipsis with eight groups", "1::2:3:4:5:6:7:8"],
    ["ellipsis with eight groups (trailing)", "1:2:3:4:5:6:7:8::"],
    ["leading single colon", ":1:2:3:4:5:6:7"],
    ["trailing single colon", "1:2:3:4:5:6:7:"],
    ["five hex digits", "12345::"],
    ["non-hex", "g::1"],
    ["empty group", "1:2:3::4:5:6:7:"],
    ["bad IPv4 tail", "::ffff:256.1.1.1"],
    ["short IPv4 tail", "::ffff:1.2.3"],
    ["IPv4 tail not last", "::1.2.3.4:1"],
    ["IPv4 tail making nine groups", "1:2:3:4:5:6:7:1.2.3.4"],
    ["IPv4 tail with an ellipsis for zero groups", "1:2:3:4:5:6::1.2.3.4"],
    ["bracketed", "[::1]"],
    ["CIDR", "::/0"],
    ["far too long", `${"0:".repeat(100)}0`],
  ])("rejects %s (%j)", (_name, text) => {
    expect(parseIP(text)).toBeUndefined();
  });

  it("accepts the longest legitimate spelling (45 characters)", () => {
    const text = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
    expect(text).toHaveLength(45);
    expect(parseIP(text)).toEqual({ family: 6, value: (1n << 128n) - 1n });
  });

  it("rejects non-strings without throwing", () => {
    expect(parseIP(undefined as unknown as string)).toBeUndefined();
    expect(parseIP(12 as unknown as string)).toBeUndefined();
  });
});

describe("formatIP", () => {
  const v6 = (value: bigint) => formatIP({ family: 6, value });

  it("IPv4 as a dotted quad (no leading zeros)", () => {
    expect(formatIP({ family: 4, value: 0x0a000001n })).toBe("10.0.0.1");
    expect(formatIP({ family: 4, value: 0xffffffffn })).toBe("255.255.255.255");
    expect(formatIP({ family: 4, value: 0n })).toBe("0.0.0.0");
  });

  it.each([
    ["all zeros", 0n, "::"],
    ["loopback", 1n, "::1"],
    ["trailing run", 1n << 112n, "1::"],
    ["lowercase, leading zeros dropped", 0x2001_0db8_0000_0000_0000_0000_0000_0001n, "2001:db8::1"],
    ["no zero group", 0x0001_0002_0003_0004_0005_0006_0007_0008n, "1:2:3:4:5:6:7:8"],
    // RFC 5952 §4.2.2: a single zero group is never shortened to "::".
    ["single zero group", 0x0001_0000_0003_0004_0005_0006_0007_0008n, "1:0:3:4:5:6:7:8"],
    ["single zero groups, twice", 0x0001_0000_0003_0000_0005_0006_0007_0008n, "1:0:3:0:5:6:7:8"],
    // §4.2.3: the longest run is shortened ...
    ["longest run wins", 0x0001_0000_0000_0004_0000_0000_0000_0008n, "1:0:0:4::8"],
    // ... and the first one when two runs are equally long.
    ["first on tie", 0x0001_0000_0000_0004_0005_0000_0000_0008n, "1::4:5:0:0:8"],
    ["first on tie, at the start", 0x0000_0000_0003_0004_0005_0006_0000_0000n, "::3:4:5:6:0:0"],
    ["two-group run", 0x2001_0db8_0000_0000_0001_0000_0000_0001n, "2001:db8::1:0:0:1"],
    ["all ones", (1n << 128n) - 1n, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
  ])("%s", (_name, value, text) => {
    expect(v6(value)).toBe(text);
  });
});

describe("normalizeIP", () => {
  it.each([
    ["10.0.0.1", "10.0.0.1"],
    ["010.0.0.1", "10.0.0.1"],
    ["001.002.003.004", "1.2.3.4"],
    ["::", "::"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["1::", "1::"],
    ["::1", "::1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:DB8::1", "2001:db8::1"],
    ["1:0:0:4:0:0:0:8", "1:0:0:4::8"],
    ["1:0:0:4:5:0:0:8", "1::4:5:0:0:8"],
    ["1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"],
    ["1::3:4:5:6:7:8", "1:0:3:4:5:6:7:8"],
    // IPv4-mapped stays IPv6 (docs/decisions.md #21): not unwrapped to "1.2.3.4", and printed in
    // RFC 5952 §5's mixed notation, whatever form it was written in.
    ["::ffff:1.2.3.4", "::ffff:1.2.3.4"],
    ["::FFFF:10.0.0.1", "::ffff:10.0.0.1"],
    ["::ffff:a00:1", "::ffff:10.0.0.1"],
    ["0:0:0:0:0:ffff:0:0", "::ffff:0.0.0.0"],
    ["::fffe:a00:1", "::fffe:a00:1"],
  ])("%s → %s", (text, canonical) => {
    expect(normalizeIP(text)).toBe(canonical);
  });

  it.each(["", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1:::2", "1::2::3", "fe80::1%eth0", "::ffff:1.2.3"])(
    "%j is undefined",
    (text) => {
      expect(normalizeIP(text)).toBeUndefined();
    },
  );

  it("is idempotent and family-preserving", () => {
    for (const text of ["010.0.0.1", "2001:DB8::0:1", "::ffff:1.2.3.4", "1:0:0:4:5:0:0:8", "::"]) {
      const once = normalizeIP(text)!;
      expect(normalizeIP(once)).toBe(once);
      expect(parseIP(once)).toEqual(parseIP(text));
    }
  });
});

describe("familyBits", () => {
  it("32 and 128", () => {
    expect(familyBits(4)).toBe(32);
    expect(familyBits(6)).toBe(128);
  });
});
