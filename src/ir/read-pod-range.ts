import { EGRESS, INGRESS, KIND_POD, type PolicyTableIR, V_ALLOW } from "./policy-table-ir.ts";
import { directionOf, outcomeRule, readDirection } from "./read-table.ts";

/**
 * Flows between two address-less pods whose verdict depends on where the pods are
 * (docs/decisions.md #46-#48). The cells answer such a flow with each pod's own variant-2 class
 * (a CIDR matches it only when it contains the whole pod range); when the pod range leaves a
 * CIDR open for a pod, the IR lists the classes it may have instead (`rangeStart`,
 * `rangeClasses`), per family, and the flow is decided only if every combination gives one answer.
 */

/** Whether some address-less pod's class is left open by the pod range (else nothing here applies). */
export function hasOpenPodRange(ir: PolicyTableIR): boolean {
  return ir.egress.rangeClasses.length > 0 || ir.ingress.rangeClasses.length > 0;
}

/** An open flow: the direction whose answer depends on the peer's address, and its first such rule. */
export interface OpenPodRange {
  readonly direction: typeof EGRESS | typeof INGRESS;
  /** The subject's group and the group-relative ordinal of the first rule deciding differently (0: none, isolation or default). */
  readonly group: number;
  readonly ordinal: number;
  /** The peer whose address it depends on. */
  readonly peer: number;
}

/** The families (variants 0, 1) address-less pods may have addresses of: the pod ranges', or both. */
function familiesInPlay(ir: PolicyTableIR): number[] {
  if (ir.podCIDRs.length === 0) return [0, 1];
  const out: number[] = [];
  if (ir.podCIDRs.some((c) => !c.includes(":"))) out.push(0);
  if (ir.podCIDRs.some((c) => c.includes(":"))) out.push(1);
  return out;
}

/** The classes `peer` may have as a peer of `direction` in family `f` (its own class when decided). */
function classesOf(ir: PolicyTableIR, direction: number, peer: number, f: number): ArrayLike<number> {
  const dir = directionOf(ir, direction);
  const P = ir.pods.length;
  const a = dir.rangeStart[f * P + peer]!;
  const b = dir.rangeStart[f * P + peer + 1]!;
  if (a < b) return dir.rangeClasses.subarray(a, b);
  return [dir.globalClass[2 * ir.kind.length + peer]!];
}

/** The verdicts (bit 0 deny, bit 1 allow) one direction can give, and the rules that decided them. */
function directionVerdicts(
  ir: PolicyTableIR,
  direction: number,
  subject: number,
  peer: number,
  f: number,
  k: number,
  rules: Set<number>,
): number {
  let seen = 0;
  for (const c of Array.from(classesOf(ir, direction, peer, f))) {
    const r = readDirection(ir, direction, subject, peer, 2, k, c);
    seen |= r.verdict === V_ALLOW ? 2 : 1;
    rules.add(r.stage === "cells" ? outcomeRule(ir, r.outcome) : 0);
  }
  return seen;
}

/**
 * Whether the flow `src` → `dst` at port class `k` between two address-less pods is left open by
 * the pod range: undefined when it is decided (the cells' answer holds), else which direction
 * depends on the other pod's address and the first rule (walk order) that decides differently.
 */
export function readOpenPodRange(
  ir: PolicyTableIR,
  src: number,
  dst: number,
  k: number,
): OpenPodRange | undefined {
  if (ir.kind[src] !== KIND_POD || ir.kind[dst] !== KIND_POD) return undefined;
  if (ir.variantMask[src] !== 4 || ir.variantMask[dst] !== 4 || !hasOpenPodRange(ir)) return undefined;
  let results = 0; // bit 0: some combination denies, bit 1: some allows
  let egress = 0;
  const egressRules = new Set<number>();
  const ingressRules = new Set<number>();
  for (const f of familiesInPlay(ir)) {
    const e = directionVerdicts(ir, EGRESS, src, dst, f, k, egressRules);
    const i = directionVerdicts(ir, INGRESS, dst, src, f, k, ingressRules);
    // allow ⇔ egress allows ∧ ingress allows, over every (dst address, src address) of the family.
    if ((e & 2) !== 0 && (i & 2) !== 0) results |= 2;
    if ((e & 1) !== 0 || (i & 1) !== 0) results |= 1;
    egress |= e;
  }
  if (results !== 3) return undefined;
  // Some combination allows, so both directions can: name the one that varies (egress first).
  const first = (s: Set<number>): number => Math.min(...[...s].map((o) => (o === 0 ? Infinity : o)));
  return egress === 3
    ? at(ir, EGRESS, src, dst, first(egressRules))
    : at(ir, INGRESS, dst, src, first(ingressRules));
}

function at(
  ir: PolicyTableIR,
  direction: typeof EGRESS | typeof INGRESS,
  subject: number,
  peer: number,
  o: number,
): OpenPodRange {
  const group = directionOf(ir, direction).group[subject]!;
  return { direction, group, ordinal: Number.isFinite(o) ? o : 0, peer };
}
