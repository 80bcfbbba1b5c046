// Nodes and admin/baseline policies in the model: canonical order, replacement, removal.
import { describe, expect, it } from "vitest";
import {
  type ClusterNetworkPolicy,
  compareClusterPolicies,
  makeCluster,
  withClusterPolicy,
  withNode,
  withoutClusterPolicy,
  withoutNode,
} from "../../src/index.ts";

const cnp = (
  name: string,
  tier: ClusterNetworkPolicy["tier"],
  priority: number,
  kind: ClusterNetworkPolicy["kind"] = "ClusterNetworkPolicy",
): ClusterNetworkPolicy => ({
  kind,
  name,
  tier,
  priority,
  subject: { namespaces: {} },
  ingress: [{ action: "Deny", peers: [{ namespaces: {} }] }],
  egress: [],
});

const order = (ps: readonly ClusterNetworkPolicy[]): string[] =>
  ps.map((p) => `${p.tier}/${p.priority}/${p.name}/${p.kind}`);

describe("cluster-scoped objects", () => {
  it("orders admin/baseline policies by tier, priority, name, kind", () => {
    const list = [
      cnp("z", "Baseline", 0),
      cnp("b", "Admin", 5),
      cnp("a", "Admin", 5, "AdminNetworkPolicy"),
      cnp("a", "Admin", 5),
      cnp("c", "Admin", 1),
    ];
    expect(order(makeCluster({ clusterNetworkPolicies: list }).clusterNetworkPolicies)).toEqual([
      "Admin/1/c/ClusterNetworkPolicy",
      "Admin/5/a/AdminNetworkPolicy",
      "Admin/5/a/ClusterNetworkPolicy",
      "Admin/5/b/ClusterNetworkPolicy",
      "Baseline/0/z/ClusterNetworkPolicy",
    ]);
    expect(compareClusterPolicies(cnp("a", "Baseline", 0), cnp("b", "Admin", 1000))).toBeGreaterThan(0);
  });

  it("the same kind and name twice: the later replaces the earlier; other kinds stay", () => {
    const c = makeCluster({
      clusterNetworkPolicies: [
        cnp("a", "Admin", 1),
        cnp("a", "Admin", 9),
        cnp("a", "Admin", 3, "AdminNetworkPolicy"),
      ],
    });
    expect(order(c.clusterNetworkPolicies)).toEqual([
      "Admin/3/a/AdminNetworkPolicy",
      "Admin/9/a/ClusterNetworkPolicy",
    ]);
  });

  it("withClusterPolicy keeps evaluation order and equals makeCluster; withoutClusterPolicy removes one kind only", () => {
    let c = makeCluster({});
    for (const p of [cnp("b", "Admin", 2), cnp("a", "Baseline", 1), cnp("c", "Admin", 1)])
      c = withClusterPolicy(c, p);
    expect(c).toEqual(
      makeCluster({
        clusterNetworkPolicies: [cnp("a", "Baseline", 1), cnp("c", "Admin", 1), cnp("b", "Admin", 2)],
      }),
    );
    c = withClusterPolicy(c, cnp("c", "Admin", 7));
    expect(order(c.clusterNetworkPolicies)[0]).toBe("Admin/2/b/ClusterNetworkPolicy");
    c = withClusterPolicy(c, cnp("b", "Admin", 2, "AdminNetworkPolicy"));
    c = withoutClusterPolicy(c, "AdminNetworkPolicy", "b");
    expect(order(c.clusterNetworkPolicies)).toEqual([
      "Admin/2/b/ClusterNetworkPolicy",
      "Admin/7/c/ClusterNetworkPolicy",
      "Baseline/1/a/ClusterNetworkPolicy",
    ]);
  });

  it("nodes are sorted by name, replaced by name and removed", () => {
    const a = { name: "node-a", labels: {}, addresses: ["172.18.0.2", "fd00::2"] };
    const b = { name: "node-b", labels: { zone: "z1" }, addresses: ["172.18.0.3"] };
    let c = withNode(withNode(makeCluster({}), b), a);
    expect(c.nodes.map((n) => n.name)).toEqual(["node-a", "node-b"]);
    expect(c).toEqual(makeCluster({ nodes: [b, a] }));
    c = withNode(c, { ...a, addresses: ["172.18.0.9"] });
    expect(c.nodes[0]?.addresses).toEqual(["172.18.0.9"]);
    expect(withoutNode(c, "node-a").nodes.map((n) => n.name)).toEqual(["node-b"]);
    expect(withoutNode(c, "nope")).toEqual(c);
  });

  it("an empty cluster has no nodes and no cluster-scoped policies", () => {
    expect(makeCluster({})).toEqual({
      namespaces: [],
      pods: [],
      networkPolicies: [],
      nodes: [],
      clusterNetworkPolicies: [],
    });
  });
});
