import type { Cluster, Labels, Pod } from "../model/types.ts";
import { type IPAddress, parseIP } from "../net/ip.ts";

/**
 * Nodes as the reference sees them (docs/decisions.md #23), computed plainly on every call: a
 * node's addresses are the `hostIP`/`hostIPs` of the pods on it (a hostNetwork pod's `podIPs`
 * too) and its `Node` object's addresses; a pod is on the node it names, else on the node one of
 * its host addresses belongs to, else on a node known only by that address.
 */
export interface RefNode {
  readonly key: string;
  readonly labels: Labels;
  readonly addresses: readonly IPAddress[];
}

const same = (a: IPAddress, b: IPAddress): boolean => a.family === b.family && a.value === b.value;

function hostAddresses(pod: Pod): IPAddress[] {
  const texts = [...(pod.hostIP === undefined ? [] : [pod.hostIP]), ...(pod.hostIPs ?? [])];
  if (pod.hostNetwork) texts.push(...pod.podIPs);
  return texts.map((t) => parseIP(t)).filter((ip): ip is IPAddress => ip !== undefined);
}

/** Every node of the cluster with its labels and addresses. */
export function clusterNodes(cluster: Cluster): RefNode[] {
  const byKey = new Map<string, { labels: Labels; addresses: IPAddress[] }>();
  const get = (key: string) => {
    let n = byKey.get(key);
    if (n === undefined) byKey.set(key, (n = { labels: {}, addresses: [] }));
    return n;
  };
  const add = (list: IPAddress[], ip: IPAddress): void => {
    if (!list.some((x) => same(x, ip))) list.push(ip);
  };
  for (const pod of cluster.pods)
    if (pod.nodeName !== undefined) for (const ip of hostAddresses(pod)) add(get(pod.nodeName).addresses, ip);
  for (const node of cluster.nodes) {
    const n = get(node.name);
    n.labels = node.labels;
    for (const t of node.addresses) {
      const ip = parseIP(t);
      if (ip !== undefined) add(n.addresses, ip);
    }
  }
  for (const pod of cluster.pods) {
    if (pod.nodeName !== undefined) continue;
    const hosts = hostAddresses(pod);
    if (hosts.length === 0) continue;
    let key = [...byKey].find(([, n]) => hosts.some((h) => n.addresses.some((a) => same(a, h))))?.[0];
    key ??= `\u0000${hosts[0]!.family}:${hosts[0]!.value}`;
    for (const ip of hosts) add(get(key).addresses, ip);
  }
  return [...byKey].map(([key, n]) => ({ key, labels: n.labels, addresses: n.addresses }));
}

/** The node a pod is on, if any is known. */
export function nodeOfPod(cluster: Cluster, pod: Pod): RefNode | undefined {
  const nodes = clusterNodes(cluster);
  if (pod.nodeName !== undefined) return nodes.find((n) => n.key === pod.nodeName);
  const hosts = hostAddresses(pod);
  return nodes.find((n) => hosts.some((h) => n.addresses.some((a) => same(a, h))));
}

/** The nodes an address belongs to. */
export function nodesWithAddress(cluster: Cluster, ip: IPAddress): RefNode[] {
  return clusterNodes(cluster).filter((n) => n.addresses.some((a) => same(a, ip)));
}
