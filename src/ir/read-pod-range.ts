import { EGRESS, INGRESS, KIND_POD, type PolicyTableIR, V_ALLOW } from "./policy-table-ir.ts";
import { directionOf, outcomeRule, readDirection } from "./read-table.ts";

/**
 * Flows between two address-less pods whose verdict depends on where the pods are
 * (docs/decisions.md #46-#48). The cells answer such a flow with each pod's own variant-2 class:
 * where the pod range leaves a CIDR open, the *meet* of the classes it may have (allowed only if
 * allowed at every address of the range). Its *join* classes (`joinClass`, per family) allow where
 * some address would. A flow the meets deny is open iff, in one family, both directions' joins
 * allow: some placement allows, and (the meet denies) some denies.
 */

/** Whether some address-less pod's class is left open by the pod range (else nothing here applies). */
export function hasOpenPodRange(ir: PolicyTableIR): boolean {
  // A plain loop: every table (an incremental splice's too) asks this of 2 × 2 × endpoints entries.
  for (const join of [ir.egress.joinClass, ir.ingress.joinClass])
    for (let i = 0; i < join.length; i++) if (join[i]! >= 0) return true;
  return false;
}

/**
 * Whether `peer`, an address-less pod, has a class per placement as a peer of `direction`
 * (its cells are then the meet of them: a walk read there is one placement's).
 */
export function isPlacedPeer(ir: PolicyTableIR, direction: number, peer: number): boolean {
  const dir = directionOf(ir, direction);
  const n = ir.pods.length;
  return peer < n && (dir.joinClass[peer]! >= 0 || dir.joinClass[n + peer]! >= 0);
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

/** The join class of `peer` as a peer of `direction` in family `f`: its own class when decided. */
function joinOf(ir: PolicyTableIR, direction: number, peer: number, f: number): number {
  const dir = directionOf(ir, direction);
  const j = dir.joinClass[f * ir.pods.length + peer]!;
  return j >= 0 ? j : dir.globalClass[2 * ir.kind.length + peer]!;
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
  if (ir.variantMask[src] !== 4 || ir.variantMask[dst] !== 4) return undefined;
  const e = readDirection(ir, EGRESS, src, dst, 2, k);
  const i = readDirection(ir, INGRESS, dst, src, 2, k);
  if (e.verdict === V_ALLOW && i.verdict === V_ALLOW) return undefined; // allowed wherever they are
  // The families pods may have addresses of: the pod ranges', or both.
  const v4 = ir.podCIDRs.length === 0 || ir.podCIDRs.some((c) => !c.includes(":"));
  const v6 = ir.podCIDRs.length === 0 || ir.podCIDRs.some((c) => c.includes(":"));
  for (const f of [0, 1]) {
    if (!(f === 0 ? v4 : v6)) continue;
    const ej = readDirection(ir, EGRESS, src, dst, 2, k, joinOf(ir, EGRESS, dst, f));
    const ij = readDirection(ir, INGRESS, dst, src, 2, k, joinOf(ir, INGRESS, src, f));
    if (ej.verdict !== V_ALLOW || ij.verdict !== V_ALLOW) continue;
    // Some placement allows and some denies: name the direction that varies (egress first) and
    // the first rule of the meet's and the join's outcomes.
    const [meet, join, direction, subject, peer] =
      e.verdict !== V_ALLOW ? [e, ej, EGRESS, src, dst] : [i, ij, INGRESS, dst, src];
    const rules = [meet, join]
      .map((r) => (r.stage === "cells" ? outcomeRule(ir, r.outcome) : 0))
      .filter((o) => o > 0);
    const group = directionOf(ir, direction).group[subject]!;
    return { direction, group, ordinal: rules.length === 0 ? 0 : Math.min(...rules), peer };
  }
  return undefined;
}
