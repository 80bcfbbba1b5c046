// Seeded cluster generator for benchmarks: realistic shapes (team/env namespaces, app/tier/version
// pods, named container ports, a handful of nodes, a DNS namespace) drawn from small alphabets so
// that selectors actually collide. Deterministic for a seed; never uses Math.random.
import { makeCluster } from "../src/model/cluster.ts";
import type { Flow } from "../src/model/flow.ts";
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

/** A seeded PRNG: uniform floats in [0, 1) and helpers over them. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A uniformly chosen element. */
  pick<T>(xs: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/** mulberry32: 32-bit state, period 2^32, good enough for workload generation. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
    chance: (p: number): boolean => next() < p,
  };
}

/** Shape of a generated cluster. */
export interface GenerateOptions {
  readonly namespaces: number;
  readonly podsPerNamespace: number;
  readonly policiesPerNamespace: number;
  readonly seed: number;
  /** Number of nodes pods are spread over; default 20. */
  readonly nodes?: number;
}

// Small alphabets: collisions are the point (selectors must match something).
export const TEAMS = ["payments", "search", "identity", "platform", "data", "growth", "ml", "infra"] as const;
export const ENVS = ["prod", "staging", "dev"] as const;
export const APPS = ["web", "api", "worker", "db", "cache", "auth"] as const;
export const VERSIONS = ["v1", "v2", "v3"] as const;
const TIER: Readonly<Record<(typeof APPS)[number], string>> = {
  web: "frontend",
  api: "backend",
  worker: "backend",
  auth: "backend",
  db: "data",
  cache: "data",
};
const APP_PORTS: Readonly<Record<(typeof APPS)[number], readonly ContainerPort[]>> = {
  web: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
  api: [
    { name: "http", containerPort: 8080, protocol: "TCP" },
    { name: "grpc", containerPort: 9090, protocol: "TCP" },
  ],
  worker: [{ containerPort: 7000, protocol: "TCP" }],
  auth: [{ name: "http", containerPort: 8443, protocol: "TCP" }],
  db: [{ name: "postgres", containerPort: 5432, protocol: "TCP" }],
  cache: [{ name: "redis", containerPort: 6379, protocol: "TCP" }],
};
const METRICS: ContainerPort = { name: "metrics", containerPort: 9100, protocol: "TCP" };
const DNS_PORTS: readonly ContainerPort[] = [
  { name: "dns", containerPort: 53, protocol: "UDP" },
  { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
];
/** External ranges used by ipBlock peers, each with an except (a small fixed set, as in real clusters). */
const IP_BLOCKS: readonly { readonly cidr: string; readonly except: readonly string[] }[] = [
  { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] },
  { cidr: "203.0.113.0/24", except: ["203.0.113.128/25"] },
  { cidr: "198.51.100.0/24", except: ["198.51.100.0/28"] },
  { cidr: "172.20.0.0/16", except: ["172.20.5.0/24", "172.20.9.0/24"] },
];

export const DNS_NAMESPACE = "kube-system";
const nsName = (i: number): string => (i === 0 ? DNS_NAMESPACE : `ns-${String(i).padStart(4, "0")}`);
/** Node n: its `status.hostIP`; its pods get addresses from `10.(100 + n).0.0/16`. */
export const nodeIP = (n: number): string => `192.168.0.${10 + n}`;

const sel = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels });
const tcp = (port: number | string, endPort?: number): NetworkPolicyPort =>
  endPort === undefined ? { protocol: "TCP", port } : { protocol: "TCP", port, endPort };
const DNS_EGRESS: NetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: sel({ "kubernetes.io/metadata.name": DNS_NAMESPACE }),
      podSelector: sel({ "k8s-app": "kube-dns" }),
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

function policy(
  namespace: string,
  name: string,
  podSelector: LabelSelector,
  ingress: readonly NetworkPolicyIngressRule[] | undefined,
  egress: readonly NetworkPolicyEgressRule[] | undefined,
): NetworkPolicy {
  const policyTypes = [...(ingress ? ["Ingress" as const] : []), ...(egress ? ["Egress" as const] : [])];
  return {
    namespace,
    name,
    spec: { podSelector, policyTypes, ingress: ingress ?? [], egress: egress ?? [] },
  };
}

/**
 * The k-th policy of a namespace. The first five are the archetypes of real clusters, in order:
 * default-deny ingress, same-namespace app → app, cross-namespace (namespaceSelector + podSelector),
 * egress lockdown with DNS, and an ipBlock with except; further ones cycle through them again.
 */
function makePolicy(rng: Rng, ns: string, k: number): NetworkPolicy {
  const name = (base: string): string => (k < 5 ? base : `${base}-${k}`);
  switch (k % 5) {
    case 0:
      return rng.chance(0.6)
        ? policy(ns, name("default-deny-ingress"), {}, [], undefined)
        : policy(ns, name("allow-same-namespace"), {}, [{ from: [{ podSelector: {} }] }], undefined);
    case 1: {
      const to = rng.pick(APPS);
      const from = rng.pick(APPS);
      const ports = rng.chance(0.5) ? [tcp("http")] : [tcp(rng.pick([8080, 5432, 6379, 9090]))];
      return policy(
        ns,
        name(`allow-${from}-to-${to}`),
        sel({ app: to }),
        [{ from: [{ podSelector: sel({ app: from }) }], ports }],
        undefined,
      );
    }
    case 2: {
      const team = rng.pick(TEAMS);
      const from: NetworkPolicyPeer = rng.chance(0.3)
        ? {
            namespaceSelector: {
              matchLabels: { team },
              matchExpressions: [{ key: "env", operator: "In", values: ["prod", "staging"] }],
            },
            podSelector: sel({ tier: "frontend" }),
          }
        : { namespaceSelector: sel({ team }), podSelector: sel({ app: rng.pick(APPS) }) };
      const ports = rng.chance(0.5) ? [tcp(8080), tcp("grpc")] : [tcp(9000, 9100)];
      return policy(
        ns,
        name(`allow-from-${team}`),
        sel({ tier: "backend" }),
        [{ from: [from], ports }],
        undefined,
      );
    }
    case 3:
      // Half the namespaces lock egress down for every pod, the others for one app only.
      return policy(
        ns,
        name("egress-dns-and-namespace"),
        rng.chance(0.5) ? {} : sel({ app: rng.pick(APPS) }),
        undefined,
        [
          DNS_EGRESS,
          { to: [{ podSelector: {} }] },
          ...(rng.chance(0.5) ? [{ to: [{ namespaceSelector: sel({ team: rng.pick(TEAMS) }) }] }] : []),
        ],
      );
    default: {
      const block = rng.pick(IP_BLOCKS);
      const app = rng.pick(APPS);
      if (rng.chance(0.5))
        return policy(ns, name(`egress-external-${app}`), sel({ app }), undefined, [
          { to: [{ ipBlock: block }], ports: [tcp(443), tcp(8000, 8999)] },
        ]);
      return policy(
        ns,
        name(`ingress-external-${app}`),
        sel({ app }),
        [{ from: [{ ipBlock: block }], ports: [tcp("http"), tcp(443)] }],
        undefined,
      );
    }
  }
}

/**
 * Generate a canonical `Cluster` of `namespaces × podsPerNamespace` pods and
 * `namespaces × policiesPerNamespace` policies. Namespace 0 is `kube-system`, whose first two pods
 * are the DNS servers (`k8s-app: kube-dns`, UDP/TCP 53) and whose last pod (with at least three
 * pods) is hostNetwork. Pod IPs are unique IPv4 addresses in per-node /16s.
 *
 * @example
 * const cluster = generateCluster({ namespaces: 10, podsPerNamespace: 5, policiesPerNamespace: 5, seed: 1 });
 */
export function generateCluster(options: GenerateOptions): Cluster {
  const rng = mulberry32(options.seed);
  const nodes = options.nodes ?? 20;
  const perNode = new Array<number>(nodes).fill(0);
  const namespaces: Namespace[] = [];
  const pods: Pod[] = [];
  const networkPolicies: NetworkPolicy[] = [];
  for (let i = 0; i < options.namespaces; i++) {
    const ns = nsName(i);
    namespaces.push({
      name: ns,
      labels: i === 0 ? { team: "infra", env: "prod" } : { team: rng.pick(TEAMS), env: rng.pick(ENVS) },
    });
    for (let j = 0; j < options.podsPerNamespace; j++) {
      const node = rng.int(nodes);
      const hostIP = nodeIP(node);
      const dns = i === 0 && j < 2;
      const hostNetwork = i === 0 && j >= 2 && j === options.podsPerNamespace - 1;
      const app = rng.pick(APPS);
      const labels: Record<string, string> = dns
        ? { "k8s-app": "kube-dns", tier: "infra" }
        : { app, tier: TIER[app], version: rng.pick(VERSIONS) };
      const ports = dns ? DNS_PORTS : rng.chance(0.3) ? [...APP_PORTS[app], METRICS] : APP_PORTS[app];
      let podIP = hostIP;
      if (!hostNetwork) {
        const h = 2 + perNode[node]!++;
        podIP = `10.${100 + node}.${h >> 8}.${h & 255}`;
      }
      pods.push({
        namespace: ns,
        name: dns ? `coredns-${j}` : `${app}-${String(j).padStart(3, "0")}`,
        labels,
        ports,
        hostNetwork,
        nodeName: `node-${String(node).padStart(2, "0")}`,
        podIPs: [podIP],
        hostIP,
      });
    }
    for (let k = 0; k < options.policiesPerNamespace; k++) networkPolicies.push(makePolicy(rng, ns, k));
  }
  return makeCluster({ namespaces, pods, networkPolicies });
}

/** External addresses flows come from or go to: inside and outside the generated ipBlocks. */
const EXTERNAL_IPS = [
  "8.8.8.8",
  "203.0.113.7",
  "203.0.113.200",
  "198.51.100.3",
  "198.51.100.77",
  "172.20.5.9",
];
const FLOW_PORTS: readonly number[] = [53, 443, 5432, 6379, 7000, 8080, 8443, 8500, 9050, 9090, 9100];

/** A flow without its port: source and destination (`namespace/name` or IP), the destination pod if any. */
interface Pair {
  readonly from: string;
  readonly to: string;
  readonly dst?: Pod;
}

/**
 * `count` seeded random flows over a cluster, a mix chosen so that a fair share is allowed and a
 * fair share denied: 30% follow a random policy rule (a subject and a peer it names, on a port it
 * names; the other direction's policies may still deny them), 6% go to the DNS pods on port 53,
 * 18% stay within a namespace, 36% join two random pods, 10% are between a pod and an external
 * or node address. Other ports: mostly ones the policies mention, some named, some arbitrary.
 */
export function generateFlows(cluster: Cluster, count: number, seed: number): Flow[] {
  const rng = mulberry32(seed);
  const pods = cluster.pods;
  const nodeCount = new Set(pods.map((p) => p.hostIP)).size;
  const ref = (p: Pod): string => `${p.namespace}/${p.name}`;
  const byNamespace = new Map<string, Pod[]>();
  for (const p of pods) {
    const list = byNamespace.get(p.namespace);
    if (list === undefined) byNamespace.set(p.namespace, [p]);
    else list.push(p);
  }
  const podsIn = (ns: string): readonly Pod[] => byNamespace.get(ns) ?? [];
  const dnsPods = pods.filter((p) => p.labels["k8s-app"] === "kube-dns");
  const nsMemo = new Map<LabelSelector, readonly Namespace[]>();
  const namespacesOf = (selector: LabelSelector): readonly Namespace[] => {
    let found = nsMemo.get(selector);
    if (found === undefined) {
      found = cluster.namespaces.filter((n) => matchesSelector(n.labels, selector));
      nsMemo.set(selector, found);
    }
    return found;
  };

  /** A flow some policy rule allows in its direction, or undefined when the chosen rule has no such flow. */
  const intended = (): Flow | undefined => {
    const policy = rng.pick(cluster.networkPolicies);
    const egress = policy.spec.egress.length > 0 && (policy.spec.ingress.length === 0 || rng.chance(0.5));
    const rules: readonly (NetworkPolicyIngressRule & NetworkPolicyEgressRule)[] = egress
      ? policy.spec.egress
      : policy.spec.ingress;
    if (rules.length === 0) return undefined;
    const rule = rng.pick(rules);
    const subjects = podsIn(policy.namespace).filter((p) =>
      matchesSelector(p.labels, policy.spec.podSelector),
    );
    const peers = (egress ? rule.to : rule.from) ?? [];
    if (subjects.length === 0 || peers.length === 0) return undefined;
    const peer = rng.pick(peers);
    let other: string;
    let otherPod: Pod | undefined;
    if (peer.ipBlock !== undefined) other = rng.pick(EXTERNAL_IPS);
    else {
      const namespaces = peer.namespaceSelector ? namespacesOf(peer.namespaceSelector) : undefined;
      const ns =
        namespaces === undefined ? policy.namespace : namespaces.length > 0 ? rng.pick(namespaces).name : "";
      const candidates = podsIn(ns).filter((p) => matchesSelector(p.labels, peer.podSelector ?? {}));
      if (candidates.length === 0) return undefined;
      otherPod = rng.pick(candidates);
      other = ref(otherPod);
    }
    const subject = rng.pick(subjects);
    const pair: Pair = egress
      ? otherPod === undefined
        ? { from: ref(subject), to: other }
        : { from: ref(subject), to: other, dst: otherPod }
      : { from: other, to: ref(subject), dst: subject };
    const ports = rule.ports ?? [];
    if (ports.length === 0) return withPort(pair);
    const p = rng.pick(ports);
    const port =
      typeof p.port === "number" && p.endPort !== undefined
        ? p.port + rng.int(p.endPort - p.port + 1)
        : p.port;
    return port === undefined ? withPort(pair) : { from: pair.from, to: pair.to, port, protocol: p.protocol };
  };

  /** A port for a pair: mostly one the policies mention, sometimes a named port of the destination, sometimes any. */
  const withPort = ({ from, to, dst }: Pair): Flow => {
    const named = dst?.ports.filter((p) => p.name !== undefined) ?? [];
    const r = rng.next();
    if (r < 0.15 && named.length > 0) {
      const p = rng.pick(named);
      return { from, to, port: p.name!, protocol: p.protocol };
    }
    const port = r < 0.85 ? rng.pick(FLOW_PORTS) : 1 + rng.int(65535);
    return { from, to, port, protocol: port === 53 && rng.chance(0.5) ? "UDP" : "TCP" };
  };

  const flows: Flow[] = [];
  while (flows.length < count) {
    const kind = rng.next();
    if (kind < 0.3) {
      const f = intended();
      if (f !== undefined) flows.push(f);
      continue;
    }
    const src = rng.pick(pods);
    if (kind < 0.36) {
      const dst = rng.pick(dnsPods.length > 0 ? dnsPods : pods);
      flows.push({ from: ref(src), to: ref(dst), port: 53, protocol: rng.chance(0.5) ? "UDP" : "TCP" });
    } else if (kind < 0.9) {
      const dst = rng.pick(kind < 0.54 ? podsIn(src.namespace) : pods);
      flows.push(withPort({ from: ref(src), to: ref(dst), dst }));
    } else if (kind < 0.94) flows.push(withPort({ from: ref(src), to: rng.pick(EXTERNAL_IPS) }));
    else {
      const from = kind < 0.97 ? rng.pick(EXTERNAL_IPS) : nodeIP(rng.int(nodeCount));
      flows.push(withPort({ from, to: ref(src), dst: src }));
    }
  }
  return flows;
}
