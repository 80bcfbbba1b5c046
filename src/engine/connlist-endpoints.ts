// The endpoints of a connectivity list: workloads (pods folded into their top owner, a pod
// without one as itself) and external address ranges (address classes of one identity merged).

import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import { endpointIdentities } from "../ir/read-identities.ts";
import type { ExternalEndpoint, ListEndpoint, WorkloadEndpoint } from "../model/connections.ts";
import type { Family } from "../model/types.ts";
import { formatIP } from "../net/ip.ts";

/** The list's endpoints sorted by name, each with the identities of its members. */
export interface ListMembers {
  readonly endpoints: ListEndpoint[];
  /** Per endpoint: the distinct identities of its pods or address classes. */
  readonly identities: readonly (readonly number[])[];
  /** Per identity: its first two members (endpoint indices; `second` −1 when it has one). */
  readonly first: readonly number[];
  readonly second: readonly number[];
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
  const byName = new Map<string, { endpoint: ListEndpoint; identities: Set<number> }>();
  const workloads = new Map<
    string,
    { w: ReturnType<typeof workloadOf>; pods: string[]; identities: Set<number> }
  >();
  const externals = new Map<number, { family: Family; ranges: [bigint, bigint][] }>();
  candidates.forEach((e, i) => {
    const id = ids.identity[i]!;
    if (e < P) {
      const w = workloadOf(ir, e);
      const name = `${w.namespace}/${w.workload}[${w.kind}]`;
      const entry = workloads.get(name) ?? { w, pods: [], identities: new Set<number>() };
      if (ir.endpointKinds[e] === "Pod") entry.pods.push(ir.pods[e]!);
      entry.identities.add(id);
      workloads.set(name, entry);
      return;
    }
    const c = ir.addressClasses[e - P]!;
    const entry = externals.get(id) ?? { family: c.family, ranges: [] };
    entry.ranges.push([BigInt(c.first), BigInt(c.last)]);
    externals.set(id, entry);
  });
  for (const [name, { w, pods, identities }] of workloads) {
    const endpoint: WorkloadEndpoint = { type: "workload", name, ...w, pods };
    byName.set(name, { endpoint, identities });
  }
  for (const [id, { family, ranges }] of externals) {
    const texts = mergeRanges(ranges).map(
      ([a, b]) => [formatIP({ family, value: a }), formatIP({ family, value: b })] as const,
    );
    const name = texts.map(([a, b]) => `${a}-${b}`).join(",");
    const endpoint: ExternalEndpoint = { type: "external", name, family, ranges: texts };
    byName.set(name, { endpoint, identities: new Set([id]) });
  }
  const names = [...byName.keys()].sort(compare);
  return {
    endpoints: names.map((n) => byName.get(n)!.endpoint),
    identities: names.map((n) => [...byName.get(n)!.identities]),
    first: ids.first,
    second: ids.second,
  };
}
