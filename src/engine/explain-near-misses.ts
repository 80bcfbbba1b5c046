import { ACTION_ACCEPT, type PolicyTableIR, TIER_BASELINE } from "../ir/policy-table-ir.ts";
import { matchingPass, matchRule } from "../ir/read-rules.ts";
import { directionOf, groupRule } from "../ir/read-table.ts";
import type { NearMiss } from "../model/flow.ts";
import { describeRule } from "./explain-rules.ts";

// Near misses of a denied direction: what would have let the flow through but for its port or peer.

const MAX_NEAR_MISSES = 10;

/** `; near misses: x/web spec.ingress[0] (port: allows TCP 8080)`. */
export function missText(misses: readonly NearMiss[]): string {
  if (misses.length === 0) return "";
  const one = (m: NearMiss) =>
    `${m.policy} ${m.rule} (${m.missed === "port" ? "peer matched, port did not" : "port matched, peer did not"}; allows ${m.ports})`;
  return `; near misses: ${misses.map(one).join("; ")}`;
}

/**
 * The allowing rules, before `before` (the deciding ordinal; 0: all) and in the tiers the walk
 * reaches, that matched the peer but not the port or the port but not the peer.
 */
export function nearMisses(
  ir: PolicyTableIR,
  which: "egress" | "ingress",
  g: number,
  subject: number,
  peer: number,
  v: number,
  k: number,
  before = 0,
): NearMiss[] {
  const d = which === "egress" ? 0 : 1;
  const dir = directionOf(ir, d);
  const out: NearMiss[] = [];
  const n = dir.groupRules[g]!.length;
  const { protocol, port } = portOfClass(ir, k);
  for (let o = 1; o <= n && out.length < MAX_NEAR_MISSES; o++) {
    if (before !== 0 && o >= before) break;
    const rule = groupRule(dir, g, o).rule;
    if (rule.action !== ACTION_ACCEPT) continue; // Deny / Pass rules: not what would have let it through
    if (rule.tier === TIER_BASELINE && dir.groupIsolated[g] === 1) continue;
    // Not reached when a Pass before it in its tier matched: the walk left the tier there.
    if (matchingPass(ir, d, g, rule.tier, o, subject, peer, v, protocol, port) !== 0) continue;
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
export function portOfClass(ir: PolicyTableIR, k: number): { protocol: string; port: number } {
  for (const protocol of ["TCP", "UDP", "SCTP"] as const) {
    const off = ir.portClassOffset[protocol];
    const starts = ir.portClassStarts[protocol];
    if (k >= off && k < off + starts.length) return { protocol, port: starts[k - off]! };
  }
  return { protocol: "TCP", port: 0 };
}
