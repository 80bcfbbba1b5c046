import type { Cluster, Labels } from "../model/types.ts";
import { type IPAddress, parseIP } from "../net/ip.ts";

/**
 * The cluster's nodes as the compiler needs them (docs/decisions.md #23): every `Node` object and
 * every node a pod names (`spec.nodeName`) or implies (a `hostIP` without a node name), with its
 * labels (none without a `Node` object) and all its addresses — the pods' `hostIP`/`hostIPs` and
 * the `Node`'s InternalIP/ExternalIP — of both families, deduplicated.
 */
export interface NodeTable {
  readonly names: readonly string[];
  readonly labels: readonly Labels[];
  readonly addresses: readonly (readonly IPAddress[])[];
  /** Per pod: its node, −1 when neither a node name nor a host address is known. */
  readonly podNode: Int32Array;
}

const NO_LABELS: Labels = Object.freeze({});

export function buildNodes(cluster: Cluster): NodeTable {
  const byName = new Map<string, number>();
  const names: string[] = [];
  const labels: Labels[] = [];
  const addresses: IPAddress[][] = [];
  const seen: Set<string>[] = [];
  const node = (name: string): number => {
    let n = byName.get(name);
    if (n === undefined) {
      n = names.length;
      byName.set(name, n);
      names.push(name);
      labels.push(NO_LABELS);
      addresses.push([]);
      seen.push(new Set());
    }
    return n;
  };
  // Pods of a node repeat its host address: each distinct text is parsed (and keyed) once.
  const parsed = new Map<string, { ip: IPAddress; key: string } | null>();
  const add = (n: number, text: string): void => {
    let hit = parsed.get(text);
    if (hit === undefined) {
      const ip = parseIP(text);
      hit = ip === undefined ? null : { ip, key: `${ip.family}:${ip.value}` };
      parsed.set(text, hit);
    }
    if (hit === null || seen[n]!.has(hit.key)) return;
    seen[n]!.add(hit.key);
    addresses[n]!.push(hit.ip);
  };
  const podNode = new Int32Array(cluster.pods.length).fill(-1);
  const hostsOf = (pod: Cluster["pods"][number]): string[] => {
    const hosts = [...(pod.hostIP === undefined ? [] : [pod.hostIP]), ...(pod.hostIPs ?? [])];
    // A hostNetwork pod's own addresses are its node's.
    if (pod.hostNetwork) hosts.push(...pod.podIPs);
    return hosts;
  };
  cluster.pods.forEach((pod, i) => {
    if (pod.nodeName === undefined) return;
    const n = node(pod.nodeName);
    podNode[i] = n;
    if (!pod.hostNetwork && pod.hostIPs === undefined) {
      if (pod.hostIP !== undefined) add(n, pod.hostIP); // the common case, without a list
    } else for (const h of hostsOf(pod)) add(n, h);
  });
  for (const object of cluster.nodes) {
    const n = node(object.name);
    labels[n] = object.labels;
    for (const a of object.addresses) add(n, a);
  }
  // A pod without a node name is on the node one of its host addresses belongs to, else on a node
  // known only by that address.
  const byAddress = new Map<string, number>();
  addresses.forEach((list, n) => {
    for (const ip of list)
      if (!byAddress.has(`${ip.family}:${ip.value}`)) byAddress.set(`${ip.family}:${ip.value}`, n);
  });
  cluster.pods.forEach((pod, i) => {
    if (pod.nodeName !== undefined) return;
    const hosts = hostsOf(pod);
    if (hosts.length === 0) return;
    let n: number | undefined;
    for (const h of hosts) {
      const ip = parseIP(h);
      n ??= ip === undefined ? undefined : byAddress.get(`${ip.family}:${ip.value}`);
    }
    if (n === undefined) {
      n = node(`\u0000${hosts[0]}`);
      for (const h of hosts) {
        const ip = parseIP(h);
        if (ip !== undefined) byAddress.set(`${ip.family}:${ip.value}`, n);
      }
    }
    podNode[i] = n;
    for (const h of hosts) add(n, h);
  });
  return { names, labels, addresses, podNode };
}
