// A pod that lists one address twice (a raw `Cluster` from a library caller; the manifest reader
// drops such repeats) renders each self / own-node pair once: nft refuses a set with a repeated
// element. Found by review (2026-12-07): the dedupe looked only at addresses two pods share.
import { expect, it } from "vitest";
import { BUILTIN_BACKENDS } from "../../src/backends/builtin.ts";
import { render } from "../../src/backends/render.ts";
import { compile } from "../../src/compile.ts";
import { makeCluster } from "../../src/model/cluster.ts";

/** An nft set element of two IPv4 addresses (the self and own-node sets). */
const PAIR = /^\d+\.\d+\.\d+\.\d+ \. \d+\.\d+\.\d+\.\d+$/;

it("self and own-node pairs of a pod with a repeated address are written once", () => {
  const pod = (name: string, podIPs: string[]) => ({
    namespace: "x",
    name,
    labels: {},
    ports: [],
    hostNetwork: false,
    nodeName: "n1",
    podIPs,
  });
  const cluster = makeCluster({
    namespaces: [{ name: "x", labels: {} }],
    nodes: [{ name: "n1", labels: {}, addresses: ["192.168.0.1"] }],
    pods: [pod("a", ["10.0.0.1", "10.0.0.1", "10.0.0.2"]), pod("b", ["10.0.0.3"])],
    networkPolicies: [
      {
        namespace: "x",
        name: "p",
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [] },
      },
    ],
  });
  for (const profile of ["conformance", "netpol-analyzer"]) {
    const table = compile(cluster, { profile });
    for (const backend of [BUILTIN_BACKENDS.iptables!, BUILTIN_BACKENDS.nftables!]) {
      const text = render(table, backend, { unsupported: "warn" })
        .artifacts.map((a) => a.content)
        .join("\n");
      const pairs = text
        .split("\n")
        .map((l) => l.trim().replace(/,$/, ""))
        .filter((l) => l.startsWith("-A NETPOL-SELF -s") || PAIR.test(l) || l.startsWith("add np4-self"));
      expect(pairs.length, `${backend.name} ${profile}`).toBeGreaterThan(0);
      expect(new Set(pairs).size, `${backend.name} ${profile}: ${pairs.join(" | ")}`).toBe(pairs.length);
    }
  }
});
