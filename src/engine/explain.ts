import { type IRDirection, KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { DirectionExplanation, Explanation, Flow, RuleRef, Verdict } from "../model/flow.ts";
import { normalizeIP } from "../net/ip.ts";
import type { EndpointResolver, ResolvedFlow } from "./resolve.ts";

/** What explain reads of a `PolicyTable` (a structural type, so that the two files import one way). */
export interface ExplainedTable {
  readonly ir: PolicyTableIR;
  resolve(flow: Flow): ResolvedFlow;
  decideIndex(src: number, dst: number, portIndex: number, variant?: number): number;
}

/** The first rule (lowest group ordinal) that allows port class `k` towards `peer`, if any. */
function allowingRule(
  table: ExplainedTable,
  dir: IRDirection,
  g: number,
  peer: number,
  v: number,
  sameNs: boolean,
  k: number,
): number {
  const ir = table.ir;
  const K = ir.portClassCount;
  const E = ir.kind.length;
  const global = ir.portRows[dir.globalCells[dir.globalBase[g]! + dir.globalClass[v * E + peer]!]! * K + k]!;
  const local = sameNs ? ir.portRows[dir.localCells[dir.localBase[g]! + dir.localClass[peer]!]! * K + k]! : 0;
  const o = global === 0 ? local : local === 0 ? global : Math.min(global, local);
  return o === 0 ? 0 : dir.groupRules[g]![o - 1]!;
}

function ruleRef(
  table: ExplainedTable,
  dir: IRDirection,
  ruleId: number,
  field: "egress" | "ingress",
): RuleRef {
  const rule = dir.rules[ruleId - 1]!;
  return { policy: table.ir.policies[rule.policy]!, rule: `spec.${field}[${rule.index}]` };
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
  const dir = which === "egress" ? ir.egress : ir.ingress;
  const base = { direction: which, isolated: false, policies: [] as string[] };
  if (ir.kind[subject] !== KIND_POD)
    return {
      ...base,
      verdict: "allow",
      decidedBy: "not-a-pod",
      reason: "not a selectable pod: no policy applies to it",
    };
  // Isolation is reported as it is even when a profile rule lets the flow through regardless.
  const g = dir.group[subject]!;
  const policies = g === 0 ? [] : dir.groupPolicies[g]!.map((p) => ir.policies[p]!).sort();
  const isolation = { isolated: g !== 0, policies };
  if (subject === peer && ir.profile.allowSelf)
    return {
      ...base,
      ...isolation,
      verdict: "allow",
      decidedBy: "self",
      reason: "a pod may always reach itself (profile allowSelf)",
    };
  if (which === "ingress" && ir.profile.allowFromOwnNode && peer === ir.nodeEndpoint[subject])
    return {
      ...base,
      ...isolation,
      verdict: "allow",
      decidedBy: "own-node",
      reason: "traffic from the pod's own node is always allowed (profile allowFromOwnNode)",
    };
  if (g === 0)
    return {
      ...base,
      verdict: "allow",
      decidedBy: "default",
      reason: `no NetworkPolicy selects it for ${which}: allowed by default`,
    };
  const ruleId = allowingRule(table, dir, g, peer, v, ir.namespace[subject] === ir.namespace[peer], k);
  if (ruleId === 0)
    return {
      ...base,
      isolated: true,
      policies,
      verdict: "deny",
      decidedBy: "network-policy",
      reason: `isolated for ${which} by ${policies.join(", ")}; no ${which} rule of them matches this peer and port`,
    };
  const allowedBy = ruleRef(table, dir, ruleId, which);
  return {
    ...base,
    isolated: true,
    policies,
    verdict: "allow",
    decidedBy: "network-policy",
    allowedBy,
    reason: `isolated for ${which} by ${policies.join(", ")}; allowed by ${allowedBy.policy} ${allowedBy.rule}`,
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
  const s = table.ir.alias[r.src]!;
  const d = table.ir.alias[r.dst]!;
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
