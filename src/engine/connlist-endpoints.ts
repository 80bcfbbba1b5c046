// The endpoints of a connectivity list: workloads (pods folded into their top owner, a pod
// without one as itself) and external address ranges (address classes of one identity merged).

import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import { endpointIdentities, type Identities, readsNode } from "../ir/read-identities.ts";
import type { ExternalEndpoint, ListEndpoint, WorkloadEndpoint } from "../model/connections.ts";
import type { Family } from "../model/types.ts";
import { formatIP } from "../net/ip.ts";

/** The list's endpoints sorted by name, each with the identities of its members (read-identities.ts). */
export interface ListMembers {
  readonly endpoints: ListEndpoint[];
  /** Per endpoint: the distinct full identities of its pods or address classes. */
  readonly fullIds: readonly (readonly number[])[];
  /** Per endpoint: the distinct cross-namespace identities. */
  readonly crossIds: readonly (readonly number[])[];
  readonly full: Identities;
  readonly cross: Identities;
  /** Per endpoint: its member endpoint indices (pods, address classes). */
  readonly members: readonly (readonly number[])[];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The families whose external ranges are listed: the profile's, else those the cluster uses (IPv4 when none). */
function listedFamilies(ir: PolicyTableIR): readonly Family[] {
  if (ir.profile.listFamilies !== undefined) return ir.profile.listFamilies;
  const used = (f: Family): boolean =>
    ir.addressClasses.filter((c) => c.family === f).length > 1 ||
    ir.podAddresses.some((list) => list.some((a) => a.includes(":") === (f === 6)));
  const out = ([4, 6] as const).filter(used);
  return out.length === 0 ? [4] : out;
}

/** `ns/name[Kind]` of pod `i`'s workload: its top owner's, else its own (`Pod`, or a template's kind). */
function workloadOf(ir: PolicyTableIR, i: number): { namespace: string; workload: string; kind: string } {
  const display = ir.pods[i]!;
  const slash = display.indexOf("/");
  const namespace = display.slice(0, slash);
  const owner = ir.podOwners[i]!;
  if (owner !== "") {
    const cut = owner.indexOf("/");
    return { namespace, workload: owner.slice(cut + 1), kind: owner.slice(0, cut) };
  }
  const bracket = display.indexOf("[", slash);
  return {
    namespace,
    workload: display.slice(slash + 1, bracket < 0 ? undefined : bracket),
    kind: ir.endpointKinds[i]!,
  };
}

/** Merge sorted inclusive bigint ranges that touch. */
function mergeRanges(ranges: [bigint, bigint][]): [bigint, bigint][] {
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] + 1n >= r[0]) {
      if (r[1] > last[1]) last[1] = r[1];
    } else out.push([r[0], r[1]]);
  }
  return out;
}

/** The list's endpoints and their identities. */
export function listMembers(ir: PolicyTableIR): ListMembers {
  const P = ir.pods.length;
  const families = listedFamilies(ir);
  const candidates: number[] = [];
  for (let i = 0; i < P; i++) candidates.push(i);
  ir.addressClasses.forEach((c, j) => {
    if (families.includes(c.family)) candidates.push(P + j);
  });
  const ids = endpointIdentities(ir, candidates);
  type Ids = { full: Set<number>; cross: Set<number>; members: number[] };
  const newIds = (): Ids => ({ full: new Set(), cross: new Set(), members: [] });
  const byName = new Map<string, { endpoint: ListEndpoint; ids: Ids }>();
  const workloads = new Map<string, { w: ReturnType<typeof workloadOf>; pods: string[]; ids: Ids }>();
  // External ranges: the address classes of one full identity, merged (they answer alike).
  const externals = new Map<string, { family: Family; ranges: [bigint, bigint][]; ids: Ids }>();
  candidates.forEach((e, i) => {
    const full = ids.full.identity[i]!;
    const cross = ids.cross.identity[i]!;
    let entry: { ids: Ids };
    if (e < P) {
      const w = workloadOf(ir, e);
      const name = `${w.namespace}/${w.workload}[${w.kind}]`;
      const known = workloads.get(name) ?? { w, pods: [], ids: newIds() };
      if (ir.endpointKinds[e] === "Pod") known.pods.push(ir.pods[e]!);
      workloads.set(name, known);
      entry = known;
    } else {
      const c = ir.addressClasses[e - P]!;
      // A node's address reaches its own pods (own-node rule): never merged with another node's.
      const key = `${full},${readsNode(ir, e) ? ir.node[e] : -1}`;
      const known = externals.get(key) ?? { family: c.family, ranges: [], ids: newIds() };
      known.ranges.push([BigInt(c.first), BigInt(c.last)]);
      externals.set(key, known);
      entry = known;
    }
    entry.ids.full.add(full);
    entry.ids.cross.add(cross);
    entry.ids.members.push(e);
  });
  for (const [name, { w, pods, ids }] of workloads) {
    const endpoint: WorkloadEndpoint = { type: "workload", name, ...w, pods };
    byName.set(name, { endpoint, ids });
  }
  for (const [, { family, ranges, ids }] of externals) {
    const texts = mergeRanges(ranges).map(
      ([a, b]) => [formatIP({ family, value: a }), formatIP({ family, value: b })] as const,
    );
    const name = texts.map(([a, b]) => `${a}-${b}`).join(",");
    const endpoint: ExternalEndpoint = { type: "external", name, family, ranges: texts };
    byName.set(name, { endpoint, ids });
  }
  const names = [...byName.keys()].sort(compare);
  return {
    endpoints: names.map((n) => byName.get(n)!.endpoint),
    fullIds: names.map((n) => [...byName.get(n)!.ids.full]),
    crossIds: names.map((n) => [...byName.get(n)!.ids.cross]),
    full: ids.full,
    cross: ids.cross,
    members: names.map((n) => byName.get(n)!.ids.members),
  };
}
