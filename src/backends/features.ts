// What a compiled table uses, feature by feature, with the rules (or objects) that use it — the
// evidence an `UnsupportedFeatureError` names.
import {
  ACTION_DENY,
  EGRESS,
  INGRESS,
  type IRRule,
  type PolicyTableIR,
  TIER_NETWORK_POLICY,
} from "../ir/policy-table-ir.ts";
import { sharedAddresses } from "../ir/read-render.ts";
import type { Feature } from "./contract.ts";

/** A rule as people name it: `NetworkPolicy ns/name spec.ingress[0]`, `ClusterNetworkPolicy x spec.egress[1] "name"`. */
export function ruleLabel(ir: PolicyTableIR, direction: number, rule: IRRule): string {
  const field = `spec.${direction === EGRESS ? "egress" : "ingress"}[${rule.index}]`;
  if (rule.tier === TIER_NETWORK_POLICY) return `NetworkPolicy ${ir.policies[rule.policy]} ${field}`;
  const p = ir.clusterPolicies[rule.policy]!;
  return `${p.kind} ${p.name} ${field}${rule.name === undefined ? "" : ` "${rule.name}"`}`;
}

/** The features the table uses, each with up to `limit` examples (rules, pods, addresses) and their count. */
export function usedFeatures(
  ir: PolicyTableIR,
  node: string | undefined,
  limit = 5,
): Map<Feature, { readonly count: number; readonly examples: readonly string[] }> {
  // Per feature its uses counted, and the first `limit` distinct examples (named only while wanted).
  const most = Math.max(0, Math.floor(limit));
  const found = new Map<Feature, { count: number; examples: Set<string> }>();
  const add = (f: Feature, what: () => string): void => {
    let entry = found.get(f);
    if (entry === undefined) found.set(f, (entry = { count: 0, examples: new Set() }));
    entry.count++;
    if (entry.examples.size < most) entry.examples.add(what());
  };
  const families = new Set<number>();
  for (const addresses of ir.podAddresses) {
    for (const a of addresses) families.add(a.includes(":") ? 6 : 4);
    if (families.size === 2) break;
  }
  for (const ac of ir.addressClasses)
    if (ac.first !== "0" || ac.last !== maxOf(ac.family)) families.add(ac.family);
  if (families.has(4)) add("ipv4", () => "IPv4 addresses");
  if (families.has(6)) add("ipv6", () => "IPv6 addresses");
  for (const direction of [EGRESS, INGRESS]) {
    const dir = direction === EGRESS ? ir.egress : ir.ingress;
    for (const rule of dir.rules) {
      let label: string | undefined; // made for the rules that use a feature only, once
      const use = (f: Feature): void => add(f, () => (label ??= ruleLabel(ir, direction, rule)));
      if (rule.tier !== TIER_NETWORK_POLICY) use("cluster-tiers");
      if (rule.action === ACTION_DENY) use("deny-rules");
      if (rule.domainNames !== undefined && rule.domainNames.length > 0) use("domain-names");
      if (rule.ports?.some((p) => p[0] === "SCTP")) use("sctp");
      if (rule.ports?.some((p) => typeof p[1] === "number" && p[1] !== p[2])) use("port-ranges");
    }
  }
  if (node !== undefined) add("node-scope", () => `node ${node}`);
  for (const [address, pods] of sharedAddresses(ir))
    add("shared-addresses", () => `${address} (${pods.join(", ")})`);
  return new Map([...found].map(([f, { count, examples }]) => [f, { count, examples: [...examples] }]));
}

const maxOf = (family: number): string => ((1n << BigInt(family === 4 ? 32 : 128)) - 1n).toString();
