// A pod relabelled into an identity no pod of its namespace has as a whole (issue 14, docs/decisions.md
// #75). The table reads a pod's labels in three roles (selector-roles.ts): its groups follow the
// subject selectors of its namespace, its local classes the local peers there, its global classes
// the global label peers. Each is an id the IR already holds when some pod reads alike under that
// role's selectors alone — one pod of the namespace for the groups, one for the local classes, one
// for the global classes (with the same address variants, named ports and ipBlock part,
// class-fit.ts) — the pod itself, under its old labels, among them. The pod then takes the three
// from those pods: no group, class, cell or row is new. Refused (a compile) where a role has no
// such pod, where an id the pod held is left unused, where the numbering by first appearance would
// move (numbering.ts), or where a diagnostic names the first pod two policies share.
import { type IRDirection, KIND_POD, type PolicyTableIR, VARIANTS } from "../ir/policy-table-ir.ts";
import type { Cluster, Labels } from "../model/types.ts";
import { matchesSelector } from "../selectors/matches-selector.ts";
import { globalClassFit } from "./class-fit.ts";
import { numberedInOrder } from "./numbering.ts";
import { namespacePods, podIndex } from "./pod-order.ts";
import { roleSources } from "./role-sources.ts";
import { selectorRoles } from "./selector-roles.ts";
import type { SelectorIndex } from "./selectors-seen.ts";

/** Whether `id` is held at some index of `xs` in `[from, to)` other than `except`. */
function heldElsewhere(xs: Int32Array, id: number, from: number, to: number, except: number): boolean {
  for (let i = from; i < to; i++) if (xs[i] === id && i !== except) return true;
  return false;
}

/**
 * The IR after pod `namespace/name` of `before` took its labels in `after` (the same pods
 * otherwise), by taking its groups and classes from pods that read alike role by role; `ir` when
 * they are its own; undefined when that cannot be done (compile).
 */
export function relabelInPlace(
  ir: PolicyTableIR,
  before: Cluster,
  after: Cluster,
  namespace: string,
  name: string,
  selectors: SelectorIndex,
): PolicyTableIR | undefined {
  if (ir.podCIDRs.length > 0) return undefined; // open placements are numbered after every endpoint
  const at = podIndex(after.pods, namespace, name);
  if (at < 0 || ir.kind[at] !== KIND_POD || after.pods[at]!.workload !== undefined) return undefined;
  const pods = after.pods;
  const mine = pods[at]!.labels;
  const old: Labels = before.pods[at]!.labels;
  // A cluster policy with no rules is in no group: only its subject count (`selects-no-subject`)
  // reads the pod, so one whose subject reads the two label sets differently is left to a compile.
  const ruleless = after.clusterNetworkPolicies.some(
    (c) =>
      c.ingress.length + c.egress.length === 0 &&
      "pods" in c.subject &&
      matchesSelector(old, c.subject.pods.podSelector) !== matchesSelector(mine, c.subject.pods.podSelector),
  );
  if (ruleless) return undefined;
  const roles = selectorRoles(after, selectors, namespace);
  const [first, end] = namespacePods(pods, namespace);
  const NONE: ReadonlySet<string> = new Set();
  const fits = [true, false].map((egress) =>
    globalClassFit(ir, pods, egress ? selectors.egressPortNames : NONE),
  );
  const sources = roleSources(
    {
      ir,
      pods,
      first,
      end,
      labels: mine,
      ports: pods[at]!.ports,
      self: { at, labels: old },
      fitsGlobal: (egress, q) => fits[egress ? 0 : 1]!(at, q),
    },
    roles,
    selectors,
  );
  if (sources === undefined) return undefined;
  if (sources.every((s) => s.every((q) => q === at))) return ir;

  const E = ir.kind.length;
  const P = ir.pods.length;
  let unused = false;
  const moved = (
    dir: IRDirection,
    [groupOf, localOf, globalOf]: readonly [number, number, number],
  ): IRDirection => {
    const group = dir.group.slice();
    const localClass = dir.localClass.slice();
    const globalClass = dir.globalClass.slice();
    const joinClass = dir.joinClass.slice();
    group[at] = dir.group[groupOf]!;
    localClass[at] = dir.localClass[localOf]!;
    for (let v = 0; v < VARIANTS; v++) globalClass[v * E + at] = dir.globalClass[v * E + globalOf]!;
    for (let f = 0; f < 2; f++) joinClass[f * P + at] = dir.joinClass[f * P + globalOf]!;
    // What the pod leaves must still be someone's: a group or class nobody holds is not compiled.
    const g = dir.group[at]!;
    if (g !== group[at] && g !== 0 && !heldElsewhere(group, g, 0, P, at)) unused = true;
    const l = dir.localClass[at]!;
    if (l !== localClass[at] && !heldElsewhere(localClass, l, first, end, at)) unused = true;
    for (let v = 0; v < VARIANTS; v++) {
      const c = dir.globalClass[v * E + at]!;
      if (c < 0 || c === globalClass[v * E + at]) continue;
      // Held by another pod (a class also holds the diagnostics' "this peer selects a pod").
      let held = false;
      for (let w = 0; w < VARIANTS && !held; w++)
        held =
          heldElsewhere(globalClass, c, w * E, w * E + P, w * E + at) ||
          (w !== v && globalClass[w * E + at] === c);
      if (!held) unused = true;
    }
    for (let f = 0; f < 2; f++) {
      const c = dir.joinClass[f * P + at]!;
      if (c >= 0 && c !== joinClass[f * P + at]) unused = true; // a join class is its pod's own
    }
    return { ...dir, group, localClass, globalClass, joinClass };
  };
  const next: PolicyTableIR = {
    ...ir,
    egress: moved(ir.egress, sources[0]!),
    ingress: moved(ir.ingress, sources[1]!),
  };
  if (unused) return undefined;
  return numberedInOrder(next) ? next : undefined;
}
