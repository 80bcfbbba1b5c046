// The pods a pod's ids come from, role by role (decision #75): per direction, the first pod of its
// namespace whose labels the role's selectors read alike (selector-roles.ts) and that has the same
// named ports of the names the role's vector reads — ingress rules' for an ingress group, egress
// rules' for an egress local or global class — or, for a relabel, the pod itself where its old
// labels read alike. Used by the in-place relabel and by a pod added without a twin.
import { KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Labels, Pod } from "../model/types.ts";
import { samePorts, usedPorts } from "./find-twin.ts";
import { alike, type SelectorIndex, type SelectorRoles, type SelectorsByKey } from "./selectors-seen.ts";

/** Per role, the index of the pod (of the IR's pods) a pod takes its id from, or −1. */
export type RoleSource = readonly [group: number, local: number, global: number];

/** What the search reads: the IR's pods, the pod's namespace `[first, end)` among them, the pod's labels and ports. */
export interface RoleQuery {
  readonly ir: PolicyTableIR;
  readonly pods: readonly Pod[];
  readonly first: number;
  readonly end: number;
  readonly labels: Labels;
  readonly ports: Pod["ports"];
  /** A relabel: the pod's own index and old labels (it is its own source where those read alike). */
  readonly self?: { readonly at: number; readonly labels: Labels };
  /** Whether pod `q` would hold the pod's global classes but for labels, per direction (class-fit.ts). */
  readonly fitsGlobal: (egress: boolean, q: number) => boolean;
}

const NONE: ReadonlySet<string> = new Set();

/** Per direction (egress, ingress) the pods of each role, or undefined where a role has none. */
export function roleSources(
  query: RoleQuery,
  roles: SelectorRoles,
  selectors: SelectorIndex,
): readonly [RoleSource, RoleSource] | undefined {
  const { ir, pods, first, end, labels, self } = query;
  const source = (role: SelectorsByKey, fits: (q: number) => boolean): number => {
    if (self !== undefined && alike(role, self.labels, labels)) return self.at;
    for (let q = first; q < end; q++)
      if (
        q !== self?.at &&
        pods[q]!.workload === undefined &&
        fits(q) &&
        alike(role, pods[q]!.labels, labels)
      )
        return q;
    return -1;
  };
  const portsOf = (names: ReadonlySet<string>) => {
    const mine = usedPorts(query.ports, names);
    return (q: number): boolean =>
      ir.kind[q] === KIND_POD && samePorts(usedPorts(pods[q]!.ports, names), mine);
  };
  const { egressPortNames: egressNames, ingressPortNames: ingressNames } = selectors;
  const out: RoleSource[] = [];
  for (const egress of [true, false]) {
    const group = source(roles.subjects, portsOf(egress ? NONE : ingressNames));
    const local = group < 0 ? -1 : source(roles.local, portsOf(egress ? egressNames : NONE));
    const global = local < 0 ? -1 : source(roles.global, (q) => query.fitsGlobal(egress, q));
    if (global < 0) return undefined;
    out.push([group, local, global]);
  }
  return [out[0]!, out[1]!];
}
