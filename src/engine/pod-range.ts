import { EGRESS, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import { readOpenPodRange } from "../ir/read-pod-range.ts";
import { groupRule } from "../ir/read-table.ts";
import { describeRule } from "./explain-rules.ts";

/**
 * Why a flow between two address-less pods is `unknown` (docs/decisions.md #46-#48), or undefined
 * when the pod range decides it (or nothing depends on it): the cells' answer then holds.
 */
export function podRangeProblem(ir: PolicyTableIR, src: number, dst: number, k: number): string | undefined {
  const open = readOpenPodRange(ir, src, dst, k);
  if (open === undefined) return undefined;
  const which = open.direction === EGRESS ? "egress" : "ingress";
  const peer = ir.pods[open.peer]!;
  const subject = ir.pods[open.direction === EGRESS ? src : dst]!;
  let what = "its verdict";
  if (open.ordinal !== 0) {
    const ref = describeRule(
      ir,
      groupRule(open.direction === EGRESS ? ir.egress : ir.ingress, open.group, open.ordinal).rule,
      which,
    ).ref;
    what = `whether ${ref.policy} ${ref.rule} matches`;
  }
  const where =
    ir.podCIDRs.length === 0
      ? `${peer} has no address (no status.podIPs) and the pod range is not given (--pod-cidr, compile option podCIDRs)`
      : `${peer} has no address (no status.podIPs) and the pod range ${ir.podCIDRs.join(",")} leaves it open: a CIDR covers part of it`;
  return `${which} of ${subject}: ${what} depends on an ipBlock / networks CIDR: ${where} (docs/decisions.md #46)`;
}
