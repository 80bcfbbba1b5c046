// A control, not a backend: rules rendered per probe from the table's own answers (an allow set
// of (source, destination, protocol, port) tuples, everything else new TCP/UDP dropped), in
// nftables and in iptables + ipset form. Run through the harness they must give zero mismatches
// on every scenario source: that proves the sources, the topology at scale (dual-stack, node
// addresses) and the loaders, before and independently of the real backends.
import type { Artifact } from "./artifacts.ts";
import type { Plan } from "./plan.ts";

const isV6 = (ip: string): boolean => ip.includes(":");

interface Tuple {
  readonly src: string;
  readonly dst: string;
  readonly proto: "tcp" | "udp";
  readonly port: number;
}

function allowed(plan: Plan): Tuple[] {
  const seen = new Map<string, Tuple>();
  for (const p of plan.probes) {
    if (!p.expect) continue;
    const src = p.src ?? plan.slots[p.source]!.addrs.find((a) => isV6(a) === isV6(p.dst))!;
    const t: Tuple = { src, dst: p.dst, proto: p.proto === "TCP" ? "tcp" : "udp", port: p.port };
    seen.set(`${t.src} ${t.dst} ${t.proto} ${t.port}`, t);
  }
  return [...seen.values()];
}

function nftSet(name: string, type: string, elems: readonly Tuple[]): string[] {
  const lines = [`  set ${name} {`, `    type ${type} . ${type} . inet_proto . inet_service`];
  if (elems.length > 0)
    lines.push(
      `    elements = { ${elems.map((t) => `${t.src} . ${t.dst} . ${t.proto} . ${t.port}`).join(", ")} }`,
    );
  lines.push("  }");
  return lines;
}

const nftChain = (name: string, hook: string): string[] => [
  `  chain ${name} {`,
  `    type filter hook ${hook} priority 0; policy accept;`,
  "    ct state established,related accept",
  "    ip saddr . ip daddr . meta l4proto . th dport @allow4 accept",
  "    ip6 saddr . ip6 daddr . meta l4proto . th dport @allow6 accept",
  "    meta l4proto { tcp, udp } drop",
  "  }",
];

export function oracleNftables(plan: Plan): Artifact[] {
  const t = allowed(plan);
  const lines = [
    "table inet npek_oracle",
    "delete table inet npek_oracle",
    "table inet npek_oracle {",
    ...nftSet(
      "allow4",
      "ipv4_addr",
      t.filter((x) => !isV6(x.dst)),
    ),
    ...nftSet(
      "allow6",
      "ipv6_addr",
      t.filter((x) => isV6(x.dst)),
    ),
    ...nftChain("forward", "forward"),
    ...nftChain("output", "output"),
    "}",
    "",
  ];
  return [{ path: "oracle.nft", content: lines.join("\n") }];
}

function restore(set: string): string {
  const chain = (c: string): string[] => [
    `-A ${c} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
    `-A ${c} -m set --match-set ${set} src,dst,dst -j ACCEPT`,
    `-A ${c} -p tcp -j DROP`,
    `-A ${c} -p udp -j DROP`,
  ];
  return [
    "*filter",
    ":INPUT ACCEPT [0:0]",
    ":FORWARD ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ...chain("FORWARD"),
    ...chain("OUTPUT"),
    "COMMIT",
    "",
  ].join("\n");
}

export function oracleIptables(plan: Plan): Artifact[] {
  const t = allowed(plan);
  const sets = [
    "create npek-allow4 hash:ip,port,ip family inet",
    "create npek-allow6 hash:ip,port,ip family inet6",
    ...t.map((x) => `add npek-allow${isV6(x.dst) ? 6 : 4} ${x.src},${x.proto}:${x.port},${x.dst}`),
    "",
  ];
  return [
    { path: "oracle.ipset", content: sets.join("\n") },
    { path: "oracle.rules.v4", content: restore("npek-allow4") },
    { path: "oracle.rules.v6", content: restore("npek-allow6") },
  ];
}
