// A namespace relabelled (issue 14, docs/decisions.md #74). Its pods keep their labels, so they
// keep their groups (a NetworkPolicy selects pods of its own namespace by pod labels) and their
// local classes (peers of the own namespace, by pod labels); what may move is their global class
// in each direction, the label peers (namespace selector, pod selector) that match them. A global
// class is the set of global peers matching a pod (and its named-port vector, egress): so where
// another namespace's labels are read alike by every namespace selector, a pod there whose labels
// every pod selector reads alike — with the same named ports of the names rules use, the same
// address families and, where ipBlocks match pod IPs, addresses of the same ipBlock part — is in
// the class the relabelled pod moves to. Each pod takes such a twin's classes; groups, cells,
// rows and diagnostics stay. Refused (a compile) where a cluster policy's subject reads the labels
// differently (its groups move), where a pod range is given (open placements are numbered after
// every endpoint), where some pod has no such twin, or where the numbering by first appearance
// would move (numbering.ts).
import { type IRDirection, KIND_POD, type PolicyTableIR, VARIANTS } from "../ir/policy-table-ir.ts";
import type { Cluster, Labels } from "../model/types.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";
import { globalClassFit } from "./class-fit.ts";
import { sameLabels } from "./find-twin.ts";
import { numberedInOrder } from "./numbering.ts";
import { namespacePods } from "./pod-order.ts";
import { alike, type SelectorIndex } from "./selectors-seen.ts";

/** Whether some cluster policy's subject selects the namespace under one of the label sets and not the other. */
function subjectsMove(cluster: Cluster, before: Labels, after: Labels): boolean {
  return cluster.clusterNetworkPolicies.some((c) => {
    const s = c.subject;
    const selector = "namespaces" in s ? s.namespaces : s.pods.namespaceSelector;
    return matchesSelector(before, selector) !== matchesSelector(after, selector);
  });
}

/**
 * The IR after namespace `name` took its labels in `after` (the pods of `before` and `after` are
 * the same list), when each of its pods has a twin elsewhere (see above) — `ir` itself when it has
 * no selectable pod —; else undefined (compile).
 */
export function reclassNamespace(
  ir: PolicyTableIR,
  before: Cluster,
  after: Cluster,
  name: string,
  selectors: SelectorIndex,
): PolicyTableIR | undefined {
  if (ir.podCIDRs.length > 0) return undefined;
  const n = after.namespaces.findIndex((x) => x.name === name);
  if (n < 0) return undefined;
  const labels = after.namespaces[n]!.labels;
  if (subjectsMove(after, before.namespaces[n]!.labels, labels)) return undefined;
  const pods = after.pods;
  const [first, end] = namespacePods(pods, name);
  const E = ir.kind.length;
  // The pods whose classes may move, and their twins once found.
  const moving: number[] = [];
  for (let p = first; p < end; p++) if (ir.kind[p] === KIND_POD) moving.push(p);
  // No selectable pod: nothing the table holds reads the namespace's labels.
  if (moving.length === 0) return ir;
  const twin = new Int32Array(moving.length).fill(-1);

  const fits = globalClassFit(ir, pods, selectors.portNames);

  // Namespaces every namespace selector reads as it reads the new labels, in order; in each, a
  // twin for every pod still without one: the same labels first, then labels read alike.
  // Bounded: past a few comparisons per pod of the cluster, a compile costs less.
  let budget = 4 * pods.length + 4096;
  let left = moving.length;
  for (const pass of [0, 1] as const) {
    for (let m = 0; m < after.namespaces.length && left > 0; m++) {
      if (m === n) continue;
      const other = after.namespaces[m]!;
      if (!alike(selectors.namespaces, labels, other.labels)) continue;
      const [a, b] = namespacePods(pods, other.name);
      for (let i = 0; i < moving.length && left > 0; i++) {
        if (twin[i]! >= 0) continue;
        const p = moving[i]!;
        const mine = pods[p]!.labels;
        for (let q = a; q < b; q++) {
          if (--budget < 0) return undefined;
          const theirs = pods[q]!.labels;
          const readAlike = pass === 0 ? sameLabels(theirs, mine) : alike(selectors.pods, theirs, mine);
          if (readAlike && fits(p, q)) {
            twin[i] = q;
            left--;
            break;
          }
        }
      }
    }
  }
  if (left > 0) return undefined;

  const moved = (dir: IRDirection): IRDirection => {
    const globalClass = dir.globalClass.slice();
    for (let i = 0; i < moving.length; i++) {
      const p = moving[i]!;
      const q = twin[i]!;
      for (let v = 0; v < VARIANTS; v++) globalClass[v * E + p] = dir.globalClass[v * E + q]!;
    }
    return { ...dir, globalClass };
  };
  const next: PolicyTableIR = { ...ir, egress: moved(ir.egress), ingress: moved(ir.ingress) };
  return numberedInOrder(next) ? next : undefined;
}
