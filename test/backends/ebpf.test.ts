// The ebpf backend: golden map contents for small scenarios, one program for every cluster, bytes
// independent of input order, size growing with pods (set members) and never with pod pairs, one
// node's scope, and the rendered maps read as the program reads them equal to decide() on random
// clusters. The kernel suite runs the program itself (test/kernel/ebpf-rendered.kernel.test.ts
// on crafted packets, scenarios.kernel.test.ts on real traffic).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ebpfBackend } from "../../src/backends/ebpf/index.ts";
import { render } from "../../src/backends/render.ts";
import { compile } from "../../src/compile.ts";
import { renderPods } from "../../src/ir/read-render.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Cluster } from "../../src/model/types.ts";
import { PROTOCOLS } from "../../src/model/types.ts";
import {
  clusterArb,
  EXTERNAL_IPS,
  NODE_EXTERNAL,
  NODE_V4,
  NODE_V6,
  tieredClusterArb,
} from "../arbitraries.ts";
import { tinyCluster } from "../kernel/fixtures/tiny-cluster.ts";
import { ebpfModel } from "./ebpf-model.ts";
import { expectGolden } from "./golden.ts";
import { SCENARIOS, tieredCluster } from "./scenarios.ts";

const artifacts = (cluster: Cluster, node?: string, profile?: string) =>
  render(
    compile(cluster, profile === undefined ? {} : { profile }),
    ebpfBackend,
    node === undefined ? {} : { node },
  ).artifacts;
const file = (cluster: Cluster, suffix: string, node?: string): string =>
  artifacts(cluster, node).find((a) => a.path.endsWith(suffix))!.content;
const maps = (cluster: Cluster, node?: string) =>
  JSON.parse(file(cluster, ".maps.json", node)) as {
    maps: { name: string; entries: Record<string, unknown>[] }[];
  };
const counts = (cluster: Cluster, node?: string): Record<string, number> =>
  Object.fromEntries(maps(cluster, node).maps.map((m) => [m.name, m.entries.length]));

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

describe("ebpf backend", () => {
  for (const { name, cluster } of SCENARIOS)
    it(`golden: ${name}`, () => {
      expectGolden(`ebpf/${name}.maps.json`, file(cluster, ".maps.json"));
      expectGolden(`ebpf/${name}.bpftool`, file(cluster, ".bpftool"));
      expectGolden(`ebpf/${name}.node-n0.bpftool`, file(cluster, ".bpftool", "n0"));
    });

  it("writes one program, the same bytes for every cluster, scope and profile", () => {
    const programs = new Set(
      [
        ...SCENARIOS.flatMap(({ cluster }) => [artifacts(cluster), artifacts(cluster, "n0")]),
        artifacts(makeCluster({})),
        artifacts(tieredCluster, undefined, "ipblock-external"),
      ].map((a) => {
        const c = a.filter((x) => x.path.endsWith(".c"));
        expect(c).toHaveLength(1);
        return c[0]!.content;
      }),
    );
    expect(programs.size).toBe(1);
    const [program] = programs;
    expect(program).toMatch(/SEC\("tc"\)\nint from_pod\(/);
    expect(program).toMatch(/SEC\("tc"\)\nint to_pod\(/);
  });

  it("the same cluster in another order renders the same bytes", () => {
    for (const { cluster } of SCENARIOS) {
      expect(artifacts(reversed(cluster))).toEqual(artifacts(cluster));
      expect(artifacts(reversed(cluster), "n0")).toEqual(artifacts(cluster, "n0"));
    }
  });

  it("more pods in the same identities add pod and address entries only, linearly", () => {
    const base = counts(tieredCluster);
    const byK = [2, 4, 8].map((k) => counts(multiplied(tieredCluster, k)));
    for (const c of byK)
      for (const m of [
        "np_config",
        "np_groups",
        "np_cells",
        "np_locals",
        "np_verdicts",
        "np_node4",
        "np_node6",
      ])
        expect(c[m], m).toBe(base[m]);
    byK.forEach((c, i) => {
      expect(c.np_pods).toBe(base.np_pods! * [2, 4, 8][i]!);
    });
    // Peer prefixes follow addresses: at most a bounded number of prefixes per added address.
    const peers = (c: Record<string, number>): number => c.np_peer4! + c.np_peer6!;
    const added = tieredCluster.pods.length * 2; // addresses per doubling step, per added copy
    expect(peers(byK[2]!) - peers(byK[1]!)).toBeLessThanOrEqual(4 * added * 2 * 130);
    expect(peers(byK[2]!)).toBeLessThan(8 * peers(base) + 8 * 2 * 130 * added);
  });

  it("one node's scope: groups, pods and node addresses of its pods only, other pods still peers", () => {
    const all = maps(tieredCluster);
    const n1 = maps(tieredCluster, "n1");
    const entries = (m: typeof all, name: string) => m.maps.find((x) => x.name === name)!.entries;
    const pod = (m: typeof all, address: string) => entries(m, "np_pods").find((e) => e.address === address);
    // shop/web is on n0: not a subject on n1 (no groups), but still in the peer tries.
    expect(pod(all, "10.2.0.1")?.egressGroup).not.toBe(0);
    expect(pod(n1, "10.2.0.1")?.egressGroup ?? 0).toBe(0);
    expect(pod(n1, "10.2.0.2")?.ingressGroup).toBe(pod(all, "10.2.0.2")?.ingressGroup);
    // n1's subjects (db, monitor) have ingress groups only: the ingress trie as the cluster's, no egress trie.
    const trie = (m: typeof all, direction: string) =>
      entries(m, "np_peer4").filter((e) => e.direction === direction);
    expect(trie(n1, "ingress")).toEqual(trie(all, "ingress"));
    expect(trie(n1, "egress")).toEqual([]);
    expect(trie(all, "egress").length).toBeGreaterThan(0);
    expect(entries(n1, "np_node4").map((e) => e.node)).toEqual(["n1"]);
    expect(entries(n1, "np_groups").length).toBeLessThan(entries(all, "np_groups").length);
  });

  it("the maps, read as the program reads them, let a pod's own node in (tiny cluster, whole and node scope)", () => {
    const table = compile(tinyCluster);
    for (const node of [undefined, "n0"]) {
      const json = render(table, ebpfBackend, node === undefined ? {} : { node }).artifacts.find((a) =>
        a.path.endsWith(".maps.json"),
      )!.content;
      const model = ebpfModel(json);
      for (const src of ["10.90.1.1", "fd90::1:1"])
        for (const pod of renderPods(table.ir))
          for (const to of [...pod.v4, ...pod.v6].filter((a) => a.includes(":") === src.includes(":")))
            for (const port of [80, 81]) {
              const d = table.decide({ from: src, to, port, protocol: "TCP" }).verdict;
              expect(model.allows(src, to, "TCP", port) ? "allow" : "deny", `${src} → ${to} ${port}`).toBe(d);
            }
      // The server takes only TCP 80, but its own node reaches it on 81 too.
      expect(model.allows("10.90.1.1", "10.90.0.2", "TCP", 81)).toBe(true);
      expect(model.allows("10.90.0.1", "10.90.0.2", "TCP", 81)).toBe(false);
    }
  });

  it("the maps, read as the program reads them, equal decide() (random clusters of every tier)", () => {
    const tally = { allow: 0, deny: 0 };
    fc.assert(
      fc.property(
        fc.oneof(clusterArb, tieredClusterArb),
        fc.constantFrom("conformance", "ipblock-external"),
        (cluster, profile) => {
          const table = compile(cluster, { profile });
          const json = render(table, ebpfBackend, { unsupported: "warn" }).artifacts.find((a) =>
            a.path.endsWith(".maps.json"),
          )!.content;
          const model = ebpfModel(json);
          const pods = renderPods(table.ir);
          const count = new Map<string, number>();
          for (const a of pods.flatMap((p) => [...p.v4, ...p.v6])) count.set(a, (count.get(a) ?? 0) + 1);
          const sources = [
            ...pods.flatMap((p) => [...p.v4, ...p.v6].map((a) => ({ from: p.name, address: a }))),
            ...[
              ...new Set([
                ...NODE_V4,
                ...NODE_V6,
                ...NODE_EXTERNAL,
                ...EXTERNAL_IPS,
                ...cluster.nodes.flatMap((n) => n.addresses),
              ]),
            ].map((a) => ({ from: a, address: a })),
          ];
          for (const src of sources)
            for (const dst of pods)
              for (const to of [...dst.v4, ...dst.v6]) {
                if (to.includes(":") !== src.address.includes(":")) continue;
                if (count.get(to) !== 1 || (count.get(src.address) ?? 1) !== 1 || src.from === dst.name)
                  continue;
                for (const protocol of PROTOCOLS)
                  for (const port of [53, 80, 81, 8080]) {
                    const d = table.decide({ from: src.from, to, port, protocol }).verdict;
                    if (d === "unknown") continue;
                    tally[d]++;
                    const got = model.allows(src.address, to, protocol, port) ? "allow" : "deny";
                    expect(got, `${profile} ${src.from} (${src.address}) → ${to} ${protocol}/${port}`).toBe(
                      d,
                    );
                  }
              }
        },
      ),
      { numRuns: 150, seed: 20261204 },
    );
    expect(tally.allow).toBeGreaterThan(1000);
    expect(tally.deny).toBeGreaterThan(1000);
  });
});
