import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import { reachedDomainRules } from "../ir/read-rules.ts";
import type { DomainNameResolver, Flow } from "../model/flow.ts";
import { anyDomainNameMatches } from "../net/domain-names.ts";
import { normalizeIP } from "../net/ip.ts";

/** What the `domainNames` rules a flow's egress walk reaches make of it (docs/decisions.md #31). */
export type DomainReading =
  | { readonly kind: "none" } // no domainNames rule reached: the cells' answer holds
  | { readonly kind: "accepted"; readonly rule: number } // the address has a name of rule `rule`: egress allows
  | { readonly kind: "not-matched" } // the address has none of the names: the cells' answer holds
  | { readonly kind: "unknown"; readonly rule: number; readonly reason: string };

/** A resolved flow's endpoints, family variant and port, as `decide` has them. */
export interface DomainFlow {
  readonly src: number;
  readonly dst: number;
  readonly variant: number;
  readonly portIndex: number;
  readonly protocol: string;
  readonly port: number;
}

/** The destination's address in the flow's family: the flow's own text when it gave one, else a hostNetwork pod's. */
function destinationAddress(
  ir: PolicyTableIR,
  flow: Flow,
  dst: number,
  family: 4 | 6 | undefined,
): string | undefined {
  const given = normalizeIP(flow.to);
  if (given !== undefined) return given;
  const addresses = dst < ir.pods.length ? ir.podAddresses[dst]! : [];
  return addresses.find((a) => (a.includes(":") ? 6 : 4) === family);
}

/**
 * The `domainNames` rules the egress walk reaches, decided with `resolver` (or not: unknown). The
 * first rule (walk order) whose names the address has accepts; if it has none of any, the walk
 * goes on as the cells say.
 */
export function readDomainNames(
  ir: PolicyTableIR,
  resolver: DomainNameResolver | undefined,
  flow: Flow,
  r: DomainFlow,
  family: 4 | 6 | undefined,
): DomainReading {
  const ids = reachedDomainRules(ir, r.src, r.dst, r.variant, r.portIndex, r.protocol, r.port);
  if (ids.length === 0) return { kind: "none" };
  const describe = (id: number): string => {
    const rule = ir.egress.rules[id - 1]!;
    const policy = ir.clusterPolicies[rule.policy]!;
    return `${policy.kind} ${policy.name} spec.egress[${rule.index}], a domainNames rule (${rule.domainNames!.join(", ")})`;
  };
  const address = resolver === undefined ? undefined : destinationAddress(ir, flow, r.dst, family);
  const names = address === undefined ? undefined : resolver!(address);
  if (names === undefined) {
    const why =
      resolver === undefined
        ? `whether ${flow.to} has one of those names is not known offline (no domainNames resolver)`
        : `the domainNames resolver does not know ${address ?? flow.to}`;
    return { kind: "unknown", rule: ids[0]!, reason: `egress reaches ${describe(ids[0]!)}: ${why}` };
  }
  for (const id of ids)
    if (anyDomainNameMatches(ir.egress.rules[id - 1]!.domainNames!, names))
      return { kind: "accepted", rule: id };
  return { kind: "not-matched" };
}
