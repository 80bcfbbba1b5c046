import {
  ACTION_DENY,
  type IRRule,
  type PolicyTableIR,
  TIER_ADMIN,
  TIER_NETWORK_POLICY,
  V_ALLOW,
} from "../ir/policy-table-ir.ts";
import {
  directionOf,
  groupRule,
  matchRule,
  outcomePass,
  outcomeRule,
  outcomeVerdict,
  readDirection,
} from "../ir/read-table.ts";
import type {
  DirectionExplanation,
  Explanation,
  Flow,
  NearMiss,
  RuleRef,
  TierName,
  Verdict,
  WalkStep,
} from "../model/flow.ts";
import { normalizeIP } from "../net/ip.ts";
import type { EndpointResolver, ResolvedFlow } from "./resolve.ts";

/** What explain reads of a `PolicyTable` (a structural type, so that the two files import one way). */
export interface ExplainedTable {
  readonly ir: PolicyTableIR;
  resolve(flow: Flow): ResolvedFlow;
  decideIndex(src: number, dst: number, portIndex: number, variant?: number): number;
}

const KIND_PREFIX: Record<string, string> = {
  ClusterNetworkPolicy: "cnp",
  AdminNetworkPolicy: "anp",
  BaselineAdminNetworkPolicy: "banp",
};
const TIER_NAMES: readonly TierName[] = ["Admin", "NetworkPolicy", "Baseline"];

/** A rule as explain names it: `ns/name` or `cnp/name`, its field path, tier, priority and name. */
function describeRule(ir: PolicyTableIR, rule: IRRule, field: "egress" | "ingress") {
  const ref: RuleRef =
    rule.tier === TIER_NETWORK_POLICY
      ? { policy: ir.policies[rule.policy]!, rule: `spec.${field}[${rule.index}]` }
      : (() => {
          const p = ir.clusterPolicies[rule.policy]!;
          return {
            policy: `${KIND_PREFIX[p.kind] ?? p.kind}/${p.name}`,
            rule: `spec.${field}[${rule.index}]`,
          };
        })();
  const priority = rule.tier === TIER_NETWORK_POLICY ? undefined : ir.clusterPolicies[rule.policy]!.priority;
  return { ref, tier: TIER_NAMES[rule.tier]!, priority, name: rule.name };
}

function step(
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

const MAX_NEAR_MISSES = 10;

/** `; near misses: x/web spec.ingress[0] (port: allows TCP 8080)`. */
function missText(misses: readonly NearMiss[]): string {
  if (misses.length === 0) return "";
  const one = (m: NearMiss) =>
    `${m.policy} ${m.rule} (${m.missed === "port" ? "peer matched, port did not" : "port matched, peer did not"}; allows ${m.ports})`;
  return `; near misses: ${misses.map(one).join("; ")}`;
}

/**
 * The allowing rules, before `before` (the deciding ordinal; 0: all) and in the tiers the walk
 * reaches, that matched the peer but not the port or the port but not the peer.
 */
function nearMisses(
  table: ExplainedTable,
  which: "egress" | "ingress",
  g: number,
  subject: number,
  peer: number,
  v: number,
  k: number,
  before = 0,
): NearMiss[] {
  const ir = table.ir;
  const d = which === "egress" ? 0 : 1;
  const dir = directionOf(ir, d);
  const out: NearMiss[] = [];
  const n = dir.groupRules[g]!.length;
  const { protocol, port } = portOfClass(ir, k);
  for (let o = 1; o <= n && out.length < MAX_NEAR_MISSES; o++) {
    if (before !== 0 && o >= before) break;
    const rule = groupRule(dir, g, o).rule;
    if (rule.action !== 0) continue; // Deny / Pass rules: not what would have let it through
    if (rule.tier === 2 && dir.groupIsolated[g] === 1) continue;
    const m = matchRule(ir, d, g, o, subject, peer, v, protocol, port);
    if (m.peer === m.port) continue;
    const described = describeRule(ir, rule, which);
    const ports =
      rule.ports === undefined
        ? "all ports"
        : rule.ports
            .filter((p) => typeof p[1] === "number")
            .map((p) => (p[1] === p[2] ? `${p[0]} ${p[1]}` : `${p[0]} ${p[1]}-${p[2]}`))
            .concat(m.named.map((x) => `named ${x}`))
            .concat(
              rule.ports
                .filter((p) => typeof p[1] === "string" && !m.named.some((x) => x.startsWith(`${p[1]}→`)))
                .map((p) => `${p[0]} ${p[1]} (not declared by the destination)`),
            )
            .join(", ");
    out.push({
      tier: described.tier,
      policy: described.ref.policy,
      rule: described.ref.rule,
      ...(described.name === undefined ? {} : { name: described.name }),
      missed: m.peer ? "port" : "peer",
      ports,
    });
  }
  return out;
}

/** A representative (protocol, port) of port class `k`: its first port. */
function portOfClass(ir: PolicyTableIR, k: number): { protocol: string; port: number } {
  for (const protocol of ["TCP", "UDP", "SCTP"] as const) {
    const off = ir.portClassOffset[protocol];
    const starts = ir.portClassStarts[protocol];
    if (k >= off && k < off + starts.length) return { protocol, port: starts[k - off]! };
  }
  return { protocol: "TCP", port: 0 };
}

function direction(
  table: ExplainedTable,
  which: "egress" | "ingress",
  subject: number,
  peer: number,
  v: number,
  k: number,
): Omit<DirectionExplanation, "endpoint"> {
  const ir = table.ir;
  const dir = directionOf(ir, which === "egress" ? 0 : 1);
  const base = { direction: which, isolated: false, policies: [] as string[] };
  const reading = readDirection(ir, which === "egress" ? 0 : 1, subject, peer, v, k);
  if (reading.stage === "not-a-pod")
    return {
      ...base,
      verdict: "allow",
      decidedBy: "not-a-pod",
      reason: "not a selectable pod: no policy applies to it",
    };
  // Isolation is reported as it is even when a profile rule lets the flow through regardless.
  const g = reading.group;
  const policies = dir.groupPolicies[g]!.map((p) => ir.policies[p]!).sort();
  const isolation = { isolated: dir.groupIsolated[g] === 1, policies };
  if (reading.stage === "self")
    return {
      ...base,
      ...isolation,
      verdict: "allow",
      decidedBy: "self",
      reason: "a pod may always reach itself (profile allowSelf)",
    };
  if (reading.stage === "own-node")
    return {
      ...base,
      ...isolation,
      verdict: "allow",
      decidedBy: "own-node",
      reason: "traffic from the pod's own node is always allowed (profile allowFromOwnNode)",
    };
  const walk: WalkStep[] = [];
  const o = reading.outcome;
  const pass = outcomePass(ir, o);
  if (pass !== 0) walk.push(step(ir, groupRule(dir, g, pass).rule, which, "Pass"));
  const verdict: Verdict = reading.verdict === V_ALLOW ? "allow" : "deny";
  // The deciding rule: the global outcome's; an open one's same-namespace local rule; and when a
  // NetworkPolicy rule allowed globally, the first NetworkPolicy rule of the two (canonical order).
  const localAllows = outcomeVerdict(ir, reading.local) === V_ALLOW ? outcomeRule(ir, reading.local) : 0;
  let ordinal = outcomeRule(ir, o);
  const globalNp = ordinal !== 0 && groupRule(dir, g, ordinal).rule.tier === TIER_NETWORK_POLICY;
  if (ordinal === 0 && outcomeVerdict(ir, o) !== V_ALLOW) ordinal = localAllows;
  else if (globalNp && localAllows !== 0) ordinal = Math.min(ordinal, localAllows);
  if (ordinal !== 0) {
    const rule = groupRule(dir, g, ordinal).rule;
    const action =
      rule.tier === TIER_NETWORK_POLICY ? "Allow" : rule.action === ACTION_DENY ? "Deny" : "Accept";
    walk.push(step(ir, rule, which, action));
    const ref = describeRule(ir, rule, which).ref;
    const decidedBy =
      rule.tier === TIER_NETWORK_POLICY ? "network-policy" : rule.tier === TIER_ADMIN ? "admin" : "baseline";
    const misses = verdict === "deny" ? nearMisses(table, which, g, subject, peer, v, k, ordinal) : [];
    return {
      ...base,
      ...isolation,
      verdict,
      decidedBy,
      ...(verdict === "allow" ? { allowedBy: ref } : { deniedBy: ref }),
      walk,
      ...(misses.length === 0 ? {} : { nearMisses: misses }),
      reason: `${which}: ${walkText(walk)}${missText(misses)}`,
    };
  }
  if (isolation.isolated) {
    walk.push({ tier: "NetworkPolicy", action: "Deny", policy: policies.join(", ") });
    const misses = nearMisses(table, which, g, subject, peer, v, k);
    return {
      ...base,
      ...isolation,
      verdict,
      decidedBy: "network-policy",
      walk,
      ...(misses.length === 0 ? {} : { nearMisses: misses }),
      reason: `${which}: ${walkText(walk)}${missText(misses)}`,
    };
  }
  walk.push({ tier: "Default", action: "Allow" });
  const none = pass === 0 && dir.groupRules[g]!.length === 0;
  return {
    ...base,
    ...isolation,
    verdict,
    decidedBy: "default",
    walk,
    reason: none ? `no policy selects it for ${which}: allowed by default` : `${which}: ${walkText(walk)}`,
  };
}

/** Build the structured explanation of one flow. */
export function buildExplanation(table: ExplainedTable, resolver: EndpointResolver, flow: Flow): Explanation {
  const r = table.resolve(flow);
  const name = (e: number, given: string): string =>
    e < table.ir.pods.length ? table.ir.pods[e]! : (normalizeIP(given) ?? given);
  const from = name(r.src, flow.from);
  const to = name(r.dst, flow.to);
  const unknown = (reason: string, port?: number): Explanation => {
    const side = (which: "egress" | "ingress", endpoint: string): DirectionExplanation => ({
      direction: which,
      endpoint,
      verdict: "unknown",
      decidedBy: "unknown",
      isolated: false,
      policies: [],
      reason,
    });
    return {
      from,
      to,
      ...(port === undefined ? {} : { port }),
      protocol: r.protocol,
      verdict: "unknown",
      reason,
      egress: side("egress", from),
      ingress: side("ingress", to),
    };
  };
  if (!r.ok) return unknown(r.reason);
  const v = r.variant;
  const family = resolver.family(r.src, r.dst, v);
  const s = r.src;
  const d = r.dst;
  if (table.decideIndex(r.src, r.dst, r.portIndex, v) === 2)
    return unknown(resolver.familyProblem(r.src, r.dst, v), r.port);
  const egress = { endpoint: from, ...direction(table, "egress", s, d, v, r.portIndex) };
  const ingress = { endpoint: to, ...direction(table, "ingress", d, s, v, r.portIndex) };
  const verdict: Verdict = egress.verdict === "allow" && ingress.verdict === "allow" ? "allow" : "deny";
  const reason =
    verdict === "allow"
      ? "allowed: egress at the source and ingress at the destination both allow it"
      : `denied at ${egress.verdict === "deny" ? "egress from the source" : "ingress to the destination"}`;
  return {
    from,
    to,
    port: r.port,
    protocol: r.protocol,
    ...(family === undefined ? {} : { family }),
    verdict,
    reason,
    egress,
    ingress,
  };
}
