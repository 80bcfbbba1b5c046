// The iptables backend: golden files for small scenarios, bytes independent of input order, size
// growing with set members (not pod pairs), one node's scope, and the peer-class sets (ranges,
// pods, nomatch holes) meaning exactly the render view's address → class map. The kernel suite
// (test/kernel) proves the rules on the real kernel, under iptables-legacy and iptables-nft.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iptablesBackend } from "../../src/backends/iptables/index.ts";
import { peerClassMembers } from "../../src/backends/iptables/peer-sets.ts";
import { render } from "../../src/backends/render.ts";
import { compile } from "../../src/compile.ts";
import { EGRESS, INGRESS, type PolicyTableIR } from "../../src/ir/policy-table-ir.ts";
import { type Family, peerIntervals } from "../../src/ir/read-render.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Cluster } from "../../src/model/types.ts";
import { parseCIDR } from "../../src/net/cidr.ts";
import { clusterArb, tieredClusterArb } from "../arbitraries.ts";
import { expectGolden } from "./golden.ts";
import { SCENARIOS, tieredCluster } from "./scenarios.ts";

type Files = Record<string, string>;

const files = (cluster: Cluster, node?: string): Files =>
  Object.fromEntries(
    render(compile(cluster), iptablesBackend, node === undefined ? {} : { node }).artifacts.map((a) => [
      a.path,
      a.content,
    ]),
  );

const reversed = (c: Cluster): Cluster =>
  makeCluster({
    namespaces: [...c.namespaces].reverse(),
    pods: [...c.pods].reverse(),
    networkPolicies: [...c.networkPolicies].reverse(),
    nodes: [...c.nodes].reverse(),
    clusterNetworkPolicies: [...c.clusterNetworkPolicies].reverse(),
  });

/** Each pod copied `k` times with the same labels and new addresses (the same identities). */
function multiplied(c: Cluster, k: number): Cluster {
  const pods = c.pods.flatMap((p, i) =>
    Array.from({ length: k }, (_, j) => ({
      ...p,
      name: j === 0 ? p.name : `${p.name}-${j}`,
      podIPs: j === 0 ? p.podIPs : [`10.200.${i}.${j}`, `fd99::${i}:${j}`],
    })),
  );
  return makeCluster({ ...c, pods });
}

const lines = (text: string): string[] => text.split("\n");
/** Rules without the per-pod self pairs and comments (they count pods); ipset text without members and comments. */
const ruleStructure = (text: string): string[] =>
  lines(text)
    .filter((l) => !l.startsWith("-A NETPOL-SELF -s") && !l.startsWith("# "))
    .map((l) => l.replace(/ -m comment --comment "[^"]*"/, ""));
const setStructure = (text: string): string[] => lines(text).filter((l) => !/^(add |# )/.test(l));

describe("iptables backend", () => {
  for (const { name, cluster } of SCENARIOS)
    it(`golden: ${name}`, () => {
      for (const node of [undefined, "n0"]) {
        const f = files(cluster, node);
        const stem = node === undefined ? name : `${name}.node-${node}`;
        expect(Object.keys(f)).toEqual(["README", "netpol.ipset", "netpol.rules.v4", "netpol.rules.v6"]);
        for (const ext of ["ipset", "rules.v4", "rules.v6"])
          expectGolden(`iptables/${stem}.${ext}`, f[`netpol.${ext}`]!);
      }
    });

  it("the same cluster in another order renders the same bytes", () => {
    for (const { cluster } of SCENARIOS) {
      expect(files(reversed(cluster))).toEqual(files(cluster));
      expect(files(reversed(cluster), "n0")).toEqual(files(cluster, "n0"));
    }
  });

  it("more pods in the same identities add set members (and one self rule per pod address) only", () => {
    const one = files(tieredCluster);
    const four = files(multiplied(tieredCluster, 4));
    const eight = files(multiplied(tieredCluster, 8));
    for (const f of ["netpol.rules.v4", "netpol.rules.v6"]) {
      expect(ruleStructure(four[f]!)).toEqual(ruleStructure(one[f]!));
      const self = (t: Files): number => lines(t[f]!).filter((l) => l.startsWith("-A NETPOL-SELF -s")).length;
      expect(self(four)).toBe(4 * 3); // 3 pods, one address of each family
    }
    expect(setStructure(four["netpol.ipset"]!)).toEqual(setStructure(one["netpol.ipset"]!));
    const size = (t: Files): number => Object.values(t).join("").split("\n").length;
    // linear: 12 more pods add as much as the 9 before them did, per pod (never pairs)
    const perPod = (size(four) - size(one)) / 9;
    expect((size(eight) - size(four)) / 12).toBeLessThanOrEqual(perPod + 1);
    expect(perPod).toBeLessThan(20);
  });

  it("one node's scope: chains only for the groups of its pods, every pod still a peer", () => {
    const all = files(tieredCluster);
    const n1 = files(tieredCluster, "n1");
    // shop/web (10.2.0.1) is on n0: its egress group has no chain on n1 …
    expect(all["netpol.rules.v4"]).toContain(":NP-E1 ");
    expect(n1["netpol.rules.v4"]).not.toContain(":NP-E1 ");
    expect(n1["netpol.ipset"]).not.toContain("create np4-e-g1 ");
    // … shop/db (10.2.0.2) is on n1 and is policed there; web is still a peer (local class set)
    expect(n1["netpol.ipset"]).toMatch(
      /create np4-i-g\d+ [^\n]*\nflush [^\n]*\nadd np4-i-g\d+ 10\.2\.0\.2\/32/,
    );
    expect(n1["netpol.ipset"]).toContain("10.2.0.1/32");
    expect(n1["netpol.rules.v4"]!.length).toBeLessThan(all["netpol.rules.v4"]!.length);
  });

  it("refuses an unknown node and names the known ones", () => {
    expect(() => render(compile(tieredCluster), iptablesBackend, { node: "nope" })).toThrow(/nodes: n0, n1/);
  });

  it("names fit ipset's 31 and iptables' 28 characters", () => {
    for (const { cluster } of SCENARIOS) {
      const f = files(cluster);
      for (const m of f["netpol.ipset"]!.matchAll(/^create (\S+)/gm))
        expect(m[1]!.length).toBeLessThanOrEqual(31);
      for (const m of f["netpol.rules.v4"]!.matchAll(/^:(\S+)/gm))
        expect(m[1]!.length).toBeLessThanOrEqual(28);
    }
  });
});

/** hash:net semantics: the longest prefix containing the address decides; a nomatch entry means no. */
function inSet(members: readonly string[], family: Family, address: bigint): boolean {
  let best = -1;
  let match = false;
  for (const m of members) {
    const [cidr, flag] = m.split(" ");
    const c = parseCIDR(cidr!)!;
    if (c.family !== family || address < c.first || address > c.last || c.prefix <= best) continue;
    best = c.prefix;
    match = flag !== "nomatch";
  }
  return match;
}

function checkPeerSets(ir: PolicyTableIR): void {
  for (const direction of [EGRESS, INGRESS])
    for (const family of [4, 6] as const) {
      const intervals = peerIntervals(ir, direction, family);
      const all = new Set(intervals.map((i) => i.cls));
      const members = peerClassMembers(ir, direction, family, all);
      const max = (1n << BigInt(family === 4 ? 32 : 128)) - 1n;
      for (const i of intervals)
        for (const a of [i.firstValue, i.lastValue, (i.firstValue + i.lastValue) / 2n]) {
          const hits = [...members].filter(([, m]) => inSet(m, family, a)).map(([c]) => c);
          expect(hits, `address ${a} of class ${i.cls}`).toEqual([i.cls]);
        }
      expect(intervals[intervals.length - 1]?.lastValue ?? max).toBe(max);
    }
}

describe("iptables peer-class sets", () => {
  it("every address is in exactly its class's set (small scenarios)", () => {
    for (const { cluster } of SCENARIOS) checkPeerSets(compile(cluster).ir);
  });
  it("every address is in exactly its class's set (random clusters, tiers included)", () => {
    fc.assert(
      fc.property(fc.oneof(clusterArb, tieredClusterArb), (c) => checkPeerSets(compile(c).ir)),
      { numRuns: 150, seed: 11 },
    );
  });
});
