// Diagnostics of the admin and baseline tiers (docs/input.md, "Reported by compile"): each code on a
// cluster built with makeCluster, and a clean policy set that reports none.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type {
  ClusterNetworkPolicy,
  ClusterPolicyPeer,
  ClusterPolicyRule,
  Diagnostic,
  Pod,
} from "../../src/model/types.ts";
import { cnp, ns, pod } from "./builders.ts";

const pods = [
  pod("x/a", "10.0.0.1", { nodeName: "n1", hostIP: "192.168.0.1" }),
  pod("x/b", "10.0.0.2", { nodeName: "n1", hostIP: "192.168.0.1" }),
  pod("y/c", "10.0.1.1", { nodeName: "n2", hostIP: "192.168.0.2" }),
];
const nodes = [
  { name: "n1", labels: { role: "worker" }, addresses: ["192.168.0.1"] },
  { name: "n2", labels: { role: "worker" }, addresses: ["192.168.0.2"] },
];
const app = (name: string): ClusterPolicyPeer => ({
  pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: name } } },
});
const tcp = (start: number, end = start) => ({ protocol: "TCP" as const, start, end });

function diagnostics(policies: ClusterNetworkPolicy[], extra: { pods?: Pod[]; nodes?: typeof nodes } = {}) {
  const cluster = makeCluster({
    pods: extra.pods ?? pods,
    nodes: extra.nodes ?? nodes,
    clusterNetworkPolicies: policies,
  });
  return compile(cluster).diagnostics;
}
const only = (ds: readonly Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe("admin and baseline tier diagnostics", () => {
  it("a clean policy set reports none", () => {
    const ds = diagnostics([
      cnp("deny-y-to-x", "Admin", 10, ns("x"), {
        ingress: [
          { action: "Accept", peers: [app("c")], ports: [tcp(80)] },
          { action: "Deny", peers: [ns("y")] },
        ],
      }),
      cnp("egress", "Admin", 20, ns("x"), {
        egress: [
          { action: "Accept", peers: [{ networks: ["203.0.113.0/24"] }], ports: [tcp(443)] },
          { action: "Accept", peers: [{ nodes: { matchLabels: { role: "worker" } } }], ports: [tcp(10250)] },
          { action: "Deny", peers: [{ networks: ["203.0.0.0/16"] }] },
        ],
      }),
      cnp(
        "default",
        "Baseline",
        1000,
        { namespaces: {} },
        { ingress: [{ action: "Deny", peers: [ns("y")] }] },
      ),
    ]);
    expect(ds).toEqual([]);
  });

  it("same-priority-overlap: names both policies and a shared pod, and the order we pick", () => {
    const ds = diagnostics([
      cnp("b-second", "Admin", 5, ns("x"), { ingress: [{ action: "Deny", peers: [ns("y")] }] }),
      cnp(
        "a-first",
        "Admin",
        5,
        { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "b" } } } },
        {
          ingress: [{ action: "Accept", peers: [ns("y")] }],
        },
      ),
      // Same priority, other subjects: no overlap.
      cnp("c-other", "Admin", 5, ns("y"), { ingress: [{ action: "Deny", peers: [ns("x")] }] }),
      // Same subjects and priority, but only egress against the others' ingress: order cannot matter.
      cnp("d-egress", "Admin", 5, ns("x"), { egress: [{ action: "Deny", peers: [ns("y")] }] }),
      // Another priority.
      cnp("e-later", "Admin", 6, ns("x"), { ingress: [{ action: "Deny", peers: [ns("y")] }] }),
    ]);
    expect(only(ds, "same-priority-overlap")).toEqual([
      {
        severity: "warning",
        code: "same-priority-overlap",
        object: "ClusterNetworkPolicy b-second",
        path: "spec.priority",
        message:
          "same tier (Admin) and priority (5) as ClusterNetworkPolicy a-first, and both select pod x/b: upstream " +
          "leaves the order of equal priorities implementation-defined; netpol-engine evaluates " +
          "ClusterNetworkPolicy a-first first (by name, then kind: docs/decisions.md #25)",
      },
    ]);
  });

  it("same-priority-overlap across kinds: a Baseline ClusterNetworkPolicy at 1000 and the BaselineAdminNetworkPolicy", () => {
    const ds = only(
      diagnostics([
        cnp(
          "default",
          "Baseline",
          1000,
          ns("y"),
          { ingress: [{ action: "Deny", peers: [ns("x")] }] },
          "BaselineAdminNetworkPolicy",
        ),
        cnp(
          "base",
          "Baseline",
          1000,
          { namespaces: {} },
          { ingress: [{ action: "Accept", peers: [ns("x")] }] },
        ),
      ]),
      "same-priority-overlap",
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ object: "BaselineAdminNetworkPolicy default" });
    expect(ds[0]!.path).toBeUndefined(); // a BANP has no spec.priority
    expect(ds[0]!.message).toContain("as ClusterNetworkPolicy base, and both select pod y/c");
  });

  it("shadowed-rule: a later rule whose peers and ports an earlier rule of the policy already covers", () => {
    const ds = diagnostics([
      cnp("p", "Admin", 1, ns("x"), {
        egress: [
          { name: "web", action: "Accept", peers: [ns("y"), app("a")], ports: [tcp(80, 90), tcp(91, 100)] },
          { action: "Deny", peers: [ns("y")], ports: [tcp(85, 95)] }, // shadowed by [0] (merged ranges)
          { action: "Deny", peers: [ns("y")], ports: [tcp(85, 101)] }, // 101 is not covered
          { action: "Deny", peers: [ns("y")] }, // every port: not covered by [0]
          { action: "Pass", peers: [{ networks: ["10.0.0.0/8"] }] },
          {
            action: "Deny",
            peers: [{ networks: ["10.1.0.0/16"] }],
            ports: [{ protocol: "UDP", start: 53, end: 53 }],
          },
          { action: "Accept", peers: [ns("y"), { networks: ["10.2.0.0/16"] }] }, // [3] and [4] together, not one
        ],
        ingress: [
          { action: "Deny", peers: [ns("y")] },
          { action: "Deny", peers: [ns("y")] }, // an exact repeat
        ],
      }),
    ]);
    expect(only(ds, "shadowed-rule").map((d) => [d.object, d.path, d.message])).toEqual([
      [
        "ClusterNetworkPolicy p",
        "spec.egress[1]",
        'this Deny rule never matches: spec.egress[0] ("web") (Accept) comes first and matches every peer and port it could',
      ],
      [
        "ClusterNetworkPolicy p",
        "spec.egress[5]",
        "this Deny rule never matches: spec.egress[4] (Pass) comes first and matches every peer and port it could",
      ],
      [
        "ClusterNetworkPolicy p",
        "spec.ingress[1]",
        "this Deny rule never matches: spec.ingress[0] (Deny) comes first and matches every peer and port it could",
      ],
    ]);
  });

  it("networks-cover-pod-ips: counts the pods a networks CIDR holds (hostNetwork pods not), names one", () => {
    const ds = diagnostics(
      [
        cnp("p", "Admin", 1, ns("x"), {
          egress: [{ action: "Deny", peers: [{ networks: ["203.0.113.0/24", "10.0.0.0/16"] }] }],
        }),
      ],
      { pods: [...pods, pod("x/h", "10.0.9.9", { hostNetwork: true })] },
    );
    expect(only(ds, "networks-cover-pod-ips")).toEqual([
      {
        severity: "info",
        code: "networks-cover-pod-ips",
        object: "ClusterNetworkPolicy p",
        path: "spec.egress[0].to[0].networks[1]",
        message:
          "10.0.0.0/16 contains the address of 3 pod(s) (x/a, 10.0.0.1): under the conformance profile it matches " +
          "those pods too; under ipblock-external it matches only addresses outside the pod network",
      },
    ]);
  });

  it("undecidable-peer: domainNames, and nodes peers that match no node", () => {
    const rules: ClusterPolicyRule[] = [
      { action: "Accept", peers: [app("c"), { domainNames: ["*.example.com"] }], ports: [tcp(443)] },
      { action: "Deny", peers: [{ nodes: { matchLabels: { role: "control-plane" } } }] },
    ];
    const ds = only(diagnostics([cnp("p", "Admin", 1, ns("x"), { egress: rules })]), "undecidable-peer");
    expect(ds.map((d) => d.path)).toEqual(["spec.egress[0].to[1].domainNames", "spec.egress[1].to[0].nodes"]);
    expect(ds[0]!.message).toContain("netpol-engine treats this peer as matching nothing");
    expect(ds[1]!.message).toBe(
      "this peer matches no node address: it selects none of the 2 Node object(s) with an address; " +
        "netpol-engine treats it as matching nothing",
    );
    // Without Node objects node labels are unknown (decisions #23): even role=worker matches nothing.
    const unknown = only(
      diagnostics(
        [
          cnp("p", "Admin", 1, ns("x"), {
            egress: [{ action: "Deny", peers: [{ nodes: { matchLabels: { role: "worker" } } }] }],
          }),
        ],
        { nodes: [] },
      ),
      "undecidable-peer",
    );
    expect(unknown.map((d) => d.message)).toEqual([
      "this peer matches no node address: the input has no Node objects, so node labels are unknown " +
        "(docs/decisions.md #23); netpol-engine treats it as matching nothing",
    ]);
    // A node a pod names but no Node object describes has no labels either.
    const partial = only(
      diagnostics(
        [
          cnp("p", "Admin", 1, ns("x"), {
            egress: [{ action: "Deny", peers: [{ nodes: { matchLabels: { role: "gpu" } } }] }],
          }),
        ],
        { nodes: [nodes[0]!] },
      ),
      "undecidable-peer",
    );
    expect(partial[0]!.message).toContain("1 node(s) known only from pods (n2) have no labels");
  });

  it("selects-no-subject: a subject selecting no pod, or only hostNetwork pods", () => {
    const ds = diagnostics(
      [
        cnp("nowhere", "Admin", 1, ns("nope"), { ingress: [{ action: "Deny", peers: [ns("y")] }] }),
        cnp("host", "Baseline", 2, ns("h"), { ingress: [{ action: "Deny", peers: [ns("y")] }] }),
      ],
      { pods: [...pods, pod("h/agent", "192.168.0.1", { hostNetwork: true, nodeName: "n1" })] },
    );
    expect(only(ds, "selects-no-subject")).toEqual([
      {
        severity: "warning",
        code: "selects-no-subject",
        object: "ClusterNetworkPolicy host",
        path: "spec.subject",
        message:
          "spec.subject selects only hostNetwork pods (1), which are never subjects; the policy has no effect",
      },
      {
        severity: "warning",
        code: "selects-no-subject",
        object: "ClusterNetworkPolicy nowhere",
        path: "spec.subject",
        message: "spec.subject selects no pod; the policy has no effect",
      },
    ]);
  });
});
