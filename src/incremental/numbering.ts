// Whether a spliced IR is still numbered as a compile numbers it. Groups, global classes and local
// classes get their ids in order of first appearance: groups over the pods (group 0, nothing
// selects, first of all), global classes over the pods and then each pod's variants, local
// classes over each namespace's pods from 0; the address endpoints' global classes follow the
// pods', and without a pod range (whose open placements come last) every class appears. An
// endpoint copied from a twin after it, a pod taken out before its twin, or a namespace's pods
// moved to other classes (namespace-relabel.ts) can make an id appear before a smaller one, or
// leave one unused; then a compile decides.
// Everything else keyed by these ids (blocks, rows, outcomes) follows the groups' order.
import { KIND_POD, type PolicyTableIR, VARIANTS } from "../ir/policy-table-ir.ts";

/** Whether every id space numbered by first appearance sees each new id one past the largest before it. */
export function numberedInOrder(ir: PolicyTableIR): boolean {
  const E = ir.kind.length;
  const P = ir.pods.length;
  for (const dir of [ir.egress, ir.ingress]) {
    let group = 0;
    let global = -1;
    let local = -1;
    let ns = -1;
    for (let e = 0; e < P; e++) {
      if (ir.kind[e] !== KIND_POD) continue;
      const g = dir.group[e]!;
      if (g > group + 1) return false;
      if (g > group) group = g;
      for (let v = 0; v < VARIANTS; v++) {
        const c = dir.globalClass[v * E + e]!;
        if (c > global + 1) return false;
        if (c > global) global = c;
      }
      if (ir.namespace[e] !== ns) {
        ns = ir.namespace[e]!;
        local = -1;
      }
      const l = dir.localClass[e]!;
      if (l > local + 1) return false;
      if (l > local) local = l;
    }
    for (let e = P; e < E; e++) {
      const c = dir.globalClass[ir.primaryVariant[e]! * E + e]!;
      if (c > global + 1) return false;
      if (c > global) global = c;
    }
    if (ir.podCIDRs.length === 0 && global + 1 !== dir.globalClassCount) return false;
  }
  return true;
}
