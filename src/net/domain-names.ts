// ClusterNetworkPolicy `domainNames` patterns (network-policy-api v1alpha2, `DomainName`): a fully
// qualified name, or `*.` followed by one, where `*` stands for one or more labels — never for
// none, so `*.example.com` does not match `example.com` itself. Names compare case-insensitively;
// a trailing dot (the DNS root) is ignored.

const canonical = (name: string): string => (name.endsWith(".") ? name.slice(0, -1) : name).toLowerCase();

/**
 * Whether `name` (a DNS name an address has) matches the `domainNames` pattern `pattern`.
 *
 * @example
 * domainNameMatches("*.example.com", "api.eu.example.com"); // true
 * domainNameMatches("*.example.com", "example.com"); // false (the apex is not a match)
 * domainNameMatches("example.com", "EXAMPLE.com."); // true
 */
export function domainNameMatches(pattern: string, name: string): boolean {
  const n = canonical(name);
  const p = canonical(pattern);
  if (!p.startsWith("*.")) return n === p;
  const suffix = p.slice(1); // ".example.com"
  return n.length > suffix.length && n.endsWith(suffix) && !n.startsWith(".");
}

/** Whether one of `names` matches one of `patterns`. */
export function anyDomainNameMatches(patterns: readonly string[], names: readonly string[]): boolean {
  return patterns.some((p) => names.some((n) => domainNameMatches(p, n)));
}
