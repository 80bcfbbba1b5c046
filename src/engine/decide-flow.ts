// The decision for a flow given by names (`PolicyTable.decide`): resolve it to indices, ask the
// table, then the cases the code alone cannot settle — two address-less pods a pod range leaves
// open (docs/decisions.md #46, #47), domain names (#31) — and the flow's family.
import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Decision, DomainNameResolver, Flow, Verdict } from "../model/flow.ts";
import { readDomainNames } from "./domain-names.ts";
import { podRangeProblem } from "./pod-range.ts";
import type { EndpointResolver } from "./resolve.ts";

const DENY = 0;
const UNKNOWN = 2;
const VERDICTS: readonly Verdict[] = ["deny", "allow", "unknown"];

/** What the decision reads of the table: its IR and its index-level query. */
export interface IndexQuery {
  readonly ir: PolicyTableIR;
  decideIndex(src: number, dst: number, portIndex: number, variant?: number): number;
}

/** `table.decide(flow)`: `openRange` says some address-less pod's class is left open by the pod range. */
export function decideFlow(
  table: IndexQuery,
  resolver: EndpointResolver,
  flow: Flow,
  domainNames: DomainNameResolver | undefined,
  openRange: boolean,
): Decision {
  const r = resolver.scratchFlow(flow);
  if (!r.ok) return { verdict: "unknown", reason: r.reason };
  const ir = table.ir;
  const code = table.decideIndex(r.src, r.dst, r.portIndex, r.variant);
  // Two address-less pods: the cells allow only what is allowed wherever they are; a deny may
  // depend on where they are (#46, #47).
  if (code === DENY && r.variant === 2 && openRange) {
    const reason = podRangeProblem(ir, r.src, r.dst, r.portIndex);
    if (reason !== undefined) return { verdict: "unknown", reason };
  }
  if (code === UNKNOWN)
    return { verdict: "unknown", reason: resolver.familyProblem(r.src, r.dst, r.variant) };
  const family = resolver.family(r.src, r.dst, r.variant);
  if (ir.undecidable === 1) {
    const d = readDomainNames(ir, domainNames, flow, r, family);
    if (d.kind === "unknown") return { verdict: "unknown", reason: d.reason };
    // Towards an address ingress allows: the accepting rule decides the flow.
    if (d.kind === "accepted")
      return family === undefined ? { verdict: "allow" } : { verdict: "allow", family };
  }
  return family === undefined ? { verdict: VERDICTS[code]! } : { verdict: VERDICTS[code]!, family };
}
