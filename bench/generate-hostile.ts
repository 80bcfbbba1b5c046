// The hostile case (docs/hostile-case.md): one namespace of single-pod NetworkPolicies, each
// allowing ingress from and egress to its own /32 ipBlocks on its own port ranges — what a
// firewall export or a per-workload allow-list generator writes. Nothing is shared between
// policies, so every group has rows of its own over every address class and port class.
// Deterministic; never uses Math.random.
import { makeCluster } from "../src/model/cluster.ts";
import type { Flow } from "../src/model/flow.ts";
import type { Cluster, NetworkPolicy, NetworkPolicyPort, Pod } from "../src/model/types.ts";
import { mulberry32 } from "./generate.ts";

export interface HostileOptions {
  /** Pods, and as many NetworkPolicies (policy i selects pod i only). */
  readonly pods: number;
  /** Distinct /32 ipBlocks per policy (the same ones for ingress `from` and egress `to`). */
  readonly ipBlocksPerPolicy: number;
  /** Distinct TCP port ranges per policy (the same ones in both directions). */
  readonly portRangesPerPolicy: number;
  /**
   * `product`: one rule per direction with all the policy's ipBlocks and all its ranges (any of
   * the addresses on any of the ranges). `pairs`: one rule per ipBlock, the k-th block on the
   * k-th range only (ranges cycle when there are fewer).
   */
  readonly shape: "product" | "pairs";
}

export const HOSTILE_NAMESPACE = "tenant";

/** The k-th distinct /32 overall: 100.64.0.0/10 (carrier-grade NAT space, outside the pod network). */
export const hostileIP = (k: number): string => `100.${64 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`;

/**
 * The k-th distinct port range overall: starts 2 apart from 1024 on, widths 1–50, so that ranges
 * overlap their neighbours and nearly every start and end is a boundary of its own (up to two
 * port classes per range). k < 32,000 stays within 0–65535.
 */
export function hostileRange(k: number): { lo: number; hi: number } {
  const lo = 1024 + 2 * k;
  return { lo, hi: Math.min(65535, lo + ((k * 7919) % 50)) };
}

/**
 * The options a workload name stands for: `hostile-<n>` (1,000 pods/policies, n /32s and n ranges
 * each, one rule per direction), `hostile-<n>x<m>` (n /32s, m ranges), `hostile-pairs-<n>` (n rules
 * of one /32 and one range each); undefined for another name.
 */
export function hostileOptions(name: string): HostileOptions | undefined {
  let m = /^hostile-(\d+)(?:x(\d+))?$/.exec(name);
  if (m !== null)
    return {
      pods: 1000,
      ipBlocksPerPolicy: Number(m[1]),
      portRangesPerPolicy: Number(m[2] ?? m[1]),
      shape: "product",
    };
  m = /^hostile-pairs-(\d+)$/.exec(name);
  if (m !== null)
    return { pods: 1000, ipBlocksPerPolicy: Number(m[1]), portRangesPerPolicy: Number(m[1]), shape: "pairs" };
  return undefined;
}

/** `pods` pods in one namespace and a NetworkPolicy per pod (docs/hostile-case.md). */
export function generateHostileCluster(o: HostileOptions): Cluster {
  const pods: Pod[] = [];
  const networkPolicies: NetworkPolicy[] = [];
  for (let i = 0; i < o.pods; i++) {
    const id = `w-${String(i).padStart(4, "0")}`;
    pods.push({
      namespace: HOSTILE_NAMESPACE,
      name: id,
      labels: { app: "tenant-workload", workload: id },
      ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
      hostNetwork: false,
      nodeName: `node-${String(i % 20).padStart(2, "0")}`,
      // As generate.ts: node n's pods in 10.(100 + n).0.0/16, hosts from .0.2 on.
      podIPs: [`10.${100 + (i % 20)}.${(2 + Math.floor(i / 20)) >> 8}.${(2 + Math.floor(i / 20)) & 255}`],
      hostIP: `192.168.0.${10 + (i % 20)}`,
    });
    const blocks = Array.from({ length: o.ipBlocksPerPolicy }, (_, j) => ({
      ipBlock: { cidr: `${hostileIP(i * o.ipBlocksPerPolicy + j)}/32` },
    }));
    const ranges: NetworkPolicyPort[] = Array.from({ length: o.portRangesPerPolicy }, (_, j) => {
      const r = hostileRange(i * o.portRangesPerPolicy + j);
      return r.hi === r.lo ? { protocol: "TCP", port: r.lo } : { protocol: "TCP", port: r.lo, endPort: r.hi };
    });
    const ingress =
      o.shape === "product"
        ? [{ from: blocks, ports: ranges }]
        : blocks.map((b, j) => ({ from: [b], ports: [ranges[j % ranges.length]!] }));
    const egress =
      o.shape === "product"
        ? [{ to: blocks, ports: ranges }]
        : blocks.map((b, j) => ({ to: [b], ports: [ranges[j % ranges.length]!] }));
    networkPolicies.push({
      namespace: HOSTILE_NAMESPACE,
      name: `allow-list-${id}`,
      spec: {
        podSelector: { matchLabels: { workload: id } },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress,
      },
    });
  }
  return makeCluster({
    namespaces: [{ name: HOSTILE_NAMESPACE, labels: { team: "tenants" } }],
    pods,
    networkPolicies,
  });
}

/**
 * Flows over a hostile cluster: 40% a policy's own allow-list entry (one of its /32s on a port of
 * one of its ranges, ingress or egress), 25% a /32 of another policy, 20% pod to pod in the
 * namespace, 15% an address outside every block; ports from the ranges or arbitrary.
 */
export function generateHostileFlows(
  o: HostileOptions,
  cluster: Cluster,
  count: number,
  seed: number,
): Flow[] {
  const rng = mulberry32(seed);
  const pods = cluster.pods;
  const ref = (p: Pod): string => `${p.namespace}/${p.name}`;
  const blocks = o.pods * o.ipBlocksPerPolicy;
  const ranges = o.pods * o.portRangesPerPolicy;
  const portIn = (k: number): number => {
    const r = hostileRange(k);
    return r.lo + rng.int(r.hi - r.lo + 1);
  };
  const flows: Flow[] = [];
  while (flows.length < count) {
    const i = rng.int(pods.length);
    const pod = ref(pods[i]!);
    const kind = rng.next();
    let ip: string;
    let port: number;
    if (kind < 0.4) {
      const j = rng.int(o.ipBlocksPerPolicy);
      ip = hostileIP(i * o.ipBlocksPerPolicy + j);
      const rj = o.shape === "pairs" ? j % o.portRangesPerPolicy : rng.int(o.portRangesPerPolicy);
      port = portIn(i * o.portRangesPerPolicy + rj);
    } else if (kind < 0.65) {
      ip = hostileIP(rng.int(blocks));
      port = rng.chance(0.5) ? portIn(rng.int(ranges)) : 1 + rng.int(65535);
    } else if (kind < 0.85) {
      flows.push({
        from: pod,
        to: ref(rng.pick(pods)),
        port: rng.chance(0.3) ? "http" : portIn(rng.int(ranges)),
      });
      continue;
    } else {
      ip = `198.18.${rng.int(256)}.${rng.int(256)}`;
      port = portIn(rng.int(ranges));
    }
    flows.push(rng.chance(0.5) ? { from: ip, to: pod, port } : { from: pod, to: ip, port });
  }
  return flows;
}
