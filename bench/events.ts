// Seeded event streams over a cluster (issue 14): what a controller's watch delivers, as
// `ClusterEvent`s (bench/incremental.ts). Each kind is drawn from the cluster as it is at that
// point of the stream, so a stream can run as long as wanted:
//
// | kind (metric `incremental.<kind>`) | event |
// |---|---|
// | `podAddSameIdentity` | a new pod cloned from a random pod: same namespace, labels, ports and node, a free address of the same /16 |
// | `podAddNewLabels` | the same, with a label set no pod has (`canary: c<k>` added) |
// | `podRelabel` | a random pod takes another random pod's labels (moves it, often into an identity its namespace did not have) |
// | `policyAdd` | a copy of a random policy under a new name, its first rule on a new port (7100 + k) |
// | `policyChange` | a random policy's first rule moved to another new port (7300 + k); a rule-less policy gets an allow-same-namespace rule |
// | `policyRemove` | a random policy removed |
// | `namespaceRelabel` | a random namespace's `team` label flipped to the next team |
import type {
  Cluster,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  Pod,
} from "../src/model/types.ts";
import { DNS_NAMESPACE, mulberry32, type Rng, TEAMS } from "./generate.ts";
import type { ClusterEvent } from "./incremental.ts";

export const EVENT_KINDS = [
  "podAddSameIdentity",
  "podAddNewLabels",
  "podRelabel",
  "policyAdd",
  "policyChange",
  "policyRemove",
  "namespaceRelabel",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** A source of events of every kind over an evolving cluster (`next` reads the cluster it is given). */
export function eventSource(
  seed: number,
  cluster: Cluster,
): (kind: EventKind, current: Cluster) => ClusterEvent {
  const rng: Rng = mulberry32(seed);
  const used = new Set<string>();
  for (const p of cluster.pods) for (const ip of p.podIPs) used.add(ip);
  let k = 0;
  /** A free IPv4 address in the /16 of `ip` (from x.y.200.0 up). */
  const freeIn = (ip: string): string => {
    const [a, b] = ip.split(".");
    for (let h = 200 * 256; ; h++) {
      const candidate = `${a}.${b}.${(h >> 8) & 255}.${h & 255}`;
      if (!used.has(candidate)) {
        used.add(candidate);
        return candidate;
      }
    }
  };
  const plainPod = (c: Cluster): Pod => {
    for (let tries = 0; ; tries++) {
      const p = rng.pick(c.pods);
      const ok =
        !p.hostNetwork &&
        p.workload === undefined &&
        p.podIPs.length === 1 &&
        !p.podIPs[0]!.includes(":") &&
        p.labels["k8s-app"] === undefined;
      if (ok || tries > 1000) return p;
    }
  };
  const clone = (c: Cluster, labels?: (p: Pod) => Pod["labels"]): ClusterEvent => {
    const p = plainPod(c);
    const pod: Pod = {
      ...p,
      name: `${p.name}-inc${k}`,
      podIPs: [freeIn(p.podIPs[0]!)],
      ...(labels === undefined ? {} : { labels: labels(p) }),
    };
    return { type: "pod-put", pod };
  };
  const onPort = <R extends NetworkPolicyIngressRule | NetworkPolicyEgressRule>(
    rule: R,
    port: number,
  ): R => ({
    ...rule,
    ports: [{ protocol: "TCP", port }],
  });
  /** The policy with its first rule (ingress first) on `port`; a rule-less one gets an allow-same-namespace ingress rule. */
  const movePort = (np: NetworkPolicy, port: number): NetworkPolicy["spec"] => {
    const s = np.spec;
    if (s.ingress.length > 0) return { ...s, ingress: [onPort(s.ingress[0]!, port), ...s.ingress.slice(1)] };
    if (s.egress.length > 0) return { ...s, egress: [onPort(s.egress[0]!, port), ...s.egress.slice(1)] };
    const types = s.policyTypes.includes("Ingress") ? s.policyTypes : [...s.policyTypes, "Ingress" as const];
    return { ...s, policyTypes: types, ingress: [{ from: [{ podSelector: {} }] }] };
  };
  return (kind, c) => {
    k++;
    switch (kind) {
      case "podAddSameIdentity":
        return clone(c);
      case "podAddNewLabels":
        return clone(c, (p) => ({ ...p.labels, canary: `c${k}` }));
      case "podRelabel": {
        const p = plainPod(c);
        const q = plainPod(c);
        return { type: "pod-labels", namespace: p.namespace, name: p.name, labels: { ...q.labels } };
      }
      case "policyAdd": {
        const np = rng.pick(c.networkPolicies);
        return {
          type: "policy-put",
          policy: { ...np, name: `${np.name}-inc${k}`, spec: movePort(np, 7100 + k) },
        };
      }
      case "policyChange": {
        const np = rng.pick(c.networkPolicies);
        return { type: "policy-put", policy: { ...np, spec: movePort(np, 7300 + k) } };
      }
      case "policyRemove": {
        const np = rng.pick(c.networkPolicies);
        return { type: "policy-remove", namespace: np.namespace, name: np.name };
      }
      case "namespaceRelabel": {
        const candidates = c.namespaces.filter((n) => n.name !== DNS_NAMESPACE);
        const ns = rng.pick(candidates.length > 0 ? candidates : c.namespaces);
        const team = ns.labels.team;
        const next = TEAMS[(TEAMS.indexOf(team as (typeof TEAMS)[number]) + 1) % TEAMS.length]!;
        return { type: "namespace-labels", name: ns.name, labels: { ...ns.labels, team: next } };
      }
    }
  };
}
