// iptables groups whose rules are equal share one chain and one dispatch set (docs/decisions.md
// #70): two namespaces isolated alike need one ingress chain; same-namespace rules keep them
// apart (a local chain names its namespace's sets). Kernel proof: test/kernel (49 scenarios with
// a shared chain).
import { describe, expect, it } from "vitest";
import { BUILTIN_BACKENDS } from "../../src/backends/builtin.ts";
import { render } from "../../src/backends/render.ts";
import { compile } from "../../src/compile.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { NetworkPolicy } from "../../src/model/types.ts";

const pod = (namespace: string, name: string, ip: string) => ({
  namespace,
  name,
  labels: { app: name },
  ports: [],
  hostNetwork: false,
  podIPs: [ip],
});

/** Namespaces a and b, two pods each, each namespace with `policy` (its namespace filled in). */
function rendered(ingress: NetworkPolicy["spec"]["ingress"]) {
  const policy = (namespace: string): NetworkPolicy => ({
    namespace,
    name: "p",
    spec: { podSelector: {}, policyTypes: ["Ingress"], ingress, egress: [] },
  });
  const cluster = makeCluster({
    namespaces: [
      { name: "a", labels: {} },
      { name: "b", labels: {} },
    ],
    nodes: [],
    pods: [
      pod("a", "x", "10.0.0.1"),
      pod("a", "y", "10.0.0.2"),
      pod("b", "x", "10.0.1.1"),
      pod("b", "y", "10.0.1.2"),
    ],
    networkPolicies: [policy("a"), policy("b")],
  });
  const { artifacts } = render(compile(cluster, { profile: "conformance" }), BUILTIN_BACKENDS.iptables!);
  const file = (path: string): string[] => artifacts.find((f) => f.path === path)!.content.split("\n");
  const rules = file("netpol.rules.v4");
  return {
    chains: rules.filter((l) => /^:NP-I\d+ /.test(l)).map((l) => l.split(" ")[0]!.slice(1)),
    dispatch: rules.filter((l) => l.startsWith("-A NETPOL-INGRESS -m set")),
    members: (set: string) => file("netpol.ipset").filter((l) => l.startsWith(`add ${set} `)),
  };
}

describe("iptables shared chains", () => {
  it("two namespaces that deny all ingress alike share one chain, its set holding all four pods", () => {
    const r = rendered([]);
    expect(r.chains).toHaveLength(1);
    expect(r.dispatch).toHaveLength(1);
    const [, set] = /--match-set (\S+) dst/.exec(r.dispatch[0]!)!;
    expect(r.members(set!).map((l) => l.split(" ")[2])).toEqual([
      "10.0.0.1/32",
      "10.0.0.2/32",
      "10.0.1.1/32",
      "10.0.1.2/32",
    ]);
    expect(r.dispatch[0]).toMatch(/ingress groups \d+,\d+: 4 pods of 2 namespaces/);
    expect(r.dispatch[0]).toContain(`-g ${r.chains[0]}`);
  });

  it("same-namespace rules keep each namespace's chain its own", () => {
    const r = rendered([{ from: [{ podSelector: { matchLabels: { app: "x" } } }] }]);
    expect(r.chains.filter((c) => !c.endsWith("-L"))).toHaveLength(2);
    expect(r.dispatch).toHaveLength(2);
  });
});
