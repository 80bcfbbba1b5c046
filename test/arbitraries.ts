// fast-check arbitraries for random *model* clusters (already defaulted: every port has a protocol,
// policyTypes explicit) and for flows over them. Small alphabets on purpose: selectors must really
// match, names must collide, CIDRs must cover the generated addresses.
import fc from "fast-check";
import { labelMap, makeCluster } from "../src/model/cluster.ts";
import type { Flow } from "../src/model/flow.ts";
import type {
  Cluster,
  ContainerPort,
  IPBlock,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
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

const ipBlockArb: fc.Arbitrary<IPBlock> = fc.constantFrom(...CIDRS).chain((cidr) => {
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

/** Size limits of a generated cluster. */
export interface ClusterSize {
  readonly maxPods: number;
  readonly maxPolicies: number;
  /** Per policy and direction. */
  readonly maxRules: number;
  /** At least this many policies (default 0) and rules per policy and direction (default 0). */
  readonly minPolicies?: number;
  readonly minRules?: number;
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
  return fc
    .record({
      nsCount: fc.integer({ min: 2, max: 3 }),
      podCount: fc.integer({ min: 1, max: size.maxPods }),
      policyCount: fc.oneof(
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
    })
    .map(({ namespaces, pods, networkPolicies }) =>
      makeCluster({
        namespaces: namespaces.filter((n) => n !== null),
        // Names repeat across namespaces (x/p0 and y/p0 are different pods), never within one.
        pods: renumber(pods),
        networkPolicies: renumber(networkPolicies),
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

/** A cluster with the flows to check on it. */
export function scenarioArbOf(
  cluster: fc.Arbitrary<Cluster>,
): fc.Arbitrary<{ cluster: Cluster; flows: Flow[] }> {
  return fc
    .tuple(
      cluster,
      fc.array(flowPortArb, { minLength: 2, maxLength: 3 }),
      fc.uniqueArray(
        fc.constantFrom(...ALL_IPS, ...ALL_IPS.filter((ip) => !ip.includes(":")).flatMap((ip) => [ip, ip])),
        { minLength: 1, maxLength: 2 },
      ),
    )
    .map(([cluster, ports, ips]) => ({ cluster, flows: flowsOf(cluster, ports, ips) }));
}

/** The default scenario: a small cluster (`clusterArb`) and its flows. */
export const scenarioArb: fc.Arbitrary<{ cluster: Cluster; flows: Flow[] }> = scenarioArbOf(clusterArb);
