// The fast path of an incremental update: a pod added into an identity the table already has.
// Its twin (find-twin.ts) already fixed every group, class and cell the new pod would get, so the
// new IR is the old one with one endpoint inserted at the pod's canonical index, copying the
// twin's fields; or, for a pod removed that has a twin, the old one without its endpoint.
import type { IRDirection, PolicyTableIR } from "../ir/policy-table-ir.ts";
import { endpointAliases, endpointKind, endpointNames, ownerText } from "../model/endpoint-names.ts";
import type { Cluster, Pod } from "../model/types.ts";

/** The pod's `podNamedPorts` entry: every named port `[name, protocol, number]`, the twin's list when equal. */
function namedPortsOf(
  pod: Pod,
  twins: PolicyTableIR["podNamedPorts"][number],
): PolicyTableIR["podNamedPorts"][number] {
  const mine = pod.ports.filter((p) => p.name !== undefined);
  const same =
    mine.length === twins.length &&
    mine.every(
      (p, i) => p.name === twins[i]![0] && p.protocol === twins[i]![1] && p.containerPort === twins[i]![2],
    );
  return same ? twins : mine.map((p) => [p.name!, p.protocol, p.containerPort] as const);
}

/** `src` with `value` inserted at `at` (typed arrays of any kind). */
function insert<A extends Int32Array | Uint8Array>(src: A, at: number, value: number): A {
  const out = new (src.constructor as { new (n: number): A })(src.length + 1);
  out.set(src.subarray(0, at), 0);
  out[at] = value;
  out.set(src.subarray(at), at + 1);
  return out;
}

/** Per-variant blocks of `V` × `n`: each block gets `twin`'s value inserted at `at`. */
function insertBlocks(src: Int32Array, blocks: number, n: number, at: number, twin: number): Int32Array {
  const out = new Int32Array((n + 1) * blocks);
  for (let b = 0; b < blocks; b++) {
    const base = b * n;
    out.set(src.subarray(base, base + at), b * (n + 1));
    out[b * (n + 1) + at] = src[base + twin]!;
    out.set(src.subarray(base + at, base + n), b * (n + 1) + at + 1);
  }
  return out;
}

/** One direction with endpoint `at` inserted: its group from pod `roles[0]`, its local class from `roles[1]`, the rest from `twin`. */
function spliceDirection(
  dir: IRDirection,
  E: number,
  P: number,
  at: number,
  twin: number,
  roles: readonly number[] = [twin, twin],
): IRDirection {
  return {
    ...dir,
    group: insert(dir.group, at, dir.group[roles[0]!]!),
    localClass: insert(dir.localClass, at, dir.localClass[roles[1]!]!),
    globalClass: insertBlocks(dir.globalClass, 3, E, at, twin),
    joinClass: insertBlocks(dir.joinClass, 2, P, at, twin),
  };
}

/** The first index of sorted `[key, …]` pairs whose key is ≥ `x`. */
function lowerBound(pairs: PolicyTableIR["aliases"], x: string): number {
  let lo = 0;
  let hi = pairs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pairs[mid]![0] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The display names and aliases after the insert: the old ones with the new pod's `ns/name` put in
 * and the aliases' endpoints shifted, when the name is new to its namespace and the pod brings no
 * owner of its own (its twin's, or none) — else computed again (model/endpoint-names.ts).
 */
function namesAfter(
  ir: PolicyTableIR,
  after: Cluster,
  pod: Pod,
  at: number,
  twin: number,
  ins: <T>(xs: readonly T[], value: T) => T[],
): { names: readonly string[]; aliases: PolicyTableIR["aliases"] } {
  const base = `${pod.namespace}/${pod.name}`;
  const kinded = `${base}[`;
  const named = (n: string): boolean => n === base || n.startsWith(kinded);
  // The names of a namespace are contiguous (pods are in namespace order), around `at`; aliases
  // are sorted by key, so a key `base` or `base[…` sits at the lower bound of either.
  const prefix = `${pod.namespace}/`;
  let clash = ownerText(pod) !== ir.podOwners[twin];
  for (let i = at - 1; !clash && i >= 0 && ir.pods[i]!.startsWith(prefix); i--) clash = named(ir.pods[i]!);
  for (let i = at; !clash && i < ir.pods.length && ir.pods[i]!.startsWith(prefix); i++)
    clash = named(ir.pods[i]!);
  for (const x of [base, kinded]) {
    const k = ir.aliases[lowerBound(ir.aliases, x)];
    if (k !== undefined && named(k[0])) clash = true;
  }
  if (clash) {
    const names = endpointNames(after.pods);
    return { names, aliases: endpointAliases(after.pods, names) };
  }
  const aliases = ir.aliases.map(([key, e]) => [key, e >= at ? e + 1 : e] as const);
  if (pod.owner !== undefined) {
    // An owner's names stand for its first pod: the new one, when it sorts before that pod (a
    // twin after it). The bare name is listed only for an owner of one kind, or as ambiguous.
    const ownerBase = `${pod.namespace}/${pod.owner.name}`;
    for (const key of [`${ownerBase}[${pod.owner.kind.toLowerCase()}]`, ownerBase]) {
      const i = lowerBound(aliases, key);
      const hit = aliases[i];
      if (hit !== undefined && hit[0] === key && hit[1] > at) aliases[i] = [key, at];
    }
  }
  return { names: ins(ir.pods, base), aliases };
}

/**
 * The IR of `after` (= `before` + `pod` at index `at`) from `before`'s IR and the pod's twin; or,
 * with `roles`, per direction the pods (indices of `before`) whose group and local class it takes,
 * the twin giving the rest (its global classes, node and address facts: relabel-in-place.ts's roles).
 */
export function spliceTwin(
  ir: PolicyTableIR,
  after: Cluster,
  pod: Pod,
  at: number,
  twin: number,
  roles?: readonly (readonly number[])[],
): PolicyTableIR {
  const E = ir.kind.length;
  const P = ir.pods.length;
  const ins = <T>(xs: readonly T[], value: T): T[] => {
    const out = xs.slice();
    out.splice(at, 0, value);
    return out;
  };
  const { names, aliases } = namesAfter(ir, after, pod, at, twin, ins);
  return {
    ...ir,
    pods: names,
    endpointKinds: ins(ir.endpointKinds, endpointKind(pod)),
    podOwners: ins(ir.podOwners, ownerText(pod)),
    aliases,
    podAddresses: ins(ir.podAddresses, pod.podIPs.slice()),
    podNamedPorts: ins(ir.podNamedPorts, namedPortsOf(pod, ir.podNamedPorts[twin]!)),
    kind: insert(ir.kind, at, ir.kind[twin]!),
    namespace: insert(ir.namespace, at, ir.namespace[twin]!),
    primaryVariant: insert(ir.primaryVariant, at, ir.primaryVariant[twin]!),
    variantMask: insert(ir.variantMask, at, ir.variantMask[twin]!),
    node: insert(ir.node, at, ir.node[twin]!),
    egress: spliceDirection(ir.egress, E, P, at, twin, roles?.[0]),
    ingress: spliceDirection(ir.ingress, E, P, at, twin, roles?.[1]),
  };
}

/** `src` without entry `at` (typed arrays of any kind). */
function remove<A extends Int32Array | Uint8Array>(src: A, at: number): A {
  const out = new (src.constructor as { new (n: number): A })(src.length - 1);
  out.set(src.subarray(0, at), 0);
  out.set(src.subarray(at + 1), at);
  return out;
}

/** Per-variant blocks of `n`: entry `at` of each removed. */
function removeBlocks(src: Int32Array, blocks: number, n: number, at: number): Int32Array {
  const out = new Int32Array((n - 1) * blocks);
  for (let b = 0; b < blocks; b++) {
    const base = b * n;
    out.set(src.subarray(base, base + at), b * (n - 1));
    out.set(src.subarray(base + at + 1, base + n), b * (n - 1) + at);
  }
  return out;
}

function removeFromDirection(dir: IRDirection, E: number, P: number, at: number): IRDirection {
  return {
    ...dir,
    group: remove(dir.group, at),
    localClass: remove(dir.localClass, at),
    globalClass: removeBlocks(dir.globalClass, 3, E, at),
    joinClass: removeBlocks(dir.joinClass, 2, P, at),
  };
}

/**
 * The IR of `after` (= the IR's cluster without its pod `at`, which has a twin before it): every
 * per-endpoint field without entry `at`; names and aliases shifted, or computed again when an
 * alias names the pod or its name is shared (model/endpoint-names.ts).
 */
export function spliceOut(ir: PolicyTableIR, after: Cluster, at: number): PolicyTableIR {
  const E = ir.kind.length;
  const P = ir.pods.length;
  const del = <T>(xs: readonly T[]): T[] => {
    const out = xs.slice();
    out.splice(at, 1);
    return out;
  };
  const name = ir.pods[at]!;
  // Shifting is enough unless an alias names this pod (the first pod of its owner) or its name
  // is shared (`ns/name[Kind]`) or is an owner's,
  // or an owner has its name (the owner's bare alias is hidden while a pod holds the name).
  const owned = ir.aliases[lowerBound(ir.aliases, `${name}[`)]?.[0].startsWith(`${name}[`) === true;
  const plain = !name.endsWith("]") && !owned && !ir.aliases.some(([key, e]) => e === at || key === name);
  let names: readonly string[];
  let aliases: PolicyTableIR["aliases"];
  if (plain) {
    names = del(ir.pods);
    aliases = ir.aliases.map(([key, e]) => [key, e > at ? e - 1 : e] as const);
  } else {
    names = endpointNames(after.pods);
    aliases = endpointAliases(after.pods, names);
  }
  return {
    ...ir,
    pods: names,
    endpointKinds: del(ir.endpointKinds),
    podOwners: del(ir.podOwners),
    aliases,
    podAddresses: del(ir.podAddresses),
    podNamedPorts: del(ir.podNamedPorts),
    kind: remove(ir.kind, at),
    namespace: remove(ir.namespace, at),
    primaryVariant: remove(ir.primaryVariant, at),
    variantMask: remove(ir.variantMask, at),
    node: remove(ir.node, at),
    egress: removeFromDirection(ir.egress, E, P, at),
    ingress: removeFromDirection(ir.ingress, E, P, at),
  };
}
