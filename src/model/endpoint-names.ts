// How pods and workload endpoints are named in flows and reports (docs/decisions.md #53).
import type { Pod } from "./types.ts";

/** The kind an endpoint is named with in `ns/name[Kind]`: `Pod`, or its workload kind. */
export const endpointKind = (p: Pod): string => p.workload ?? "Pod";

/** `Kind/name` of a pod's top owner, `""` when it has none. */
export const ownerText = (p: Pod): string => (p.owner === undefined ? "" : `${p.owner.kind}/${p.owner.name}`);

/**
 * The display name of every endpoint, in the pods' order: `ns/name`, or `ns/name[Kind]` when two
 * endpoints of one namespace share the name (a Pod `web` and a Deployment `web`).
 *
 * @example
 * endpointNames([pod("a", "web"), { ...pod("a", "web"), workload: "Deployment" }])
 * // ["a/web[Pod]", "a/web[Deployment]"]
 */
export function endpointNames(pods: readonly Pod[]): string[] {
  const count = new Map<string, number>();
  for (const p of pods) {
    const base = `${p.namespace}/${p.name}`;
    count.set(base, (count.get(base) ?? 0) + 1);
  }
  return pods.map((p) => {
    const base = `${p.namespace}/${p.name}`;
    return count.get(base)! > 1 ? `${base}[${endpointKind(p)}]` : base;
  });
}

/** Index −1 in `endpointAliases`: the name stands for endpoints of more than one kind. */
export const AMBIGUOUS = -1;

/** The lookup key of a reference: `ns/name`, or `ns/name[kind]` with the kind lower-cased. */
export function aliasKey(ref: string): string {
  const m = /^(.*)\[([A-Za-z]+)\]$/.exec(ref);
  return m === null ? ref : `${m[1]}[${m[2]!.toLowerCase()}]`;
}

/**
 * Every other name an endpoint answers to, as `[key, endpoint]` pairs sorted by key (keys as
 * `aliasKey` makes them): each endpoint's `ns/name[Kind]`; a workload that has pods in the input,
 * by `ns/owner[Kind]` and — when no endpoint and no other owner kind has that name —
 * `ns/owner`, standing for its first pod; a bare `ns/name` that several kinds share maps to
 * `AMBIGUOUS`. Display names (`endpointNames`) are not repeated here.
 */
export function endpointAliases(pods: readonly Pod[]): [string, number][] {
  const names = endpointNames(pods);
  const taken = new Set(names);
  const out = new Map<string, number>();
  const ownerBases = new Map<string, Set<string>>();
  pods.forEach((p, i) => {
    const base = `${p.namespace}/${p.name}`;
    const kinded = aliasKey(`${base}[${endpointKind(p)}]`);
    if (!out.has(kinded)) out.set(kinded, i);
    if (names[i] !== base) out.set(base, AMBIGUOUS);
    if (p.owner === undefined) return;
    const ownerBase = `${p.namespace}/${p.owner.name}`;
    const ownerKinded = aliasKey(`${ownerBase}[${p.owner.kind}]`);
    if (!out.has(ownerKinded)) out.set(ownerKinded, i);
    const kinds = ownerBases.get(ownerBase) ?? new Set();
    kinds.add(p.owner.kind);
    ownerBases.set(ownerBase, kinds);
  });
  for (const [base, kinds] of ownerBases) {
    if (taken.has(base) || out.get(base) === AMBIGUOUS) continue;
    if (kinds.size > 1) out.set(base, AMBIGUOUS);
    else out.set(base, out.get(aliasKey(`${base}[${[...kinds][0]}]`))!);
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
