// L-real (issue 14): a cluster shaped like a real cluster's export — 600 namespaces, 5.4k pods,
// 13.7k NetworkPolicies, 26 % of them selecting no pod (left behind by removed workloads), a
// median of 6 selected pods among the others, 0–2 selector peers per rule and ipBlock rules of up
// to 21 CIDRs. Deterministic for a seed; never uses Math.random. `describeReal` measures the
// generated cluster against those figures (the scenario reports it).
//
// Namespaces are few-pod and heavy-tailed (a log-normal size, scaled to the total); pods belong to
// workloads of 1–12 replicas (`app`, `app.kubernetes.io/name`, a per-workload `pod-template-hash`,
// `tier`); policies go with workloads (more workloads, more policies): a workload's own ingress
// allow-lists, namespace-wide default denies and allow-same-namespace, egress with DNS, tier-wide
// rules, and ipBlock allow-lists of partners and SaaS ranges.
import { makeCluster } from "../src/model/cluster.ts";
import type {
  Cluster,
  ContainerPort,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Pod,
} from "../src/model/types.ts";
import { matchesSelector } from "../src/selectors/matches-selector.ts";
import { DNS_NAMESPACE, ENVS, mulberry32, nodeIP, type Rng, TEAMS } from "./generate.ts";
import { podIP } from "./generate-scale.ts";

export interface RealOptions {
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
  readonly seed: number;
  /** Share of policies that select no pod. */
  readonly emptyShare: number;
  readonly nodes?: number;
}

export const L_REAL: RealOptions = {
  namespaces: 600,
  pods: 5400,
  policies: 13_700,
  seed: 20240605,
  emptyShare: 0.21,
};

const WORKLOADS = [
  "frontend",
  "api",
  "gateway",
  "auth",
  "billing",
  "checkout",
  "search",
  "indexer",
  "worker",
  "scheduler",
  "notifier",
  "mailer",
  "cache",
  "redis",
  "postgres",
  "mysql",
  "mongo",
  "kafka",
  "zookeeper",
  "elastic",
  "kibana",
  "grafana",
  "prometheus",
  "alertmanager",
  "exporter",
  "ingest",
  "etl",
  "reporting",
  "admin",
  "webhook",
  "cron",
  "uploader",
  "thumbnailer",
  "recommender",
  "inventory",
  "catalog",
  "orders",
  "payments",
  "ledger",
  "fraud",
] as const;
const TIERS = ["frontend", "backend", "data", "ops"] as const;
const REPLICAS = [1, 2, 3, 4, 6, 6, 8, 8, 10, 12, 16, 20] as const;
const PORTS: readonly NetworkPolicyPort[] = [
  { protocol: "TCP", port: 80 },
  { protocol: "TCP", port: 443 },
  { protocol: "TCP", port: 8080 },
  { protocol: "TCP", port: 8443 },
  { protocol: "TCP", port: 9090 },
  { protocol: "TCP", port: 5432 },
  { protocol: "TCP", port: 6379 },
  { protocol: "TCP", port: 9092 },
  { protocol: "TCP", port: 3000 },
  { protocol: "TCP", port: "http" },
  { protocol: "TCP", port: "metrics" },
  { protocol: "TCP", port: 8000, endPort: 8100 },
];
const CONTAINER_PORTS: readonly ContainerPort[] = [
  { name: "http", containerPort: 8080, protocol: "TCP" },
  { name: "metrics", containerPort: 9090, protocol: "TCP" },
];
const DNS: NetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": DNS_NAMESPACE } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};
/** The i-th external CIDR of the partner / SaaS pool: /32s, /28s and /24s outside the pod network. */
const externalCidr = (i: number): string => {
  const k = i % 600;
  if (k < 300) return `198.18.${k >> 2}.${(k & 3) * 64 + 7}/32`;
  if (k < 450) return `203.0.${k - 300}.16/28`;
  return `100.${64 + ((k - 450) >> 6)}.${(k - 450) & 63}.0/24`;
};

/** A standard normal draw (Box–Muller). */
const normal = (rng: Rng): number =>
  Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** Sizes drawn log-normally, scaled to sum exactly to `total`, each at least `min`. */
function sizes(rng: Rng, n: number, total: number, sigma: number, min: number): number[] {
  const w = Array.from({ length: n }, () => Math.exp(sigma * normal(rng)));
  const sum = w.reduce((a, b) => a + b, 0);
  const out = w.map((x) => Math.max(min, Math.round((x / sum) * total)));
  let diff = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % n) {
    if (diff > 0) {
      out[i]!++;
      diff--;
    } else if (out[i]! > min) {
      out[i]!--;
      diff++;
    }
  }
  return out;
}

interface Workload {
  readonly name: string;
  readonly tier: string;
  readonly replicas: number;
}

const nsName = (i: number): string => (i === 0 ? DNS_NAMESPACE : `ns-${String(i).padStart(4, "0")}`);

/** The L-real cluster. */
export function generateReal(o: RealOptions): Cluster {
  const rng = mulberry32(o.seed);
  const nodes = o.nodes ?? 20;
  const perNode = new Array<number>(nodes).fill(0);
  const podCounts = sizes(rng, o.namespaces, o.pods, 0.9, 1);
  const namespaces: Namespace[] = [];
  const pods: Pod[] = [];
  const workloadsOf: Workload[][] = [];
  for (let i = 0; i < o.namespaces; i++) {
    const ns = nsName(i);
    namespaces.push({
      name: ns,
      labels: i === 0 ? { team: "infra", env: "prod" } : { team: rng.pick(TEAMS), env: rng.pick(ENVS) },
    });
    const workloads: Workload[] = [];
    let left = podCounts[i]!;
    const used = new Set<string>();
    if (i === 0) {
      workloads.push({ name: "coredns", tier: "ops", replicas: Math.min(2, left) });
      left -= Math.min(2, left);
    }
    while (left > 0) {
      const replicas = Math.min(left, rng.pick(REPLICAS));
      let name: string = rng.pick(WORKLOADS);
      while (used.has(name)) name = `${rng.pick(WORKLOADS)}-${rng.int(100)}`;
      used.add(name);
      workloads.push({ name, tier: rng.pick(TIERS), replicas });
      left -= replicas;
    }
    workloadsOf.push(workloads);
    for (const w of workloads) {
      const hash = (rng.int(0x7fffffff) >>> 0).toString(36);
      for (let r = 0; r < w.replicas; r++) {
        const node = rng.int(nodes);
        const dns = w.name === "coredns";
        pods.push({
          namespace: ns,
          name: `${w.name}-${hash}-${r}`,
          labels: dns
            ? { "k8s-app": "kube-dns", "pod-template-hash": hash }
            : { app: w.name, "app.kubernetes.io/name": w.name, tier: w.tier, "pod-template-hash": hash },
          ports: dns
            ? [
                { name: "dns", containerPort: 53, protocol: "UDP" },
                { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
              ]
            : CONTAINER_PORTS,
          hostNetwork: false,
          nodeName: `node-${String(node).padStart(2, "0")}`,
          podIPs: [podIP(node, perNode[node]!++)],
          hostIP: nodeIP(node),
        });
      }
    }
  }
  // Policies go with pods: namespace i gets a share proportional to its pod count.
  const weights = podCounts;
  const policyCounts = new Array<number>(o.namespaces).fill(0);
  {
    const total = weights.reduce((a, b) => a + b, 0);
    let assigned = 0;
    weights.forEach((w, i) => {
      policyCounts[i] = Math.floor((w / total) * o.policies);
      assigned += policyCounts[i]!;
    });
    for (let i = 0; assigned < o.policies; i = (i + 1) % o.namespaces, assigned++) policyCounts[i]!++;
  }
  const networkPolicies: NetworkPolicy[] = [];
  const ports = (): NetworkPolicyPort[] | undefined => {
    const r = rng.next();
    if (r < 0.2) return undefined;
    const n = r < 0.75 ? 1 : r < 0.95 ? 2 : 3;
    return Array.from({ length: n }, () => rng.pick(PORTS));
  };
  for (let i = 0; i < o.namespaces; i++) {
    const ns = nsName(i);
    const workloads = workloadsOf[i]!;
    const peer = (): NetworkPolicyPeer => {
      const r = rng.next();
      if (r < 0.55) return { podSelector: { matchLabels: { app: rng.pick(workloads).name } } };
      if (r < 0.7) return { podSelector: { matchLabels: { tier: rng.pick(TIERS) } } };
      if (r < 0.85)
        return {
          namespaceSelector: { matchLabels: { team: rng.pick(TEAMS) } },
          podSelector: { matchLabels: { app: rng.pick(WORKLOADS) } },
        };
      if (r < 0.93)
        return {
          namespaceSelector: {
            matchLabels: { "kubernetes.io/metadata.name": nsName(rng.int(o.namespaces)) },
          },
        };
      return { namespaceSelector: { matchLabels: { env: rng.pick(ENVS) } } };
    };
    /** 0–2 selector peers (0: the rule allows every peer), or an ipBlock list of 1–21 CIDRs. */
    const peers = (): NetworkPolicyPeer[] | undefined => {
      const r = rng.next();
      if (r < 0.1) {
        const n = rng.chance(0.2) ? 5 + rng.int(17) : 1 + rng.int(4);
        const start = rng.int(600);
        return Array.from({ length: n }, (_, j) => ({ ipBlock: { cidr: externalCidr(start + j) } }));
      }
      if (r < 0.22) return undefined;
      return r < 0.8 ? [peer()] : [peer(), peer()];
    };
    const ingressRules = (): NetworkPolicyIngressRule[] =>
      Array.from({ length: 1 + (rng.chance(0.3) ? 1 : 0) }, () => {
        const from = peers();
        const p = ports();
        return { ...(from === undefined ? {} : { from }), ...(p === undefined ? {} : { ports: p }) };
      });
    const egressRules = (): NetworkPolicyEgressRule[] => {
      const rules: NetworkPolicyEgressRule[] = rng.chance(0.7) ? [DNS] : [];
      const n = 1 + (rng.chance(0.3) ? 1 : 0);
      for (let k = 0; k < n; k++) {
        const to = peers();
        const p = ports();
        rules.push({ ...(to === undefined ? {} : { to }), ...(p === undefined ? {} : { ports: p }) });
      }
      return rules;
    };
    for (let k = 0; k < policyCounts[i]!; k++) {
      let podSelector: LabelSelector;
      let name: string;
      if (rng.chance(o.emptyShare)) {
        // Left behind by a removed workload: selects nothing.
        name = `allow-${rng.pick(WORKLOADS)}-legacy-${k}`;
        podSelector = { matchLabels: { app: `${rng.pick(WORKLOADS)}-decommissioned` } };
      } else {
        const r = rng.next();
        if (r < 0.12) {
          podSelector = {};
          name = k % 2 === 0 ? `default-deny-${k}` : `allow-same-namespace-${k}`;
        } else if (r < 0.88) {
          const w = rng.pick(workloads);
          podSelector = { matchLabels: { app: w.name } };
          name = `${w.name}-${k}`;
        } else {
          const tier = rng.pick(TIERS);
          podSelector = { matchLabels: { tier } };
          name = `tier-${tier}-${k}`;
        }
      }
      const t = rng.next();
      const ingress = t < 0.85 ? ingressRules() : undefined;
      const egress = t >= 0.6 ? egressRules() : undefined;
      // Namespace-wide policies are the classic default-deny / allow-same-namespace pair.
      const wide = Object.keys(podSelector).length === 0;
      networkPolicies.push({
        namespace: ns,
        name,
        spec: {
          podSelector,
          policyTypes: [...(ingress ? ["Ingress" as const] : []), ...(egress ? ["Egress" as const] : [])],
          ingress: wide ? (k % 2 === 0 ? [] : [{ from: [{ podSelector: {} }] }]) : (ingress ?? []),
          egress: wide ? [] : (egress ?? []),
        },
      });
    }
  }
  return makeCluster({ namespaces, pods, networkPolicies });
}

/** How the generated cluster compares with the figures it imitates. */
export function describeReal(c: Cluster): Record<string, number> {
  const byNs = new Map<string, Pod[]>();
  for (const p of c.pods) {
    const list = byNs.get(p.namespace);
    if (list === undefined) byNs.set(p.namespace, [p]);
    else list.push(p);
  }
  const selected = c.networkPolicies.map(
    (np) =>
      (byNs.get(np.namespace) ?? []).filter((p) => matchesSelector(p.labels, np.spec.podSelector)).length,
  );
  const nonEmpty = selected.filter((n) => n > 0).sort((a, b) => a - b);
  const rules = c.networkPolicies.flatMap((np) => [
    ...np.spec.ingress.map((r) => r.from ?? []),
    ...np.spec.egress.map((r) => r.to ?? []),
  ]);
  const selectorPeers = rules.map((peers) => peers.filter((p) => p.ipBlock === undefined).length);
  const cidrs = rules.map((peers) => peers.filter((p) => p.ipBlock !== undefined).length);
  return {
    namespaces: c.namespaces.length,
    pods: c.pods.length,
    policies: c.networkPolicies.length,
    emptyPolicyShare: Number((selected.filter((n) => n === 0).length / selected.length).toFixed(3)),
    medianSelectedPods: nonEmpty[nonEmpty.length >> 1] ?? 0,
    maxSelectorPeersPerRule: Math.max(0, ...selectorPeers),
    maxCidrsPerRule: Math.max(0, ...cidrs),
    rules: rules.length,
  };
}
