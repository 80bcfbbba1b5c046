import { describe, expect, it } from "vitest";
import { anyDomainNameMatches, domainNameMatches } from "../../src/net/domain-names.ts";

describe("domainNames patterns (network-policy-api v1alpha2 DomainName)", () => {
  it.each([
    ["example.com", "example.com", true],
    ["example.com", "EXAMPLE.com.", true],
    ["example.com", "api.example.com", false],
    ["*.example.com", "api.example.com", true],
    ["*.example.com", "a.b.example.com", true], // `*` is one or more labels
    ["*.example.com", "example.com", false], // never the apex
    ["*.example.com", "badexample.com", false],
    ["*.example.com", ".example.com", false],
    ["*.Example.COM", "x.example.com", true],
  ] as const)("%s vs %s → %s", (pattern, name, want) => {
    expect(domainNameMatches(pattern, name)).toBe(want);
  });
  it("any of several", () => {
    expect(anyDomainNameMatches(["db.internal", "*.example.com"], ["other.org", "x.example.com"])).toBe(true);
    expect(anyDomainNameMatches(["db.internal"], [])).toBe(false);
  });
});
