// Dual-stack nodes (docs/decisions.md #23): the own-node rule applies to every address of the
// node, and a hostNetwork pod has all its node's addresses, so it takes part in flows of both
// families. Both used to go wrong: node IPv6 → pod on that node was denied, and a hostNetwork pod
// in an IPv6 flow was `unknown`.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { PolicyTable } from "../../src/engine/policy-table.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { NetworkPolicy, Pod } from "../../src/model/types.ts";

const denyIngress: NetworkPolicy = {
  namespace: "x",
  name: "deny",
  spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [] },
};
const pods: Pod[] = [
  {
    namespace: "x",
    name: "a",
    labels: {},
    ports: [],
    hostNetwork: false,
    nodeName: "n1",
    podIPs: ["10.0.0.1", "fd00:10::1"],
    hostIP: "192.168.0.1",
    hostIPs: ["192.168.0.1", "fd00:192::1"],
  },
  {
    namespace: "kube",
    name: "agent",
    labels: {},
    ports: [],
    hostNetwork: true,
    nodeName: "n1",
    podIPs: ["192.168.0.1"],
    hostIP: "192.168.0.1",
  },
  {
    namespace: "x",
    name: "b",
    labels: {},
    ports: [],
    hostNetwork: false,
    nodeName: "n2",
    podIPs: ["10.0.0.2", "fd00:10::2"],
  },
];
const cluster = makeCluster({
  pods,
  networkPolicies: [denyIngress],
  // n1's Node object adds an ExternalIP the pods do not mention.
  nodes: [{ name: "n1", labels: {}, addresses: ["192.168.0.1", "fd00:192::1", "203.0.113.7"] }],
});

describe("dual-stack node addresses", () => {
  const tables = () => {
    const t = compile(cluster);
    return [
      t,
      new PolicyTable(t.ir, [], { foldBudget: () => 0 }),
      new PolicyTable(t.ir, [], { packLimit: 0 }),
    ];
  };
  it.each([
    ["192.168.0.1", "x/a", "allow", "the node's IPv4 address"],
    ["fd00:192::1", "x/a", "allow", "the node's IPv6 address (status.hostIPs)"],
    ["203.0.113.7", "x/a", "allow", "an address only the Node object lists"],
    ["fd00:192::1", "x/b", "deny", "another node's pod"],
    ["192.168.0.9", "x/a", "deny", "not a node address"],
  ])("%s → %s is %s (%s)", (from, to, verdict) => {
    for (const t of tables()) expect(t.decide({ from, to, port: 80 }).verdict).toBe(verdict);
  });

  it("a hostNetwork pod has every address of its node: it takes part in IPv6 flows", () => {
    for (const t of tables()) {
      // Named by pod, towards an IPv6 destination: its node's IPv6 address; own node → allowed.
      expect(t.decide({ from: "kube/agent", to: "fd00:10::1", port: 80 })).toMatchObject({
        verdict: "allow",
        family: 6,
      });
      expect(t.decide({ from: "kube/agent", to: "x/b", port: 80 }).verdict).toBe("deny");
    }
    const ir = compile(cluster).ir;
    const agent = ir.pods.indexOf("kube/agent");
    expect(ir.podAddresses[agent]).toEqual(["192.168.0.1", "fd00:192::1", "203.0.113.7"]);
    expect(ir.nodes[ir.node[agent]!]).toBe("n1");
  });

  it("explain names the own-node rule for the IPv6 node address", () => {
    const e = compile(cluster).explain({ from: "fd00:192::1", to: "x/a", port: 80 });
    expect(e.ingress.decidedBy).toBe("own-node");
  });
});
