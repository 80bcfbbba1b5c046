// Rule by rule: which `domainNames` rules a flow's egress walk reaches, and how one rule meets a
// flow direction (explain's near misses). The cells already hold the walk's answer; these read the
// rules behind it, through the one reader (read-table.ts).
import { ACTION_PASS, EGRESS, KIND_POD, type PolicyTableIR, TIER_BASELINE } from "./policy-table-ir.ts";
import { directionOf, groupRule, outcomePass, outcomeRule, readDirection } from "./read-table.ts";

/**
 * The `domainNames` rules the egress walk of `src` → `dst` reaches (on `protocol`/`port`), in walk
 * order: such rules match nothing in the cells, so where one is reached the cell's answer holds
 * only if the address has none of its names. The walk goes past a rule whose names the address
 * does not have, so every rule listed is reached unless an earlier one matches. Only flows from a
 * pod to an address can reach one. Returns ids in `egress.rules`; empty when none.
 */
export function reachedDomainRules(
  ir: PolicyTableIR,
  src: number,
  dst: number,
  v: number,
  k: number,
  protocol: string,
  port: number,
): number[] {
  if (ir.undecidable !== 1 || ir.kind[src] !== KIND_POD || ir.kind[dst] === KIND_POD) return [];
  const reading = readDirection(ir, EGRESS, src, dst, v, k);
  if (reading.stage !== "cells") return [];
  const dir = ir.egress;
  const g = reading.group;
  const decided = outcomeRule(ir, reading.outcome);
  const passed = outcomePass(ir, reading.outcome);
  const rules = dir.groupRules[g]!;
  const out: number[] = [];
  for (let o = 1; o <= rules.length && (decided === 0 || o < decided); o++) {
    const { id, rule } = groupRule(dir, g, o);
    if (rule.domainNames === undefined || rule.domainNames.length === 0) continue;
    if (rule.tier === TIER_BASELINE && dir.groupIsolated[g] === 1) continue; // the baseline tier is not reached
    if (passed !== 0 && passed < o && groupRule(dir, g, passed).rule.tier === rule.tier) continue; // passed out of its tier
    if (matchingPass(ir, EGRESS, g, rule.tier, o, src, dst, v, protocol, port) !== 0) continue; // a later tier's Pass
    if (
      rule.ports === undefined ||
      rule.ports.some(
        (p) => p[0] === protocol && typeof p[1] === "number" && p[1] <= port && port <= (p[2] as number),
      )
    )
      out.push(id);
  }
  return out;
}

/**
 * The ordinal of the first Pass rule of `tier` in group `g`'s walk, before ordinal `before` (0: to
 * the end), that matches the flow direction (`subject`, `peer` as in `readDirection`), or 0: there
 * the walk left the tier. The cell's outcome records only the walk's first Pass, so a Pass in a
 * later tier (an admin Pass, then a baseline Pass) is found rule by rule.
 */
export function matchingPass(
  ir: PolicyTableIR,
  direction: number,
  g: number,
  tier: number,
  before: number,
  subject: number,
  peer: number,
  v: number,
  protocol: string,
  port: number,
): number {
  const dir = directionOf(ir, direction);
  const end = before === 0 ? dir.groupRules[g]!.length + 1 : before;
  for (let o = 1; o < end; o++) {
    const { rule } = groupRule(dir, g, o);
    if (rule.tier !== tier || rule.action !== ACTION_PASS) continue;
    const m = matchRule(ir, direction, g, o, subject, peer, v, protocol, port);
    if (m.peer && m.port) return o;
  }
  return 0;
}

/** The first rule of `reachedDomainRules`, or 0. */
export function reachedDomainRule(
  ir: PolicyTableIR,
  src: number,
  dst: number,
  v: number,
  k: number,
  protocol: string,
  port: number,
): number {
  return reachedDomainRules(ir, src, dst, v, k, protocol, port)[0] ?? 0;
}

/** How one rule meets one flow direction: whether a peer and whether a port of it match. */
export interface RuleMatch {
  readonly peer: boolean;
  readonly port: boolean;
  /** The numbers its named ports resolved to on the destination pod (`name→number`). */
  readonly named: readonly string[];
}

/**
 * Rule `ordinal` of group `g` against one direction of a flow, rule by rule (explain's near
 * misses; the cells already hold the walk's answer): `subject` and `peer` as in `readDirection`,
 * `destination` the flow's destination endpoint (named ports resolve against it).
 */
export function matchRule(
  ir: PolicyTableIR,
  direction: number,
  g: number,
  ordinal: number,
  subject: number,
  peer: number,
  v: number,
  protocol: string,
  port: number,
): RuleMatch {
  const dir = directionOf(ir, direction);
  const { rule } = groupRule(dir, g, ordinal);
  let peerOk = rule.allPeers === true;
  const c = dir.globalClass[v * ir.kind.length + peer]!;
  for (const p of rule.globalPeers) {
    if (peerOk || c < 0) break;
    for (let i = dir.peerClassStart[p]!; i < dir.peerClassStart[p + 1]!; i++)
      if (dir.peerClasses[i] === c) peerOk = true;
  }
  const l = dir.localClass[peer]!;
  if (
    !peerOk &&
    rule.localPeers.length > 0 &&
    l >= 0 &&
    ir.kind[peer] === KIND_POD &&
    ir.namespace[peer] === ir.namespace[subject]
  ) {
    const e = dir.localStart[ir.namespace[peer]!]! + l;
    for (let i = dir.localClassPeerStart[e]!; i < dir.localClassPeerStart[e + 1]!; i++)
      if (rule.localPeers.includes(dir.localClassPeers[i]!)) peerOk = true;
  }
  const destination = direction === EGRESS ? peer : subject;
  const declared =
    destination < ir.pods.length && ir.kind[destination] === KIND_POD ? ir.podNamedPorts[destination]! : [];
  const named: string[] = [];
  let portOk = rule.ports === undefined;
  for (const p of rule.ports ?? []) {
    if (typeof p[1] === "number") {
      if (p[0] === protocol && p[1] <= port && port <= (p[2] as number)) portOk = true;
      continue;
    }
    const hit = declared.find(([name, proto]) => name === p[1] && proto === p[0]);
    if (hit === undefined) continue;
    named.push(`${p[1]}→${hit[2]}`);
    if (p[0] === protocol && hit[2] === port) portOk = true;
  }
  return { peer: peerOk, port: portOk, named };
}
