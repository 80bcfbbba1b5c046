// The twin of a pod added or removed (splice-pod.ts): a pod of its namespace that every selector
// and rule reads alike — labels every selector answers alike, the same named ports of the names
// rules use, the same node and host addresses, addresses in the same classes — so that it already
// fixed every group, class and cell the pod has. A twin before the pod keeps the numbering (by
// first appearance) as it is; one after it may move it, which `numberedInOrder` (numbering.ts)
// checks on the spliced IR.
import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Pod } from "../model/types.ts";
import { parseIP } from "../net/ip.ts";
import { type AddressCounts, countOf } from "./address-counts.ts";
import { namespacePods } from "./pod-order.ts";
import { alike, type SelectorIndex, type SelectorsByKey } from "./selectors-seen.ts";

/**
 * What a twin is checked against: the cluster's selectors (built on first call: a twin with the
 * same labels and named ports never needs them), and how many pods hold each address of `pods`.
 */
export interface TwinContext {
  readonly selectors: () => SelectorIndex;
  readonly counts: AddressCounts;
  /** The selectors the twin's labels must read alike under (default: every pod selector; a role's, selector-roles.ts). */
  readonly labels?: SelectorsByKey;
}

const sameList = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === (b ?? [])[i]);

/**
 * The named container ports whose names some rule uses (`used`; undefined: every named one), in
 * order: all of a pod's ports the table's cells read.
 */
export const usedPorts = (ports: Pod["ports"], used: ReadonlySet<string> | undefined): Pod["ports"] =>
  ports.filter((p) => p.name !== undefined && (used === undefined || used.has(p.name)));

export const sameLabels = (a: Pod["labels"], b: Pod["labels"]): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};

export const samePorts = (a: Pod["ports"], b: Pod["ports"]): boolean =>
  a.length === b.length &&
  a.every(
    (p, i) =>
      p.name === b[i]!.name && p.protocol === b[i]!.protocol && p.containerPort === b[i]!.containerPort,
  );

/** Address class index of an address (IR classes: per family, in address order), −1 when none. */
export function addressClassOf(ir: PolicyTableIR, text: string): number {
  const ip = parseIP(text);
  if (ip === undefined) return -1;
  const classes = ir.addressClasses;
  let lo = 0;
  let hi = classes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = classes[mid]!;
    if (c.family !== ip.family) {
      if (c.family < ip.family) lo = mid + 1;
      else hi = mid - 1;
      continue;
    }
    if (BigInt(c.last) < ip.value) lo = mid + 1;
    else if (BigInt(c.first) > ip.value) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * The index of a twin of `pod` among `pods` (the pods the IR was compiled from), or −1 when there
 * is none: the first one before `at` (the pod's index), else the first after it. `addresses` says
 * how often each of the pod's addresses may appear in `pods` (counted by `context.counts`; 0 for
 * a pod added: its addresses are new, and indices from `at` on are after it; 1 for a pod removed,
 * `pods[at]` itself: they are its own), and they must fall in the twin's classes, family by
 * family in the same order. A twin after the pod is taken only where no pod range is given
 * (address-less pods' open placements are numbered after every endpoint) and some pod before the
 * pod already named its node and host addresses (nodes, and their addresses, are numbered by
 * first appearance too); the caller checks the rest of the numbering.
 */
export function findTwin(
  ir: PolicyTableIR,
  pods: readonly Pod[],
  pod: Pod,
  at: number,
  addresses: 0 | 1,
  context: TwinContext,
): number {
  if (pod.hostNetwork || pod.workload !== undefined) return -1;
  if (pod.podIPs.length > 0) {
    const mine = pod.podIPs;
    if (new Set(mine).size !== mine.length) return -1;
    // How often the pod's addresses appear (address-counts.ts: kept by the state, not counted).
    let seen = 0;
    for (const a of mine) seen += countOf(context.counts, a);
    if (seen !== addresses * mine.length) return -1;
  }
  const classes = pod.podIPs.map((a) => addressClassOf(ir, a));
  if (classes.some((c) => c < 0)) return -1;
  const named = usedPorts(pod.ports, undefined);
  let used: Pod["ports"] | undefined;
  const portsAlike = (q: Pod): boolean => {
    if (samePorts(usedPorts(q.ports, undefined), named)) return true;
    const { portNames } = context.selectors();
    used ??= usedPorts(pod.ports, portNames);
    return samePorts(usedPorts(q.ports, portNames), used);
  };
  // `exact`: the same named ports (no selector index needed); else alike ports.
  let exact = true;
  const fits = (q: Pod): boolean =>
    q.namespace === pod.namespace &&
    !q.hostNetwork &&
    q.workload === undefined &&
    sameHost(q, pod) &&
    q.podIPs.length === pod.podIPs.length &&
    (exact ? samePorts(usedPorts(q.ports, undefined), named) : portsAlike(q)) &&
    q.podIPs.every((a, i) => addressClassOf(ir, a) === classes[i]);
  // Pods are in (namespace, name) order: a twin is among the pod's namespace; before the pod
  // first (the numbering stays as it is), then after it where that may be checked.
  const lo = Math.min(namespacePods(pods, pod.namespace)[0], at, pods.length);
  let after = -1; // whether a twin after the pod may be taken: unknown, no, yes
  const candidates = (): number[] => {
    const fit: number[] = [];
    for (let t = lo; t < at && t < pods.length; t++) if (fits(pods[t]!)) fit.push(t);
    if (ir.podCIDRs.length > 0) return fit;
    for (let t = at + addresses; t < pods.length && pods[t]!.namespace === pod.namespace; t++)
      if (fits(pods[t]!)) {
        if (after < 0) after = hostSeenBefore(ir, pods, pod, at, ir.node[t]!) ? 1 : 0;
        if (after === 1) fit.push(t);
      }
    return fit;
  };
  // Cheapest first: the same labels and named ports (no selector index needed); then, with
  // alike ports, labels every selector naming a differing key answers alike (keys none names
  // cost a map lookup). Every twin gives the same groups and classes.
  const same = (q: Pod): boolean => sameLabels(q.labels, pod.labels);
  for (const t of candidates()) if (same(pods[t]!)) return t;
  exact = false;
  const seenAlike = (q: Pod): boolean =>
    alike(context.labels ?? context.selectors().pods, q.labels, pod.labels);
  const fit = candidates();
  for (const test of [same, seenAlike]) for (const t of fit) if (test(pods[t]!)) return t;
  return -1;
}

const sameHost = (q: Pod, pod: Pod): boolean =>
  q.nodeName === pod.nodeName && q.hostIP === pod.hostIP && sameList(q.hostIPs, pod.hostIPs);

/** Whether a pod before `at` is on node `node` (−1: none) with the pod's node name and host addresses. */
function hostSeenBefore(
  ir: PolicyTableIR,
  pods: readonly Pod[],
  pod: Pod,
  at: number,
  node: number,
): boolean {
  if (node < 0) return true;
  for (let q = 0; q < at; q++) if (ir.node[q] === node && sameHost(pods[q]!, pod)) return true;
  return false;
}
