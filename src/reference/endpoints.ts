import { AMBIGUOUS, aliasKey, endpointAliases, endpointNames, kindedRef } from "../model/endpoint-names.ts";
import { InputError } from "../model/input-error.ts";
import type { Cluster, Family, Pod } from "../model/types.ts";
import { type IPAddress, parseIP } from "../net/ip.ts";
import { nodeOfPod } from "./nodes.ts";

/**
 * A flow endpoint as the reference sees it (docs/decisions.md #1-#4):
 * - `pod`: a selectable (non-hostNetwork) pod, with its parsed addresses in `podIPs` order, and
 *   `via`, the address it was named by when the flow gave an IP (which then fixes the family, #5);
 * - `address`: an IP with no policies of its own — an external IP or a node's address;
 * - `host`: a hostNetwork pod named by name: no policies of its own, and every address of its node
 *   (#23; `addresses[0]` its primary: `hostIP`, else its first address); `pod` is kept so that a
 *   named flow port can be resolved against it;
 * - `unaddressed`: a hostNetwork pod with no address at all, which cannot take part in a flow.
 */
export type Endpoint =
  | {
      readonly kind: "pod";
      readonly name: string;
      readonly pod: Pod;
      readonly addresses: readonly IPAddress[];
      readonly via?: IPAddress;
    }
  | { readonly kind: "address"; readonly name: string; readonly ip: IPAddress; readonly pod?: Pod }
  | {
      readonly kind: "host";
      readonly name: string;
      readonly pod: Pod;
      readonly addresses: readonly IPAddress[];
    }
  | { readonly kind: "unaddressed"; readonly name: string; readonly pod: Pod };

const sameIP = (a: IPAddress, b: IPAddress): boolean => a.family === b.family && a.value === b.value;

const parsedIPs = (pod: Pod): IPAddress[] =>
  pod.podIPs.map((t) => parseIP(t)).filter((ip): ip is IPAddress => ip !== undefined);

const unknownEndpoint = (message: string): InputError =>
  new InputError([{ code: "unknown-endpoint", message }]);

/** The endpoint a hostNetwork pod stands for: every address of its node, its primary first. */
function hostNetworkEndpoint(cluster: Cluster, name: string, pod: Pod): Endpoint {
  const primary = (pod.hostIP === undefined ? undefined : parseIP(pod.hostIP)) ?? parsedIPs(pod)[0];
  const node = nodeOfPod(cluster, pod)?.addresses ?? [];
  const addresses = [
    ...(primary === undefined ? [] : [primary]),
    ...node.filter((a) => primary === undefined || !sameIP(a, primary)),
  ];
  return addresses.length === 0 ? { kind: "unaddressed", name, pod } : { kind: "host", name, pod, addresses };
}

/** Endpoint names and aliases per cluster (naming is not what the reference checks; computed once). */
const NAMES = new WeakMap<Cluster, { names: string[]; aliases: Map<string, number> }>();
function namesOf(cluster: Cluster): { names: string[]; aliases: Map<string, number> } {
  let n = NAMES.get(cluster);
  if (n === undefined) {
    const names = endpointNames(cluster.pods);
    n = { names, aliases: new Map(endpointAliases(cluster.pods, names)) };
    NAMES.set(cluster, n);
  }
  return n;
}

/**
 * Resolve `namespace/name` or an IP address to an endpoint. An IP that is the address of exactly
 * one non-hostNetwork pod is that pod; shared by several, it is an external address (#2).
 * Anything else throws `InputError` with code `unknown-endpoint` (#1).
 */
export function resolveEndpoint(cluster: Cluster, ref: string): Endpoint {
  if (typeof ref !== "string")
    throw unknownEndpoint(`endpoint must be "namespace/name" or an IP, got ${typeof ref}`);
  // Display names (`ns/name`, `ns/name[Kind]` when shared) and aliases (docs/decisions.md #53).
  const { names, aliases } = namesOf(cluster);
  const kinded = kindedRef(ref);
  const own = cluster.pods.findIndex(
    (p, i) =>
      names[i] === ref ||
      (kinded !== undefined &&
        `${p.namespace}/${p.name}` === kinded.base &&
        (p.workload ?? "Pod").toLowerCase() === kinded.kind),
  );
  const index = own >= 0 ? own : aliases.get(aliasKey(ref));
  if (index === AMBIGUOUS)
    throw new InputError([{ code: "ambiguous-endpoint", message: `"${ref}" names more than one endpoint` }]);
  if (index !== undefined) {
    const named = cluster.pods[index]!;
    const name = names[index]!;
    return named.hostNetwork
      ? hostNetworkEndpoint(cluster, name, named)
      : { kind: "pod", name, pod: named, addresses: parsedIPs(named) };
  }
  const ip = parseIP(ref);
  if (ip === undefined)
    throw unknownEndpoint(
      ref.includes("/")
        ? `no pod "${ref}" in the cluster`
        : `"${ref}" is neither namespace/name nor an IP address`,
    );
  const owners = cluster.pods.filter((p) => !p.hostNetwork && parsedIPs(p).some((a) => sameIP(a, ip)));
  if (owners.length === 1) {
    const pod = owners[0]!;
    const name = names[cluster.pods.indexOf(pod)]!;
    return { kind: "pod", name, pod, addresses: parsedIPs(pod), via: ip };
  }
  return { kind: "address", name: ref, ip };
}

/** The flow's address family, or why it has none that both endpoints can use. */
export type FamilyResult =
  | { readonly ok: true; readonly family: Family | undefined }
  | { readonly ok: false; readonly reason: string };

const familyName = (f: Family): string => (f === 4 ? "IPv4" : "IPv6");

/**
 * docs/decisions.md #5-#8 and DESIGN §1 (dual-stack): an endpoint given as an IP — an external
 * address, or a pod named by its address — or a hostNetwork pod fixes the family to that address's
 * (two of different families: none); between two pods named by `namespace/name` it is the
 * destination's primary family, else the source's; every pod with addresses needs one of that
 * family; two address-less pods have no family at all.
 */
export function flowFamily(src: Endpoint, dst: Endpoint, addressLessAnyFamily = false): FamilyResult {
  for (const e of [src, dst])
    if (e.kind === "unaddressed")
      return { ok: false, reason: `${e.name} is a hostNetwork pod with no address (no status.hostIP)` };
  const given = (e: Endpoint): IPAddress | undefined =>
    e.kind === "address" ? e.ip : e.kind === "pod" ? e.via : undefined;
  let family: Family | undefined = (given(dst) ?? given(src))?.family;
  // A hostNetwork pod named by name: its primary's family, unless an IP endpoint fixed it.
  if (family === undefined && dst.kind === "host") family = dst.addresses[0]!.family;
  if (family === undefined && src.kind === "host") family = src.addresses[0]!.family;
  for (const e of [src, dst])
    if (e.kind === "host" && family !== undefined && !e.addresses.some((a) => a.family === family))
      return {
        ok: false,
        reason: `${e.name} is a hostNetwork pod whose node has no ${familyName(family)} address`,
      };
  if (family === undefined && dst.kind === "pod" && src.kind === "pod")
    family = dst.addresses[0]?.family ?? src.addresses[0]?.family;
  for (const e of [src, dst]) {
    const ip = given(e);
    if (ip !== undefined && ip.family !== family)
      return { ok: false, reason: `${e.name} is ${familyName(ip.family)} but the flow is not` };
    if (e.kind !== "pod") continue;
    if (family === undefined) continue; // both pods address-less: decided on labels alone (#8)
    // No CIDR matches a pod (ipblock-external): an address-less pod takes part in any family (#60).
    if (e.addresses.length === 0 && addressLessAnyFamily) continue;
    if (e.addresses.length === 0)
      return {
        ok: false,
        reason: `${e.name} has no address but the other endpoint has one; the flow has no address family`,
      };
    if (!e.addresses.some((a) => a.family === family))
      return {
        ok: false,
        reason: `${e.name} has no ${familyName(family)} address, and the flow is ${familyName(family)} (docs/decisions.md #5-#7)`,
      };
  }
  return { ok: true, family };
}

/** The address an endpoint has in the flow's family (a pod: its first of that family). */
export function addressIn(e: Endpoint, family: Family | undefined): IPAddress | undefined {
  if (family === undefined) return undefined;
  if (e.kind === "address") return e.ip.family === family ? e.ip : undefined;
  if (e.kind === "pod" || e.kind === "host") return e.addresses.find((a) => a.family === family);
  return undefined;
}

export { sameIP };
