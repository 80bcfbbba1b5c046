// How pods and workload endpoints are named in flows and reports (docs/decisions.md #54).
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
  const bases = new Array<string>(pods.length);
  // Pods in canonical (namespace, name) order have endpoints sharing a name side by side: then
  // neighbours tell, without hashing every name; in any other order a set does.
  let ordered = true;
  let anyShared = false;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!;
    bases[i] = `${p.namespace}/${p.name}`;
    if (i === 0) continue;
    const q = pods[i - 1]!;
    if (q.namespace === p.namespace && q.name === p.name) anyShared = true;
    else if (q.namespace > p.namespace || (q.namespace === p.namespace && q.name > p.name)) ordered = false;
  }
  let shared: (i: number) => boolean;
  if (ordered) {
    if (!anyShared) return bases;
    shared = (i) =>
      (i > 0 && bases[i - 1] === bases[i]) || (i + 1 < bases.length && bases[i + 1] === bases[i]);
  } else {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const b of bases) {
      if (seen.has(b)) twice.add(b);
      seen.add(b);
    }
    if (twice.size === 0) return bases;
    shared = (i) => twice.has(bases[i]!);
  }
  return bases.map((b, i) => (shared(i) ? `${b}[${endpointKind(pods[i]!)}]` : b));
}

/** Index −1 in `endpointAliases`: the name stands for endpoints of more than one kind. */
export const AMBIGUOUS = -1;

/** `ns/name[Kind]` split, the kind lower-cased; `undefined` for a reference without a kind. */
export function kindedRef(ref: string): { base: string; kind: string } | undefined {
  if (!ref.endsWith("]")) return undefined;
  const open = ref.lastIndexOf("[");
  if (open <= 0 || !/^[A-Za-z]+$/.test(ref.slice(open + 1, -1))) return undefined;
  return { base: ref.slice(0, open), kind: ref.slice(open + 1, -1).toLowerCase() };
}

/** The lookup key of a reference: `ns/name`, or `ns/name[kind]` with the kind lower-cased. */
export function aliasKey(ref: string): string {
  const k = kindedRef(ref);
  return k === undefined ? ref : `${k.base}[${k.kind}]`;
}

/**
 * The names an owner of pods answers to and the bare names several endpoints share, as
 * `[key, endpoint]` pairs sorted by key (keys as `aliasKey` makes them): a workload with pods in
 * the input is `ns/owner[kind]` and — when no endpoint and no other owner kind has that name —
 * `ns/owner`, standing for its first pod; a bare `ns/name` shared by endpoints of several kinds
 * maps to `AMBIGUOUS`. Display names and each endpoint's own `ns/name[Kind]` are not listed
 * (`kindedIndex` finds those).
 */
export function endpointAliases(pods: readonly Pod[], names: readonly string[]): [string, number][] {
  const out = new Map<string, number>();
  const ownerKinds = new Map<string, Set<string>>();
  pods.forEach((p, i) => {
    // A display name is `ns/name`, or `ns/name[Kind]` where endpoints share the bare name.
    const name = names[i]!;
    if (name.endsWith("]")) out.set(name.slice(0, name.lastIndexOf("[")), AMBIGUOUS);
    if (p.owner === undefined) return;
    const ownerBase = `${p.namespace}/${p.owner.name}`;
    const key = `${ownerBase}[${p.owner.kind.toLowerCase()}]`;
    if (!out.has(key)) out.set(key, i);
    const kinds = ownerKinds.get(ownerBase) ?? new Set();
    ownerKinds.set(ownerBase, kinds.add(p.owner.kind.toLowerCase()));
  });
  const taken = ownerKinds.size === 0 ? undefined : new Set(names);
  for (const [base, kinds] of ownerKinds) {
    if (taken!.has(base) || out.get(base) === AMBIGUOUS) continue;
    out.set(base, kinds.size > 1 ? AMBIGUOUS : out.get(`${base}[${[...kinds][0]}]`)!);
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Every endpoint by its own `ns/name[kind]` key (kind lower-cased), from display names and kinds
 * (`endpointKinds` of the IR): built once, when a flow first names an endpoint with its kind.
 */
export function kindedIndex(names: readonly string[], kinds: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  names.forEach((name, i) => {
    const kind = kinds[i]!;
    const suffix = `[${kind}]`;
    const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
    out.set(`${base}[${kind.toLowerCase()}]`, i);
  });
  return out;
}
