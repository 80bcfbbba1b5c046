import {
  ACTION_DENY,
  EGRESS,
  INGRESS,
  type PolicyTableIR,
  TIER_ADMIN,
  TIER_BASELINE,
  TIER_NETWORK_POLICY,
  V_ALLOW,
} from "../ir/policy-table-ir.ts";
import { isPlacedPeer } from "../ir/read-pod-range.ts";
import { matchingPass } from "../ir/read-rules.ts";
import {
  directionOf,
  groupRule,
  localOutcome,
  outcomePass,
  outcomeRule,
  outcomeVerdict,
  readDirection,
} from "../ir/read-table.ts";
import type {
  DirectionExplanation,
  DomainNameResolver,
  Explanation,
  Flow,
  Verdict,
  WalkStep,
} from "../model/flow.ts";
import { normalizeIP } from "../net/ip.ts";
import { readDomainNames } from "./domain-names.ts";
import { missText, nearMisses, portOfClass } from "./explain-near-misses.ts";
import { describeRule, step, walkText } from "./explain-rules.ts";
import { podRangeProblem } from "./pod-range.ts";
import type { EndpointResolver, ResolvedFlow } from "./resolve.ts";

/** What explain reads of a `PolicyTable` (a structural type, so that the two files import one way). */
export interface ExplainedTable {
  readonly ir: PolicyTableIR;
  resolve(flow: Flow): ResolvedFlow;
  decideIndex(src: number, dst: number, portIndex: number, variant?: number): number;
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
  const local = localOutcome(ir, dir, g, subject, peer, k);
  const localAllows = outcomeVerdict(ir, local) === V_ALLOW ? outcomeRule(ir, local) : 0;
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
    const misses = verdict === "deny" ? nearMisses(table.ir, which, g, subject, peer, v, k, ordinal) : [];
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
    const misses = nearMisses(table.ir, which, g, subject, peer, v, k);
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
  // Left the baseline tier by a Pass after an admin Pass (the outcome keeps the first Pass only).
  if (pass !== 0 && groupRule(dir, g, pass).rule.tier === TIER_ADMIN) {
    const { protocol, port } = portOfClass(ir, k);
    const d = which === "egress" ? 0 : 1;
    const second = matchingPass(ir, d, g, TIER_BASELINE, 0, subject, peer, v, protocol, port);
    if (second !== 0) walk.push(step(ir, groupRule(dir, g, second).rule, which, "Pass"));
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

/** Egress accepted by `domainNames` rule `id` (the resolver named the address): what the cells could not say. */
function acceptedByDomainNames(
  ir: PolicyTableIR,
  subject: number,
  id: number,
): Omit<DirectionExplanation, "endpoint"> {
  const dir = ir.egress;
  const g = dir.group[subject]!;
  const rule = dir.rules[id - 1]!;
  const walk = [step(ir, rule, "egress", "Accept")];
  const policies = dir.groupPolicies[g]!.map((p) => ir.policies[p]!).sort();
  return {
    direction: "egress",
    isolated: dir.groupIsolated[g] === 1,
    policies,
    verdict: "allow",
    decidedBy: rule.tier === TIER_ADMIN ? "admin" : "baseline",
    allowedBy: describeRule(ir, rule, "egress").ref,
    walk,
    reason: `egress: ${walkText(walk)} (the address has one of ${rule.domainNames!.join(", ")}, by the domainNames resolver)`,
  };
}

/**
 * Between two address-less pods whose peer has a class per placement in the pod range, the
 * verdict holds wherever the pods are but the walk shown is one placement's (docs/decisions.md #68).
 */
function placementNote(
  ir: PolicyTableIR,
  src: number,
  dst: number,
  verdict: Verdict,
  deciding: number,
): string {
  const sides: [number, number][] =
    verdict === "allow"
      ? [
          [EGRESS, dst],
          [INGRESS, src],
        ]
      : [[deciding, deciding === EGRESS ? dst : src]];
  const placed = sides.find(([direction, peer]) => isPlacedPeer(ir, direction, peer));
  if (placed === undefined) return "";
  const where = verdict === "allow" ? "allowed" : "denied";
  return ` (${ir.pods[placed[1]]} has no address: ${where} wherever it is in the pod range; the walk is that of one placement, the first that is ${where})`;
}

/** Build the structured explanation of one flow. */
export function buildExplanation(
  table: ExplainedTable,
  resolver: EndpointResolver,
  flow: Flow,
  domainNames?: DomainNameResolver,
): Explanation {
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
  const code = table.decideIndex(r.src, r.dst, r.portIndex, v);
  if (code === 2) return unknown(resolver.familyProblem(r.src, r.dst, v), r.port);
  const range = v === 2 && code === 0 ? podRangeProblem(table.ir, s, d, r.portIndex) : undefined;
  if (range !== undefined) return unknown(range, r.port);
  const domain =
    table.ir.undecidable === 1 ? readDomainNames(table.ir, domainNames, flow, r, family) : undefined;
  if (domain?.kind === "unknown") return unknown(domain.reason, r.port);
  const egress =
    domain?.kind === "accepted"
      ? { endpoint: from, ...acceptedByDomainNames(table.ir, s, domain.rule) }
      : { endpoint: from, ...direction(table, "egress", s, d, v, r.portIndex) };
  const ingress = { endpoint: to, ...direction(table, "ingress", d, s, v, r.portIndex) };
  const verdict: Verdict = egress.verdict === "allow" && ingress.verdict === "allow" ? "allow" : "deny";
  const deciding = verdict === "allow" || egress.verdict === "deny" ? EGRESS : INGRESS;
  const reason =
    (verdict === "allow"
      ? "allowed: egress at the source and ingress at the destination both allow it"
      : `denied at ${deciding === EGRESS ? "egress from the source" : "ingress to the destination"}`) +
    (v === 2 ? placementNote(table.ir, s, d, verdict, deciding) : "");
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
