// A scenario's probes: every ordered pair of distinct pods, in every address family both have,
// on every probed port; and from every node address (the node namespace) to every pod of that
// family. Each probe carries what `table.decide()` says of it. What the kernel cannot show is
// skipped with a reason, counted per reason.
import type { Cluster, PolicyTable, Protocol } from "../../src/index.ts";

/** A scenario: a cluster and the ports to probe (named ports resolve on the destination pod). */
export interface Scenario {
  readonly name: string;
  readonly cluster: Cluster;
  readonly ports: readonly { readonly port: number | string; readonly protocol: Protocol }[];
  /** Addresses outside the cluster (one namespace holds them all); default `DEFAULT_EXTERNALS`. */
  readonly externals?: readonly string[];
}

/** Documentation addresses (TEST-NET-3, 2001:db8::/32), held by the harness's "external" namespace. */
export const DEFAULT_EXTERNALS: readonly string[] = ["203.0.113.7", "2001:db8::7"];
/** The `to` of a probe towards an external address. */
export const EXTERNAL = "external";

export interface KernelProbe {
  /** Display: a pod's `namespace/name`, or the node address it is sent from. */
  readonly from: string;
  /** A pod's `namespace/name`, or `EXTERNAL`. */
  readonly to: string;
  /** Source slot, −1: the node namespace; `src`: the address it binds (node and external sources). */
  readonly source: number;
  readonly src?: string;
  readonly dst: string;
  readonly dstSlot: number;
  readonly port: number;
  readonly proto: "TCP" | "UDP";
  /** `table.decide()` of the flow in this family: allowed? */
  readonly expect: boolean;
}

export interface Plan {
  readonly scenario: Scenario;
  /** Per slot: the pod it holds and its addresses (primary first); the last may be `EXTERNAL`. */
  readonly slots: readonly { readonly pod: string; readonly addrs: readonly string[] }[];
  readonly nodeAddrs: readonly string[];
  readonly probes: readonly KernelProbe[];
  readonly skipped: ReadonlyMap<string, number>;
}

export const SKIP_SCTP =
  "probes: SCTP (this kernel has no SCTP stack: sockets fail with 'Protocol not supported')";
export const SKIP_HOST_NETWORK =
  "hostNetwork pod as an endpoint (its addresses are its node's: probed as node addresses)";
export const SKIP_SHARED = "pods: with no address, or one another pod also has (not probed as endpoints)";
export const SKIP_UNKNOWN = "probes: the table answers unknown";
export const SKIP_PORT = "probes: port 0, or a named port the destination does not declare";

const isV6 = (ip: string): boolean => ip.includes(":");

/** Pods that get a namespace of their own: not hostNetwork, with addresses no other pod has. */
function placePods(
  cluster: Cluster,
  table: PolicyTable,
  skip: (why: string, n?: number) => void,
): { pod: string; addrs: readonly string[] }[] {
  const hostNet = new Set(cluster.pods.filter((p) => p.hostNetwork).map((p) => `${p.namespace}/${p.name}`));
  const count = new Map<string, number>();
  table.ir.podAddresses.forEach((as) => {
    for (const a of as) count.set(a, (count.get(a) ?? 0) + 1);
  });
  const slots: { pod: string; addrs: readonly string[] }[] = [];
  table.ir.pods.forEach((pod, i) => {
    const addrs = table.ir.podAddresses[i]!;
    if (hostNet.has(pod)) skip(SKIP_HOST_NETWORK);
    else if (addrs.length === 0 || addrs.some((a) => count.get(a) !== 1)) skip(SKIP_SHARED);
    else slots.push({ pod, addrs });
  });
  return slots;
}

/** Node addresses (Node objects, pods' hostIPs) that no pod slot holds: the node namespace's. */
function nodeAddresses(cluster: Cluster, slots: Plan["slots"]): string[] {
  const taken = new Set(slots.flatMap((s) => s.addrs));
  const all = new Set<string>();
  for (const n of cluster.nodes) for (const a of n.addresses) all.add(a);
  for (const p of cluster.pods)
    for (const a of [p.hostIP, ...(p.hostIPs ?? [])]) if (a !== undefined) all.add(a);
  return [...all].filter((a) => !taken.has(a)).sort();
}

export function planScenario(scenario: Scenario, table: PolicyTable): Plan {
  const skipped = new Map<string, number>();
  const skip = (why: string, n = 1): void => void skipped.set(why, (skipped.get(why) ?? 0) + n);
  const slots = placePods(scenario.cluster, table, skip);
  const nodeAddrs = nodeAddresses(scenario.cluster, slots);
  const probes: KernelProbe[] = [];
  const named = (pod: string, name: string, protocol: Protocol): number | undefined => {
    const i = table.ir.pods.indexOf(pod);
    return table.ir.podNamedPorts[i]?.find(([n, p]) => n === name && p === protocol)?.[2];
  };
  const add = (from: string, source: number, src: string | undefined, d: number, dst: string): void => {
    for (const { port, protocol } of scenario.ports) {
      if (protocol === "SCTP") {
        skip(SKIP_SCTP);
        continue;
      }
      const to = slots[d]!.pod;
      const n = typeof port === "number" ? port : named(to, port, protocol);
      if (n === undefined || n === 0) {
        skip(SKIP_PORT);
        continue;
      }
      const verdict = table.decide({ from, to: dst, port: n, protocol }).verdict;
      if (verdict === "unknown") {
        skip(SKIP_UNKNOWN);
        continue;
      }
      const probe = {
        from,
        to,
        source,
        dst,
        dstSlot: d,
        port: n,
        proto: protocol,
        expect: verdict === "allow",
      };
      probes.push(src === undefined ? probe : { ...probe, src });
    }
  };
  const allPodAddrs = new Set(table.ir.podAddresses.flat());
  const ext = (scenario.externals ?? DEFAULT_EXTERNALS).filter(
    (a) => !allPodAddrs.has(a) && !nodeAddrs.includes(a),
  );
  if (ext.length > 0) slots.push({ pod: EXTERNAL, addrs: ext });
  slots.forEach((s, i) => {
    slots.forEach((t, j) => {
      // Self traffic never leaves the pod's namespace; external to external is no cluster's traffic.
      if (i === j) return;
      for (const dst of t.addrs)
        for (const src of s.addrs)
          if (isV6(src) === isV6(dst)) {
            if (s.pod === EXTERNAL) add(src, i, src, j, dst);
            else if (src === s.addrs.find((a) => isV6(a) === isV6(dst))) add(s.pod, i, undefined, j, dst);
          }
    });
  });
  for (const src of nodeAddrs)
    slots.forEach((t, j) => {
      if (t.pod === EXTERNAL) return;
      for (const dst of t.addrs) if (isV6(src) === isV6(dst)) add(src, -1, src, j, dst);
    });
  return { scenario, slots, nodeAddrs, probes, skipped };
}

/** TCP and UDP ports each slot serves in a plan. */
export function servedPorts(plan: Plan): { tcp: number[]; udp: number[] }[] {
  const out = plan.slots.map(() => ({ tcp: new Set<number>(), udp: new Set<number>() }));
  for (const p of plan.probes) (p.proto === "TCP" ? out[p.dstSlot]!.tcp : out[p.dstSlot]!.udp).add(p.port);
  return out.map((s) => ({ tcp: [...s.tcp].sort((a, b) => a - b), udp: [...s.udp].sort((a, b) => a - b) }));
}
