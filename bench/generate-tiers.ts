// Seeded admin/baseline policies (ClusterNetworkPolicy v1alpha2 shape) and Node objects for the
// tiered benchmarks, drawn from the same small alphabets as generate.ts so that their selectors
// collide with the generated namespaces and pods. Deterministic for a seed; never uses Math.random.
import type {
  ClusterAction,
  ClusterNetworkPolicy,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  ClusterPolicySubject,
  LabelSelector,
  Node,
  Protocol,
} from "../src/model/types.ts";
import { APPS, DNS_NAMESPACE, ENVS, mulberry32, nodeIP, type Rng, TEAMS } from "./generate.ts";

/** Zones and roles of the generated nodes (node peers select by them). */
const ZONES = ["zone-a", "zone-b", "zone-c"] as const;
const ROLES = ["worker", "worker", "worker", "infra", "gpu"] as const;

/**
 * `count` Node objects named like the generated pods' `nodeName` (`node-00`, …), labelled
 * `topology.kubernetes.io/zone` and `node-role` and addressed by the same InternalIP as the pods'
 * `hostIP`: they add labels (for `nodes` peers), not addresses.
 */
export function generateNodes(count: number, seed: number): Node[] {
  const rng = mulberry32(seed);
  const nodes: Node[] = [];
  for (let n = 0; n < count; n++)
    nodes.push({
      name: `node-${String(n).padStart(2, "0")}`,
      labels: { "topology.kubernetes.io/zone": ZONES[n % ZONES.length]!, "node-role": rng.pick(ROLES) },
      addresses: [nodeIP(n)],
    });
  return nodes;
}

const sel = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels });
const port = (protocol: Protocol, start: number, end = start): ClusterPolicyPort => ({
  protocol,
  start,
  end,
});
/** Port ranges of real admin policies: NodePorts, kubelet/control plane, app and metrics ranges. */
const RANGES: readonly ClusterPolicyPort[] = [
  port("TCP", 30000, 32767),
  port("TCP", 10250, 10259),
  port("TCP", 8000, 8999),
  port("TCP", 6000, 6999),
  port("TCP", 2379, 2380),
  port("UDP", 30000, 32767),
  port("TCP", 9100, 9199),
  port("TCP", 5432),
  port("TCP", 443),
  port("TCP", 80),
];
/** Single well-known ports. */
const WELL_KNOWN: readonly ClusterPolicyPort[] = [
  22, 25, 53, 443, 3306, 5432, 6379, 8080, 8443, 9090, 9093, 9200, 27017,
].map((n) => port("TCP", n));
const NAMED: readonly ClusterPolicyPort[] = [{ name: "metrics" }, { name: "http" }, { name: "postgres" }];
/** External `networks`: metadata service, RFC 1918 blocks, documentation ranges, a partner /24. */
const NETWORKS: readonly (readonly string[])[] = [
  ["169.254.169.254/32"],
  ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
  ["203.0.113.0/24"],
  ["198.51.100.0/25"],
  ["100.64.0.0/10"],
  ["0.0.0.0/0"],
  ["192.168.0.0/24"], // the nodes' addresses
];

/** A namespace selector as admin policies write them: a team, an env, a team and env, or one namespace by name. */
function namespaceSelector(rng: Rng, namespaces: number): LabelSelector {
  const r = rng.next();
  if (r < 0.35) return sel({ team: rng.pick(TEAMS) });
  if (r < 0.6) return sel({ env: rng.pick(ENVS) });
  if (r < 0.75) return sel({ team: rng.pick(TEAMS), env: rng.pick(ENVS) });
  if (r < 0.85)
    return { matchExpressions: [{ key: "env", operator: "In", values: [rng.pick(ENVS), rng.pick(ENVS)] }] };
  if (r < 0.9) return sel({ "kubernetes.io/metadata.name": DNS_NAMESPACE });
  const i = 1 + rng.int(Math.max(1, namespaces - 1));
  return sel({ "kubernetes.io/metadata.name": `ns-${String(i).padStart(4, "0")}` });
}

function podSelector(rng: Rng): LabelSelector {
  const r = rng.next();
  if (r < 0.5) return sel({ app: rng.pick(APPS) });
  if (r < 0.8) return sel({ tier: rng.pick(["frontend", "backend", "data"]) });
  return { matchExpressions: [{ key: "app", operator: "In", values: [rng.pick(APPS), rng.pick(APPS)] }] };
}

function subject(rng: Rng, namespaces: number): ClusterPolicySubject {
  return rng.chance(0.55)
    ? { namespaces: namespaceSelector(rng, namespaces) }
    : { pods: { namespaceSelector: namespaceSelector(rng, namespaces), podSelector: podSelector(rng) } };
}

function peer(rng: Rng, namespaces: number, egress: boolean): ClusterPolicyPeer {
  const r = rng.next();
  if (r < 0.35) return { namespaces: rng.chance(0.1) ? {} : namespaceSelector(rng, namespaces) };
  if (r < 0.6) {
    if (rng.chance(0.25))
      return {
        pods: {
          namespaceSelector: sel({ "kubernetes.io/metadata.name": DNS_NAMESPACE }),
          podSelector: sel({ "k8s-app": "kube-dns" }),
        },
      };
    return { pods: { namespaceSelector: namespaceSelector(rng, namespaces), podSelector: podSelector(rng) } };
  }
  // networks and nodes peers are egress-only.
  if (!egress) return { namespaces: namespaceSelector(rng, namespaces) };
  if (r < 0.82) return { networks: rng.pick(NETWORKS) };
  const n = rng.next();
  return {
    nodes:
      n < 0.4
        ? sel({ "topology.kubernetes.io/zone": rng.pick(ZONES) })
        : n < 0.8
          ? sel({ "node-role": rng.pick(ROLES) })
          : {},
  };
}

function ports(rng: Rng): readonly ClusterPolicyPort[] | undefined {
  const r = rng.next();
  if (r < 0.25) return undefined; // every port
  const out: ClusterPolicyPort[] = [];
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const q = rng.next();
    if (q < 0.4) out.push(rng.pick(RANGES));
    else if (q < 0.7) out.push(rng.pick(WELL_KNOWN));
    else if (q < 0.88) out.push(rng.pick(NAMED));
    else {
      // A range of its own (boundaries nothing else uses, as hand-written policies have).
      const start = 1024 + rng.int(40000);
      out.push(port(rng.chance(0.85) ? "TCP" : "UDP", start, start + rng.pick([0, 9, 99, 999])));
    }
  }
  return out;
}

function rules(
  rng: Rng,
  tier: "Admin" | "Baseline",
  namespaces: number,
  egress: boolean,
): ClusterPolicyRule[] {
  const n = rng.int(4); // 0–3 rules per direction
  const out: ClusterPolicyRule[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.next();
    const action: ClusterAction =
      tier === "Baseline" ? (a < 0.55 ? "Deny" : "Accept") : a < 0.4 ? "Deny" : a < 0.75 ? "Accept" : "Pass";
    const peers: ClusterPolicyPeer[] = [];
    const k = 1 + rng.int(3);
    for (let j = 0; j < k; j++) peers.push(peer(rng, namespaces, egress));
    const p = ports(rng);
    out.push({
      name: `${egress ? "egress" : "ingress"}-${i}-${action.toLowerCase()}`,
      action,
      peers,
      ...(p === undefined ? {} : { ports: p }),
    });
  }
  return out;
}

/**
 * `count` admin/baseline ClusterNetworkPolicies of realistic shape over a generated cluster of
 * `namespaces` namespaces: 60% Admin, 40% Baseline; subjects by namespace labels (55%) or by
 * namespace + pod labels; 0–3 rules per direction (at least one in some direction) with
 * Accept/Deny/Pass (Baseline: Accept/Deny); peers by namespaces, pods (DNS pods among them),
 * networks (metadata service, RFC 1918, documentation ranges, the nodes' /24) and nodes (zone,
 * role, all); ports: all (25% of rules), else 1–3 of: the usual ranges (NodePorts, kubelet,
 * 8000–8999, …; 40%), single well-known ports (30%), named ports (18%), a range of its own (12%). Priorities are drawn from 0–99 in steps of 5 (Admin) or from 0–19
 * (Baseline), so that many policies tie (the engine breaks ties by name, docs/decisions.md #25).
 */
export function generateClusterPolicies(
  count: number,
  namespaces: number,
  seed: number,
): ClusterNetworkPolicy[] {
  const rng = mulberry32(seed);
  const out: ClusterNetworkPolicy[] = [];
  for (let i = 0; i < count; i++) {
    const tier = rng.chance(0.6) ? "Admin" : "Baseline";
    let ingress = rules(rng, tier, namespaces, false);
    const egress = rules(rng, tier, namespaces, true);
    if (ingress.length === 0 && egress.length === 0)
      ingress = rules(rng, tier, namespaces, false).slice(0, 1);
    if (ingress.length === 0 && egress.length === 0)
      ingress = [{ name: "ingress-0-deny", action: "Deny", peers: [{ namespaces: sel({ env: "dev" }) }] }];
    out.push({
      kind: "ClusterNetworkPolicy",
      name: `${tier === "Admin" ? "admin" : "baseline"}-${String(i).padStart(3, "0")}`,
      tier,
      priority: tier === "Admin" ? 5 * rng.int(20) : rng.int(20),
      subject: subject(rng, namespaces),
      ingress,
      egress,
    });
  }
  return out;
}
