// fast-check arbitraries for random *model* clusters (already defaulted: every port has a protocol,
// policyTypes explicit) and for flows over them. Small alphabets on purpose: selectors must really
// match, names must collide, CIDRs must cover the generated addresses.
import fc from "fast-check";
import { labelMap, makeCluster } from "../src/model/cluster.ts";
import type { Flow } from "../src/model/flow.ts";
import type {
  Cluster,
  ClusterAction,
  ClusterNetworkPolicy,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  ClusterPolicySubject,
  ContainerPort,
  IPBlock,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Node,
  Pod,
  PolicyType,
  Protocol,
} from "../src/model/types.ts";
import { isStrictSubset, parseCIDR } from "../src/net/cidr.ts";

export const NAMESPACE_NAMES = ["x", "y", "z"] as const;
/** Pod label keys and values; `role` is rare and `zone` never set, so that selectors meet absent keys. */
const POD_LABELS: Record<string, readonly string[]> = { app: ["a", "b"], tier: ["x", "y", ""], role: ["r"] };
const NS_LABELS: Record<string, readonly string[]> = { team: ["red", "blue"], env: ["prod"] };
const SELECTOR_KEYS = ["app", "tier", "role", "zone"] as const;
const NS_SELECTOR_KEYS = ["team", "env", "kubernetes.io/metadata.name"] as const;
const VALUES: Record<string, readonly string[]> = {
  app: ["a", "b"],
  tier: ["x", "y", ""],
  role: ["r"],
  zone: ["z1"],
  team: ["red", "blue"],
  env: ["prod"],
  "kubernetes.io/metadata.name": [...NAMESPACE_NAMES],
  // Node labels (nodes peers of the admin tiers).
  "node-role": ["worker", "infra"],
  "topology.kubernetes.io/zone": ["z1", "z2"],
  "kubernetes.io/hostname": ["n0", "n1"],
};
export const PORT_NAMES = ["http", "dns", "metrics"] as const;
export const PORT_NUMBERS = [53, 80, 81, 8080] as const;

/** Pod addresses: pod i gets 10.0.0.(i+1) / fd00::(i+1); nodes live in 10.0.1.0/24 and fd00::1:0/112. */
export const NODE_V4 = ["10.0.1.1", "10.0.1.2"] as const;
export const NODE_V6 = ["fd00::1:1", "fd00::1:2"] as const;
const v4 = (host: number): string => `10.0.0.${host}`;
const v6 = (host: number): string => `fd00::${host.toString(16)}`;
/** Addresses that are not pods' (some inside the generated CIDRs, some outside), for IP flows. */
export const EXTERNAL_IPS = [
  "10.0.0.200",
  "10.0.0.9",
  "10.0.1.1",
  "192.168.1.1",
  "fd00::ff",
  "fd00::1:2",
  "2001:db8::1",
];

export const CIDRS = [
  "10.0.0.0/24",
  "10.0.0.0/28",
  "10.0.0.0/30",
  "10.0.0.4/30",
  "10.0.0.0/16",
  "10.0.1.0/24",
  "0.0.0.0/0",
  "10.0.0.1/32",
  "10.0.0.2/31",
  "10.0.1.1/32",
  "fd00::/64",
  "fd00::/120",
  "fd00::/126",
  "fd00::1/128",
  "fd00::1:0/112",
  "::/0",
] as const;

const protocolArb: fc.Arbitrary<Protocol> = fc.oneof(
  { weight: 4, arbitrary: fc.constant("TCP" as const) },
  { weight: 1, arbitrary: fc.constant("UDP" as const) },
  { weight: 1, arbitrary: fc.constant("SCTP" as const) },
);

/** A label map over `alphabet`, each key present or not. */
function labelsArb(
  alphabet: Record<string, readonly string[]>,
  weights?: Record<string, number>,
): fc.Arbitrary<Labels> {
  const entries = Object.entries(alphabet).map(([k, vs]) =>
    fc.option(fc.constantFrom(...vs), { freq: weights?.[k] ?? 2 }).map((v) => [k, v] as const),
  );
  return fc
    .tuple(...entries)
    .map((kv) => labelMap(kv.filter((e): e is readonly [string, string] => e[1] !== null)));
}

function requirementArb(keys: readonly string[]): fc.Arbitrary<LabelSelectorRequirement> {
  return fc.constantFrom(...keys).chain((key) =>
    fc.oneof(
      fc
        .record({
          operator: fc.constantFrom("In" as const, "NotIn" as const),
          values: fc.uniqueArray(fc.constantFrom(...VALUES[key]!), { minLength: 1, maxLength: 2 }),
        })
        .map((r) => ({ key, ...r })),
      fc.constantFrom("Exists" as const, "DoesNotExist" as const).map((operator) => ({ key, operator })),
    ),
  );
}

/** A label selector: often `{}`, else matchLabels and/or matchExpressions (all four operators). */
function selectorArb(keys: readonly string[]): fc.Arbitrary<LabelSelector> {
  const matchLabels = fc
    .uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 2 })
    .chain((ks) => fc.tuple(...ks.map((k) => fc.constantFrom(...VALUES[k]!).map((v) => [k, v] as const))))
    .map((kv) => labelMap(kv));
  const exprs = fc.array(requirementArb(keys), { minLength: 1, maxLength: 2 });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: matchLabels.map((m) => ({ matchLabels: m })) },
    { weight: 2, arbitrary: exprs.map((e) => ({ matchExpressions: e })) },
    {
      weight: 1,
      arbitrary: fc.tuple(matchLabels, exprs).map(([m, e]) => ({ matchLabels: m, matchExpressions: e })),
    },
  );
}

export const ipBlockArb: fc.Arbitrary<IPBlock> = fc.constantFrom(...CIDRS).chain((cidr) => {
  const outer = parseCIDR(cidr)!;
  const inner = CIDRS.filter((c) => isStrictSubset(parseCIDR(c)!, outer));
  if (inner.length === 0) return fc.constant({ cidr });
  return fc
    .option(fc.uniqueArray(fc.constantFrom(...inner), { minLength: 1, maxLength: 2 }), { freq: 2 })
    .map((except) => (except === null ? { cidr } : { cidr, except }));
});

const peerArb: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  { weight: 3, arbitrary: selectorArb(SELECTOR_KEYS).map((podSelector) => ({ podSelector })) },
  { weight: 2, arbitrary: selectorArb(NS_SELECTOR_KEYS).map((namespaceSelector) => ({ namespaceSelector })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(selectorArb(NS_SELECTOR_KEYS), selectorArb(SELECTOR_KEYS))
      .map(([namespaceSelector, podSelector]) => ({ namespaceSelector, podSelector })),
  },
  { weight: 2, arbitrary: ipBlockArb.map((ipBlock) => ({ ipBlock })) },
);

const portArb: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  { weight: 1, arbitrary: protocolArb.map((protocol) => ({ protocol })) },
  {
    weight: 3,
    arbitrary: fc.record({ protocol: protocolArb, port: fc.constantFrom<number>(...PORT_NUMBERS) }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(protocolArb, fc.constantFrom<number>(...PORT_NUMBERS), fc.constantFrom(0, 1, 100, 10000, 70000))
      .map(([protocol, port, width]) => ({ protocol, port, endPort: Math.min(65535, port + width) })),
  },
  {
    weight: 2,
    arbitrary: fc.record({ protocol: protocolArb, port: fc.constantFrom<string>(...PORT_NAMES) }),
  },
);

/** `undefined` / `[]` (every port) or a list. */
const portsArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 4, arbitrary: fc.array(portArb, { minLength: 1, maxLength: 2 }) },
);
/** `undefined` / `[]` (every peer) or a list. */
const peersArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 5, arbitrary: fc.array(peerArb, { minLength: 1, maxLength: 2 }) },
);

function withOptional<T extends object>(base: T, key: string, value: unknown): T {
  return value === undefined ? base : { ...base, [key]: value };
}
const ingressRuleArb = fc
  .tuple(peersArb, portsArb)
  .map(([from, ports]) => withOptional(withOptional({}, "from", from), "ports", ports));
const egressRuleArb = fc
  .tuple(peersArb, portsArb)
  .map(([to, ports]) => withOptional(withOptional({}, "to", to), "ports", ports));

/** The policy's own podSelector: usually broad, so that policies really isolate pods. */
const policySelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: selectorArb(SELECTOR_KEYS) },
);

const policyTypesArb: fc.Arbitrary<readonly PolicyType[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(["Ingress"] as const) },
  { weight: 1, arbitrary: fc.constant(["Egress"] as const) },
  { weight: 2, arbitrary: fc.constant(["Ingress", "Egress"] as const) },
);

/** Namespaces, the first ones more often (so that pods and the policies selecting them meet). */
const namespaceArb = (namespaces: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(...namespaces.map((n, i) => ({ weight: namespaces.length - i + 1, arbitrary: fc.constant(n) })));

function policyArb(
  namespaces: readonly string[],
  name: string,
  minRules: number,
  maxRules: number,
): fc.Arbitrary<NetworkPolicy> {
  return fc
    .record({
      namespace: namespaceArb(namespaces),
      podSelector: policySelectorArb,
      policyTypes: policyTypesArb,
      ingress: fc.array(ingressRuleArb, { minLength: minRules, maxLength: maxRules }),
      egress: fc.array(egressRuleArb, { minLength: minRules, maxLength: maxRules }),
    })
    .map(({ namespace, podSelector, policyTypes, ingress, egress }) => ({
      namespace,
      name,
      spec: { podSelector, policyTypes, ingress, egress },
    }));
}

/** Container ports with unique names per pod; one name maps to different numbers/protocols on different pods. */
const containerPortsArb: fc.Arbitrary<readonly ContainerPort[]> = fc
  .uniqueArray(fc.constantFrom<string | undefined>(...PORT_NAMES, undefined), { maxLength: 3 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc
          .record({ containerPort: fc.constantFrom<number>(...PORT_NUMBERS), protocol: protocolArb })
          .map((p): ContainerPort => (name === undefined ? p : { name, ...p })),
      ),
    ),
  );

type AddressShape = "v4" | "v6" | "dual4" | "dual6" | "none";
const addressShapeArb: fc.Arbitrary<AddressShape> = fc.oneof(
  { weight: 10, arbitrary: fc.constant("v4" as const) },
  { weight: 1, arbitrary: fc.constant("v6" as const) },
  { weight: 4, arbitrary: fc.constant("dual4" as const) },
  { weight: 1, arbitrary: fc.constant("dual6" as const) },
  { weight: 1, arbitrary: fc.constant("none" as const) },
);

function podArb(namespaces: readonly string[], i: number): fc.Arbitrary<Pod> {
  return fc
    .record({
      namespace: namespaceArb(namespaces),
      labels: labelsArb(POD_LABELS, { app: 5, tier: 2, role: 1 }),
      ports: containerPortsArb,
      shape: addressShapeArb,
      duplicate: fc.oneof(
        { weight: 15, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      hostNet: fc.oneof(
        { weight: 7, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      node: fc.option(fc.integer({ min: 0, max: 1 }), { freq: 6 }),
      nodeFamily: fc.oneof(
        { weight: 4, arbitrary: fc.constant(4) },
        { weight: 1, arbitrary: fc.constant(6) },
      ),
      hostNetShape: fc.constantFrom("both" as const, "both" as const, "hostIP" as const, "podIP" as const),
    })
    .map((r): Pod => {
      const name = `p${i}`; // renumbered per namespace in clusterArbOf
      const hostIP = r.node === null ? undefined : r.nodeFamily === 4 ? NODE_V4[r.node]! : NODE_V6[r.node]!;
      const base = { namespace: r.namespace, name, labels: r.labels, ports: r.ports };
      if (r.hostNet) {
        // The API sets podIP = hostIP for hostNetwork pods; fixtures may omit either.
        const podIPs = hostIP !== undefined && r.hostNetShape !== "hostIP" ? [hostIP] : [];
        const pod = { ...base, hostNetwork: true, podIPs };
        return hostIP === undefined || r.hostNetShape === "podIP" ? pod : { ...pod, hostIP };
      }
      const host = r.duplicate ? 1 : i + 1;
      const podIPs =
        r.shape === "v4"
          ? [v4(host)]
          : r.shape === "v6"
            ? [v6(host)]
            : r.shape === "dual4"
              ? [v4(host), v6(host)]
              : r.shape === "dual6"
                ? [v6(host), v4(host)]
                : [];
      const pod = { ...base, hostNetwork: false, podIPs };
      return hostIP === undefined ? pod : { ...pod, hostIP };
    });
}

// ---------------------------------------------------------------------------------------------
// Nodes and the admin / baseline tiers (ClusterNetworkPolicy). Used only when `ClusterSize.tiers`
// is given: without it a cluster is generated exactly as before (NetworkPolicy only).

/** Node `n<k>`: IPv4 `NODE_V4[k]`, IPv6 `NODE_V6[k]`, ExternalIP `NODE_EXTERNAL[k]` on its Node object sometimes. */
export const NODE_NAMES = ["n0", "n1"] as const;
export const NODE_EXTERNAL = ["172.16.0.1", "172.16.0.2"] as const;
const NODE_LABELS: Record<string, readonly string[]> = {
  "node-role": ["worker", "infra"],
  "topology.kubernetes.io/zone": ["z1", "z2"],
};
const NODE_SELECTOR_KEYS: readonly string[] = [
  "node-role",
  "topology.kubernetes.io/zone",
  "kubernetes.io/hostname",
];

/** A node's stack: its primary address first. */
type NodeStack = "v4" | "v6" | "dual4" | "dual6";
const nodeStackArb: fc.Arbitrary<NodeStack> = fc.oneof(
  { weight: 4, arbitrary: fc.constant("v4" as const) },
  { weight: 1, arbitrary: fc.constant("v6" as const) },
  { weight: 4, arbitrary: fc.constant("dual4" as const) },
  { weight: 1, arbitrary: fc.constant("dual6" as const) },
);
function nodeAddresses(k: number, stack: NodeStack): string[] {
  const a = NODE_V4[k]!;
  const b = NODE_V6[k]!;
  return stack === "v4" ? [a] : stack === "v6" ? [b] : stack === "dual4" ? [a, b] : [b, a];
}

/**
 * What a `Node` object says, before it is put on node `k`: labels (`kubernetes.io/hostname` is
 * always added), and which `status.addresses` it lists — all of the node's, only its primary (its
 * pods' `hostIPs` may still tell the other family), or none — plus sometimes an ExternalIP.
 */
interface NodeObjectShape {
  readonly labels: Labels;
  readonly listed: "all" | "primary" | "none";
  readonly external: boolean;
}
const nodeObjectShapeArb: fc.Arbitrary<NodeObjectShape | null> = fc.option(
  fc.record({
    labels: labelsArb(NODE_LABELS),
    listed: fc.constantFrom("all" as const, "all" as const, "primary" as const, "none" as const),
    external: fc.oneof(
      { weight: 4, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
  }),
  { freq: 4 },
);
function nodeObject(k: number, stack: NodeStack, shape: NodeObjectShape): Node {
  const all = nodeAddresses(k, stack);
  const addresses = shape.listed === "all" ? all : shape.listed === "primary" ? all.slice(0, 1) : [];
  return {
    name: NODE_NAMES[k]!,
    labels: labelMap([...Object.entries(shape.labels), ["kubernetes.io/hostname", NODE_NAMES[k]!]]),
    addresses: shape.external ? [...addresses, NODE_EXTERNAL[k]!] : addresses,
  };
}

/** Where a pod runs, and how much of that its status says. */
interface Placement {
  readonly node: number | null;
  readonly named: boolean;
  readonly hostIP: boolean;
  readonly hostIPs: "none" | "primary" | "all";
  readonly hostNetShape: "all" | "primary" | "hostIP" | "podIP";
}
const placementArb: fc.Arbitrary<Placement> = fc.record({
  node: fc.option(fc.integer({ min: 0, max: 1 }), { freq: 6 }),
  named: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  hostIP: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  hostIPs: fc.constantFrom("none" as const, "primary" as const, "all" as const, "all" as const),
  hostNetShape: fc.constantFrom(
    "all" as const,
    "all" as const,
    "primary" as const,
    "hostIP" as const,
    "podIP" as const,
  ),
});

/**
 * Put a generated pod on a node consistently with the node's stack: `spec.nodeName` (usually),
 * `status.hostIP` (the node's primary address), `status.hostIPs` (dual-stack nodes: both), and for
 * a hostNetwork pod `podIPs` = its node's addresses (or some of them; fixtures may omit either).
 */
function placePod(pod: Pod, at: Placement, stacks: readonly NodeStack[]): Pod {
  const { hostIP: _h, hostIPs: _hs, nodeName: _n, ...rest } = pod;
  if (at.node === null) return pod.hostNetwork ? { ...rest, podIPs: [] } : rest;
  const all = nodeAddresses(at.node, stacks[at.node]!);
  let out: Pod = at.named ? { ...rest, nodeName: NODE_NAMES[at.node]! } : rest;
  const hostIP = at.hostIP && !(pod.hostNetwork && at.hostNetShape === "podIP");
  if (hostIP) out = { ...out, hostIP: all[0]! };
  if (hostIP && at.hostIPs !== "none")
    out = { ...out, hostIPs: at.hostIPs === "all" ? all : all.slice(0, 1) };
  if (pod.hostNetwork) {
    const podIPs = at.hostNetShape === "hostIP" ? [] : at.hostNetShape === "primary" ? all.slice(0, 1) : all;
    out = { ...out, podIPs };
  }
  return out;
}

/** Admin/baseline ports: single ports, ranges, every port of a protocol, and names (any protocol). */
const clusterPortArb: fc.Arbitrary<ClusterPolicyPort> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(protocolArb, fc.constantFrom<number>(...PORT_NUMBERS))
      .map(([protocol, port]) => ({ protocol, start: port, end: port })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(protocolArb, fc.constantFrom<number>(...PORT_NUMBERS), fc.constantFrom(1, 100, 10000, 70000))
      .map(([protocol, start, width]) => ({ protocol, start, end: Math.min(65535, start + width) })),
  },
  { weight: 1, arbitrary: protocolArb.map((protocol) => ({ protocol, start: 0, end: 65535 })) },
  { weight: 2, arbitrary: fc.constantFrom(...PORT_NAMES).map((name) => ({ name })) },
);

/** `networks` CIDRs: the NetworkPolicy ones plus some covering the nodes' addresses. */
export const NETWORK_CIDRS = [
  ...CIDRS,
  "10.0.1.2/32",
  "fd00::1:1/128",
  "172.16.0.0/16",
  "fd00::/16",
] as const;

/** Admin subjects and peers select across namespaces: broad namespace selectors more often. */
const broadNsSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: selectorArb(NS_SELECTOR_KEYS) },
);
const podsPeerArb = fc
  .tuple(broadNsSelectorArb, selectorArb(SELECTOR_KEYS))
  .map(([namespaceSelector, podSelector]) => ({ namespaceSelector, podSelector }));

/** A peer; `{}` is the fail-closed peer with no recognised field. */
function clusterPeerArb(direction: "ingress" | "egress"): fc.Arbitrary<ClusterPolicyPeer> {
  const common = [
    { weight: 3, arbitrary: broadNsSelectorArb.map((namespaces) => ({ namespaces })) },
    { weight: 3, arbitrary: podsPeerArb.map((pods) => ({ pods })) },
    { weight: 1, arbitrary: fc.constant({}) },
  ];
  if (direction === "ingress") return fc.oneof(...common);
  return fc.oneof(
    ...common,
    { weight: 2, arbitrary: selectorArb(NODE_SELECTOR_KEYS).map((nodes) => ({ nodes })) },
    {
      weight: 2,
      arbitrary: fc
        .uniqueArray(fc.constantFrom(...NETWORK_CIDRS), { minLength: 1, maxLength: 2 })
        .map((networks) => ({ networks })),
    },
  );
}

const actionArb: fc.Arbitrary<ClusterAction> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("Accept" as const) },
  { weight: 2, arbitrary: fc.constant("Deny" as const) },
  { weight: 2, arbitrary: fc.constant("Pass" as const) },
);

const clusterRuleArb = (direction: "ingress" | "egress"): fc.Arbitrary<ClusterPolicyRule> =>
  fc
    .record({
      named: fc.boolean(),
      action: actionArb,
      peers: fc.array(clusterPeerArb(direction), { minLength: 1, maxLength: 2 }),
      ports: fc.option(fc.array(clusterPortArb, { minLength: 1, maxLength: 2 }), { freq: 2 }),
    })
    .map(({ named, action, peers, ports }) => ({
      ...(named ? { name: "r" } : {}), // numbered by position in clusterPolicyArb
      action,
      peers,
      ...(ports === null ? {} : { ports }),
    }));

export const DOMAIN_NAMES = ["*.example.com", "api.example.com", "db.internal"] as const;

/**
 * An egress Accept rule (domainNames are only allowed there) whose one peer is a `domainNames`
 * peer: offline it matches nothing, and `decide` says `unknown` where the walk reaches it
 * (docs/decisions.md #31). One peer only, so that "reached" is all the rule can mean.
 */
const domainRuleArb: fc.Arbitrary<ClusterPolicyRule> = fc
  .record({
    domainNames: fc.uniqueArray(fc.constantFrom(...DOMAIN_NAMES), { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(clusterPortArb, { minLength: 1, maxLength: 2 }), { freq: 2 }),
  })
  .map(({ domainNames, ports }) => ({
    action: "Accept" as const,
    peers: [{ domainNames }],
    ...(ports === null ? {} : { ports }),
  }));

const subjectArb: fc.Arbitrary<ClusterPolicySubject> = fc.oneof(
  { weight: 2, arbitrary: broadNsSelectorArb.map((namespaces) => ({ namespaces })) },
  { weight: 2, arbitrary: podsPeerArb.map((pods) => ({ pods })) },
);

/**
 * An admin or baseline policy, named `c<i>` by its position. Priorities come from a tiny range, so
 * that ties (decided by name, then kind: docs/decisions.md #25) happen; some are written as the
 * v1alpha1 kinds (an AdminNetworkPolicy may share a ClusterNetworkPolicy's name; a
 * BaselineAdminNetworkPolicy is the singleton `default` of priority 1000, #24).
 */
function clusterPolicyArb(
  maxRules: number,
  domainNames: boolean,
): fc.Arbitrary<(i: number) => ClusterNetworkPolicy> {
  const ruleArb = (direction: "ingress" | "egress") =>
    domainNames && direction === "egress"
      ? fc.oneof({ weight: 3, arbitrary: clusterRuleArb(direction) }, { weight: 1, arbitrary: domainRuleArb })
      : clusterRuleArb(direction);
  const rules = (direction: "ingress" | "egress") =>
    fc
      .array(ruleArb(direction), { maxLength: maxRules })
      .map((rs) => rs.map((r, j) => (r.name === undefined ? r : { ...r, name: `r${j}` })));
  return fc
    .record({
      tier: fc.constantFrom("Admin" as const, "Baseline" as const),
      legacy: fc.oneof(
        { weight: 6, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      priority: fc.constantFrom(0, 1, 1, 2, 1000),
      subject: subjectArb,
      ingress: rules("ingress"),
      egress: rules("egress"),
    })
    .map(({ tier, legacy, priority, subject, ingress, egress }) => (i: number): ClusterNetworkPolicy => {
      const body = { tier, subject, ingress, egress };
      if (!legacy) return { kind: "ClusterNetworkPolicy", name: `c${i}`, priority, ...body };
      if (tier === "Baseline")
        return { kind: "BaselineAdminNetworkPolicy", name: "default", priority: 1000, ...body };
      return { kind: "AdminNetworkPolicy", name: `c${Math.max(0, i - 1)}`, priority, ...body };
    });
}

/** How many admin/baseline policies and rules a tiered cluster gets. */
export interface TierSize {
  readonly maxClusterPolicies: number;
  /** Per policy and direction. */
  readonly maxClusterRules: number;
  /** Egress Accept rules with a `domainNames` peer too (default: none). */
  readonly domainNames?: boolean;
}

/** Nodes, pod placement (one per possible pod) and admin/baseline policies, without `chain` (it shrinks badly). */
function tiersArb(maxPods: number, size: TierSize) {
  return fc
    .record({
      stacks: fc.tuple(nodeStackArb, nodeStackArb),
      nodeObjects: fc.tuple(nodeObjectShapeArb, nodeObjectShapeArb),
      placements: fc.tuple(...Array.from({ length: maxPods }, () => placementArb)),
      cnps: fc.oneof(
        { weight: 1, arbitrary: fc.constant<((i: number) => ClusterNetworkPolicy)[]>([]) },
        {
          weight: 5,
          arbitrary: fc.array(clusterPolicyArb(size.maxClusterRules, size.domainNames === true), {
            minLength: 1,
            maxLength: size.maxClusterPolicies,
          }),
        },
      ),
    })
    .map(({ stacks, nodeObjects, placements, cnps }) => ({
      stacks,
      placements,
      nodes: nodeObjects.flatMap((shape, k) => (shape === null ? [] : [nodeObject(k, stacks[k]!, shape)])),
      cnps: cnps.map((make, i) => make(i)),
    }));
}

/** Size limits of a generated cluster. */
export interface ClusterSize {
  readonly maxPods: number;
  readonly maxPolicies: number;
  /** Per policy and direction. */
  readonly maxRules: number;
  /** At least this many policies (default 0) and rules per policy and direction (default 0). */
  readonly minPolicies?: number;
  readonly minRules?: number;
  /** Nodes, pods placed on them and admin/baseline policies; absent: a NetworkPolicy-only cluster as before. */
  readonly tiers?: TierSize;
}

/** Name objects `<prefix><n>` by their rank within their namespace: names then repeat across namespaces. */
function renumber<T extends { readonly namespace: string; readonly name: string }>(xs: readonly T[]): T[] {
  const seen = new Map<string, number>();
  return xs.map((x) => {
    const n = seen.get(x.namespace) ?? 0;
    seen.set(x.namespace, n + 1);
    return { ...x, name: `${x.name.replace(/[0-9]+$/, "")}${n}` };
  });
}

/** A random cluster of at most the given size, built with `makeCluster`. */
export function clusterArbOf(size: ClusterSize): fc.Arbitrary<Cluster> {
  const base = fc
    .record({
      nsCount: fc.integer({ min: 2, max: 3 }),
      podCount: fc.integer({ min: 1, max: size.maxPods }),
      // `minPolicies` (the wide clusters) rules out the policy-free ones.
      policyCount:
        (size.minPolicies ?? 0) > 0
          ? fc.integer({ min: size.minPolicies!, max: size.maxPolicies })
          : fc.oneof(
              { weight: 1, arbitrary: fc.constant(0) },
              { weight: 8, arbitrary: fc.integer({ min: 1, max: size.maxPolicies }) },
            ),
    })
    .chain(({ nsCount, podCount, policyCount }) => {
      const names = NAMESPACE_NAMES.slice(0, nsCount);
      return fc.record({
        // Sometimes a namespace has no Namespace object (implicit namespace).
        namespaces: fc.tuple(
          ...names.map((name) =>
            fc.option(
              labelsArb(NS_LABELS).map((labels) => ({ name, labels })),
              { freq: 8 },
            ),
          ),
        ),
        pods: fc.tuple(...Array.from({ length: podCount }, (_, i) => podArb(names, i))),
        networkPolicies: fc.tuple(
          ...Array.from({ length: policyCount }, (_, i) =>
            policyArb(names, `pol${i}`, size.minRules ?? 0, size.maxRules),
          ),
        ),
      });
    });
  const tiers = size.tiers;
  if (tiers === undefined)
    return base.map(({ namespaces, pods, networkPolicies }) =>
      makeCluster({
        namespaces: namespaces.filter((n) => n !== null),
        // Names repeat across namespaces (x/p0 and y/p0 are different pods), never within one.
        pods: renumber(pods),
        networkPolicies: renumber(networkPolicies),
      }),
    );
  return fc
    .tuple(base, tiersArb(size.maxPods, tiers))
    .map(([{ namespaces, pods, networkPolicies }, { nodes, placements, stacks, cnps }]) =>
      makeCluster({
        namespaces: namespaces.filter((n) => n !== null),
        pods: renumber(pods.map((p, i) => placePod(p, placements[i]!, stacks))),
        networkPolicies: renumber(networkPolicies),
        nodes,
        clusterNetworkPolicies: cnps,
      }),
    );
}

/** A random cluster: 2–3 namespaces, 1–6 pods, 0–4 policies of up to 3 rules per direction. */
export const clusterArb: fc.Arbitrary<Cluster> = clusterArbOf({ maxPods: 6, maxPolicies: 4, maxRules: 3 });

/** Flow ports: numeric (some matching rule ports, some not) or named. */
export const flowPortArb: fc.Arbitrary<{ port: number | string; protocol: Protocol }> = fc.record({
  port: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom<number>(...PORT_NUMBERS, 9999, 65535, 0) },
    { weight: 1, arbitrary: fc.constantFrom<string>(...PORT_NAMES) },
  ),
  protocol: protocolArb,
});

/** Every address a generated pod or node may have, and a few external ones. */
export const ALL_IPS: readonly string[] = [
  ...Array.from({ length: 6 }, (_, i) => v4(i + 1)),
  ...Array.from({ length: 6 }, (_, i) => v6(i + 1)),
  ...EXTERNAL_IPS,
];

/**
 * Flows over a cluster: every ordered pod pair for each of `ports`, plus pod↔IP flows for a few
 * IPs (pod addresses, node addresses, external ones), in both directions, and IP→IP flows.
 */
export function flowsOf(
  cluster: Cluster,
  ports: readonly { port: number | string; protocol: Protocol }[],
  ips: readonly string[],
): Flow[] {
  const pods = cluster.pods.map((p) => `${p.namespace}/${p.name}`);
  const flows: Flow[] = [];
  for (const { port, protocol } of ports) {
    for (const from of pods) for (const to of pods) flows.push({ from, to, port, protocol });
    for (const ip of ips)
      for (const pod of pods) {
        flows.push({ from: pod, to: ip, port, protocol });
        flows.push({ from: ip, to: pod, port, protocol });
      }
    // Address to address: external, node, or pods named by their IPs (then pod to pod, in the IP's family).
    for (const from of ips) for (const to of ips) if (from !== to) flows.push({ from, to, port, protocol });
  }
  return flows;
}

/** `ALL_IPS` and every node address (both families, the ExternalIPs): the IPs of tiered scenarios. */
export const TIERED_IPS: readonly string[] = [
  ...new Set([...ALL_IPS, ...NODE_V4, ...NODE_V6, ...NODE_EXTERNAL]),
];

/** A cluster with the flows to check on it: pod pairs, and 1 to `maxIPs` (default 2) IPs taken from `ips`. */
export function scenarioArbOf(
  cluster: fc.Arbitrary<Cluster>,
  ips: readonly string[] = ALL_IPS,
  maxIPs = 2,
): fc.Arbitrary<{ cluster: Cluster; flows: Flow[] }> {
  return fc
    .tuple(
      cluster,
      fc.array(flowPortArb, { minLength: 2, maxLength: 3 }),
      fc.uniqueArray(
        // IPv4 addresses three times as often.
        fc.constantFrom(...ips, ...ips.filter((ip) => !ip.includes(":")).flatMap((ip) => [ip, ip])),
        { minLength: 1, maxLength: maxIPs },
      ),
    )
    .map(([cluster, ports, ips]) => ({ cluster, flows: flowsOf(cluster, ports, ips) }));
}

/** The default scenario: a small cluster (`clusterArb`) and its flows. */
export const scenarioArb: fc.Arbitrary<{ cluster: Cluster; flows: Flow[] }> = scenarioArbOf(clusterArb);

/**
 * A small cluster with every tier: `clusterArb`'s namespaces, pods and NetworkPolicies, two nodes
 * (single- or dual-stack, with or without a Node object), pods placed on them, and (in 5 clusters
 * out of 6) 1–3 admin/baseline policies of up to 3 rules per direction.
 */
export const tieredClusterArb: fc.Arbitrary<Cluster> = clusterArbOf({
  maxPods: 6,
  maxPolicies: 4,
  maxRules: 3,
  tiers: { maxClusterPolicies: 3, maxClusterRules: 3 },
});

/** A tiered cluster and its flows, node addresses among the IPs. */
export const tieredScenarioArb: fc.Arbitrary<{ cluster: Cluster; flows: Flow[] }> = scenarioArbOf(
  tieredClusterArb,
  TIERED_IPS,
  3,
);
