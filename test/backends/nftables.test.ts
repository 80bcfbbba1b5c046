// The nftables backend: golden files for small scenarios, bytes independent of input order,
// size growing with set members (not pod pairs), one node's scope, and the view it renders. The
// kernel suite (test/kernel) proves the rules on the real kernel.
import { describe, expect, it } from "vitest";
import { nftablesBackend } from "../../src/backends/nftables/index.ts";
import { render } from "../../src/backends/render.ts";
import { compile } from "../../src/compile.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Cluster } from "../../src/model/types.ts";
import { expectGolden } from "./golden.ts";
import { SCENARIOS, tieredCluster } from "./scenarios.ts";

const script = (cluster: Cluster, node?: string): string =>
  render(compile(cluster), nftablesBackend, node === undefined ? {} : { node }).artifacts.find(
    (a) => a.path === "netpol.nft",
  )!.content;

/** The script without its element lines: the structure (maps, chains, rules). */
const structure = (text: string): string[] =>
  text.split("\n").filter((l) => !/^\s{6}\S/.test(l) && !/^\s*# /.test(l));

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

describe("nftables backend", () => {
  for (const { name, cluster } of SCENARIOS)
    it(`golden: ${name}`, () => {
      expectGolden(`nftables/${name}.nft`, script(cluster));
      expectGolden(`nftables/${name}.node-n0.nft`, script(cluster, "n0"));
    });

  it("the same cluster in another order renders the same bytes", () => {
    for (const { cluster } of SCENARIOS) expect(script(reversed(cluster))).toBe(script(cluster));
  });

  it("more pods in the same identities add set members only", () => {
    const one = script(tieredCluster);
    const four = script(multiplied(tieredCluster, 4));
    expect(structure(four)).toEqual(structure(one));
    expect(four.split("\n").length).toBeGreaterThan(one.split("\n").length + 9);
  });

  it("one node's scope: chains only for the groups of its pods, every pod still a peer", () => {
    const all = script(tieredCluster);
    const n1 = script(tieredCluster, "n1");
    expect(n1).not.toContain("10.2.0.1 : goto"); // shop/web is on n0
    expect(n1).toContain("10.2.0.2 : goto"); // shop/db is on n1
    expect(n1).toContain("10.2.0.1 : "); // …and web is still a peer
    expect(n1.length).toBeLessThan(all.length);
  });

  it("refuses an unknown node and names the known ones", () => {
    expect(() => render(compile(tieredCluster), nftablesBackend, { node: "nope" })).toThrow(/nodes: n0, n1/);
  });
});
