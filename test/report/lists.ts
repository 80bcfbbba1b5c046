// Connectivity lists built by hand for the report formats: `tricky` exercises every escape and
// both families, `shop` is what `netpol list examples/shop` draws (docs/reports/example.svg).
import type {
  Connection,
  ConnectionList,
  Connections,
  ExternalEndpoint,
  ListEndpoint,
  WorkloadEndpoint,
} from "../../src/model/connections.ts";

export function workload(namespace: string, name: string, kind: string, pods = 1): WorkloadEndpoint {
  return {
    type: "workload",
    name: `${namespace}/${name}[${kind}]`,
    namespace,
    workload: name,
    kind,
    pods: Array.from({ length: pods }, (_, i) => `${namespace}/${name}-${i}`),
  };
}

export function external(...ranges: [string, string][]): ExternalEndpoint {
  return {
    type: "external",
    name: ranges.map(([a, b]) => `${a}-${b}`).join(","),
    family: ranges[0]![0].includes(":") ? 6 : 4,
    ranges,
  };
}

/** A list over `endpoints` whose `connections()` yields `connections` afresh on every call. */
export function listOf(
  endpoints: readonly ListEndpoint[],
  connections: readonly Connection[],
): ConnectionList {
  return {
    profile: "kubernetes",
    endpoints,
    *connections() {
      yield* connections;
    },
  };
}

export const conn = (src: ListEndpoint, dst: ListEndpoint, conns: Connections): Connection => ({
  src: src.name,
  dst: dst.name,
  conns,
});

// tricky: two namespaces, a name with every character some format must escape, IPv4 and IPv6.
export const web = workload("app", "web", "Deployment", 3);
export const odd = workload("app", 'o"d\\d|*_`<b>&[x]', "Pod");
export const dns = workload("kube-system", "coredns", "Deployment", 2);
export const any4 = external(["0.0.0.0", "9.255.255.255"], ["11.0.0.0", "255.255.255.255"]);
export const any6 = external(
  ["::", "fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
  ["fe00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
);

export const trickyConnections: readonly Connection[] = [
  conn(any4, web, { TCP: [[443, 443]] }),
  conn(any6, web, { TCP: [[443, 443]] }),
  conn(odd, dns, { UDP: [[53, 53]], TCP: [[53, 53]] }),
  conn(web, odd, "All Connections"),
  conn(web, dns, {
    SCTP: [
      [1, 9002],
      [9004, 65535],
    ],
    TCP: [
      [80, 80],
      [8080, 8081],
    ],
    UDP: [[53, 53]],
  }),
  conn(dns, any4, "All Connections"),
  conn(dns, web, {
    TCP: Array.from({ length: 20 }, (_, i) => [8000 + 10 * i, 8000 + 10 * i + (i % 2)] as const),
  }),
];

export const tricky: ConnectionList = listOf([odd, web, dns, any4, any6], trickyConnections);

// shop: examples/shop (bare pods, so `[Pod]`); the outside world is everything but the pod range.
const frontend = workload("shop", "frontend", "Pod");
const api = workload("shop", "api", "Pod");
const worker = workload("shop", "worker", "Pod");
const db = workload("shop", "db", "Pod");
const prometheus = workload("monitoring", "prometheus", "Pod");
const coredns = workload("kube-system", "coredns", "Pod");
const world = external(["0.0.0.0", "10.243.255.255"], ["10.245.0.0", "255.255.255.255"]);
const dnsPorts: Connections = { TCP: [[53, 53]], UDP: [[53, 53]] };

export const shop: ConnectionList = listOf(
  [api, coredns, db, frontend, prometheus, worker, world].sort((a, b) => (a.name < b.name ? -1 : 1)),
  [
    conn(world, frontend, { TCP: [[8080, 8080]] }),
    conn(world, coredns, "All Connections"),
    conn(world, prometheus, "All Connections"),
    conn(coredns, world, "All Connections"),
    conn(coredns, frontend, { TCP: [[8080, 8080]] }),
    conn(coredns, prometheus, "All Connections"),
    conn(prometheus, world, "All Connections"),
    conn(prometheus, coredns, "All Connections"),
    conn(prometheus, frontend, { TCP: [[8080, 8080]] }),
    conn(prometheus, api, { TCP: [[9090, 9090]] }),
    conn(api, coredns, dnsPorts),
    conn(api, db, { TCP: [[5432, 5432]] }),
    conn(db, coredns, dnsPorts),
    conn(frontend, coredns, dnsPorts),
    conn(frontend, api, { TCP: [[8080, 8080]] }),
    conn(worker, coredns, dnsPorts),
  ].sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : 1)),
);
