// The shapes of issue 14's scale scenarios that generate.ts does not write by itself, deterministic
// for a seed (never Math.random):
//
// * `generateDense` (L-dense): Antrea's one-namespace benchmark — one namespace, 10,000 pods and
//   10,000 NetworkPolicies, every policy selecting every pod and allowing ingress from every pod
//   (its applied-to group and its address group both hold all 10,000);
// * `withUniqueLabels` (XL-unique): a generated cluster whose every pod gets a label set of its
//   own (`instance: <namespace>.<name>`), and per namespace one more policy that selects one pod
//   by it and allows ingress from another by it — so that the unique labels are read;
// * `withAdmin` (every `-admin` variant): 200 admin/baseline ClusterNetworkPolicies
//   (generate-tiers.ts) and 20 Node objects (whose addresses are the generated hostIPs).
import { makeCluster } from "../src/model/cluster.ts";
import type { Cluster, NetworkPolicy, Pod } from "../src/model/types.ts";
import { APPS, mulberry32, nodeIP, VERSIONS } from "./generate.ts";
import { generateClusterPolicies, generateNodes } from "./generate-tiers.ts";

const TIER: Readonly<Record<string, string>> = {
  web: "frontend",
  api: "backend",
  worker: "backend",
  auth: "backend",
  db: "data",
  cache: "data",
};

/** A pod IP of node `n` (generate.ts's scheme: 10.(100 + n).0.0/16, hosts from .0.2 on). */
export const podIP = (node: number, host: number): string =>
  `10.${100 + node}.${(2 + host) >> 8}.${(2 + host) & 255}`;

export interface DenseOptions {
  readonly pods: number;
  readonly policies: number;
  readonly seed: number;
  readonly nodes?: number;
}

/** One namespace (`ns-0001`, so that admin policies naming it select it), `pods` pods, `policies` policies all selecting each other. */
export function generateDense(o: DenseOptions): Cluster {
  const rng = mulberry32(o.seed);
  const nodes = o.nodes ?? 20;
  const perNode = new Array<number>(nodes).fill(0);
  const namespace = "ns-0001";
  const pods: Pod[] = [];
  for (let i = 0; i < o.pods; i++) {
    const node = rng.int(nodes);
    const app = rng.pick(APPS);
    pods.push({
      namespace,
      name: `pod-${String(i).padStart(5, "0")}`,
      labels: { "app-1": "scale-1", app, tier: TIER[app]!, version: rng.pick(VERSIONS) },
      ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
      hostNetwork: false,
      nodeName: `node-${String(node).padStart(2, "0")}`,
      podIPs: [podIP(node, perNode[node]!++)],
      hostIP: nodeIP(node),
    });
  }
  const all = { matchLabels: { "app-1": "scale-1" } };
  const networkPolicies: NetworkPolicy[] = [];
  for (let i = 0; i < o.policies; i++)
    networkPolicies.push({
      namespace,
      name: `np-${String(i).padStart(5, "0")}`,
      spec: {
        podSelector: all,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: all }] }],
        egress: [],
      },
    });
  return makeCluster({
    namespaces: [{ name: namespace, labels: { team: "payments", env: "prod" } }],
    pods,
    networkPolicies,
  });
}

/**
 * Every pod with a label set of its own (`instance: <namespace>.<name>` added), and per namespace
 * with two pods or more one policy `allow-instance`: the first pod by its instance label, ingress
 * from the second by its instance label on TCP 8080.
 */
export function withUniqueLabels(c: Cluster): Cluster {
  const pods = c.pods.map((p) => ({ ...p, labels: { ...p.labels, instance: `${p.namespace}.${p.name}` } }));
  const byNamespace = new Map<string, Pod[]>();
  for (const p of pods) {
    const list = byNamespace.get(p.namespace);
    if (list === undefined) byNamespace.set(p.namespace, [p]);
    else list.push(p);
  }
  const extra: NetworkPolicy[] = [];
  for (const [namespace, list] of byNamespace) {
    if (list.length < 2) continue;
    extra.push({
      namespace,
      name: "allow-instance",
      spec: {
        podSelector: { matchLabels: { instance: list[0]!.labels.instance! } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { instance: list[1]!.labels.instance! } } }],
            ports: [{ protocol: "TCP", port: 8080 }],
          },
        ],
        egress: [],
      },
    });
  }
  return makeCluster({
    namespaces: c.namespaces,
    pods,
    networkPolicies: [...c.networkPolicies, ...extra],
    nodes: c.nodes,
    clusterNetworkPolicies: c.clusterNetworkPolicies,
  });
}

/**
 * The cluster with `count` admin/baseline policies (`generateClusterPolicies(count, namespaces,
 * policySeed)`) and 20 Node objects (`generateNodes(20, nodeSeed)`; admin-10k used the cluster's
 * seed + 2).
 */
export function withAdmin(c: Cluster, policySeed: number, nodeSeed: number, count = 200): Cluster {
  return makeCluster({
    namespaces: c.namespaces,
    pods: c.pods,
    networkPolicies: c.networkPolicies,
    nodes: generateNodes(20, nodeSeed),
    clusterNetworkPolicies: generateClusterPolicies(count, c.namespaces.length, policySeed),
  });
}
