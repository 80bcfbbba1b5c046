import { type IRRule, type PolicyTableIR, TIER_NETWORK_POLICY } from "../ir/policy-table-ir.ts";
import type { RuleRef, TierName, WalkStep } from "../model/flow.ts";

// How explain names rules and writes the tier walk.

const KIND_PREFIX: Record<string, string> = {
  ClusterNetworkPolicy: "cnp",
  AdminNetworkPolicy: "anp",
  BaselineAdminNetworkPolicy: "banp",
};
const TIER_NAMES: readonly TierName[] = ["Admin", "NetworkPolicy", "Baseline"];

/** A rule as explain names it: `ns/name` or `cnp/name`, its field path, tier, priority and name. */
export function describeRule(
  ir: PolicyTableIR,
  rule: IRRule,
  field: "egress" | "ingress",
): { ref: RuleRef; tier: TierName; priority: number | undefined; name: string | undefined } {
  const path = `spec.${field}[${rule.index}]`;
  if (rule.tier === TIER_NETWORK_POLICY)
    return {
      ref: { policy: ir.policies[rule.policy]!, rule: path },
      tier: TIER_NAMES[rule.tier]!,
      priority: undefined,
      name: rule.name,
    };
  const p = ir.clusterPolicies[rule.policy]!;
  const ref: RuleRef = { policy: `${KIND_PREFIX[p.kind] ?? p.kind}/${p.name}`, rule: path };
  return { ref, tier: TIER_NAMES[rule.tier]!, priority: p.priority, name: rule.name };
}

export function step(
  ir: PolicyTableIR,
  rule: IRRule,
  field: "egress" | "ingress",
  action: WalkStep["action"],
): WalkStep {
  const d = describeRule(ir, rule, field);
  return {
    tier: d.tier,
    action,
    policy: d.ref.policy,
    ...(d.priority === undefined ? {} : { priority: d.priority }),
    rule: d.ref.rule,
    ...(d.name === undefined ? {} : { name: d.name }),
  };
}

/** `[Admin] Pass by cnp/x rule "r"`, `[NetworkPolicy] deny: isolated by a/b, no rule matched`. */
export function walkText(walk: readonly WalkStep[]): string {
  return walk
    .map((s) => {
      if (s.rule === undefined)
        return s.tier === "Default"
          ? "[Default] allow: no policy decided"
          : `[${s.tier}] deny: isolated by ${s.policy}, no rule matched`;
      const rule = s.name === undefined ? s.rule : `"${s.name}" (${s.rule})`;
      const prio = s.priority === undefined ? "" : ` priority ${s.priority}`;
      return `[${s.tier}] ${s.action} by ${s.policy}${prio} rule ${rule}`;
    })
    .join(" → ");
}
