// The exported model updates validate what they take, as parseCluster validates a manifest.
import { describe, expect, it } from "vitest";
import {
  compile,
  InputError,
  makeCluster,
  withClusterPolicy,
  withNamespace,
  withNode,
  withPod,
  withPolicy,
} from "../../src/index.ts";
import type { ClusterNetworkPolicy, NetworkPolicy, Pod } from "../../src/model/types.ts";

const empty = makeCluster({});
const pod: Pod = {
  namespace: "x",
  name: "a",
  labels: { app: "a" },
  ports: [],
  hostNetwork: false,
  podIPs: ["10.0.0.1"],
};
const policy: NetworkPolicy = {
  namespace: "x",
  name: "p",
  spec: {
    podSelector: {},
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }],
    egress: [],
  },
};
const cnp: ClusterNetworkPolicy = {
  kind: "ClusterNetworkPolicy",
  name: "c",
  tier: "Admin",
  priority: 5,
  subject: { namespaces: {} },
  ingress: [],
  egress: [
    {
      action: "Deny",
      peers: [{ networks: ["10.0.0.0/8"] }],
      ports: [{ protocol: "TCP", start: 80, end: 90 }],
    },
  ],
};

/** The first issue of the InputError `f` throws. */
function issue(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues[0];
  }
  throw new Error("did not throw");
}

describe("validated model updates", () => {
  it("accept what parseCluster accepts", () => {
    let c = withPod(empty, pod);
    c = withNamespace(c, { name: "y", labels: { team: "b" } });
    c = withPolicy(c, policy);
    c = withNode(c, { name: "n1", labels: {}, addresses: ["172.18.0.2", "fd00::2"] });
    c = withClusterPolicy(c, cnp);
    expect(c.pods.map((p) => p.name)).toEqual(["a"]);
    expect(c.clusterNetworkPolicies.map((p) => p.name)).toEqual(["c"]);
  });

  it.each([
    [
      "a pod address that is not an IP",
      () => withPod(empty, { ...pod, podIPs: ["10.0.0.x"] }),
      "Pod x/a",
      "status.podIPs[0].ip",
    ],
    ["an invalid pod name", () => withPod(empty, { ...pod, name: "A_b" }), "Pod x/A_b", "metadata.name"],
    [
      "an invalid label key",
      () => withNamespace(empty, { name: "y", labels: { "-bad": "v" } }),
      "Namespace y",
      "metadata.labels",
    ],
    [
      "a policy CIDR that is not one",
      () =>
        withPolicy(empty, {
          ...policy,
          spec: { ...policy.spec, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/99" } }] }] },
        }),
      "NetworkPolicy x/p",
      "spec.ingress[0].from[0].ipBlock.cidr",
    ],
    [
      "a node address that is not an IP",
      () => withNode(empty, { name: "n1", labels: {}, addresses: ["nope"] }),
      "Node n1",
      "status.addresses[0].address",
    ],
    [
      "a priority past 1000",
      () => withClusterPolicy(empty, { ...cnp, priority: 1001 }),
      "ClusterNetworkPolicy c",
      "spec.priority",
    ],
    [
      "a networks entry that is not a CIDR",
      () =>
        withClusterPolicy(empty, {
          ...cnp,
          egress: [{ action: "Deny", peers: [{ networks: ["10.0.0.0/40"] }] }],
        }),
      "ClusterNetworkPolicy c",
      "spec.egress[0].peers[0].networks[0]",
    ],
    [
      "a port range with start > end",
      () =>
        withClusterPolicy(empty, {
          ...cnp,
          egress: [{ action: "Deny", peers: [{}], ports: [{ protocol: "TCP", start: 90, end: 80 }] }],
        }),
      "ClusterNetworkPolicy c",
      "spec.egress[0].ports[0]",
    ],
  ])("refuse %s, naming the object and the field", (_what, update, object, path) => {
    const i = issue(update);
    expect(i?.object).toBe(object);
    expect(i?.path?.startsWith(path)).toBe(true);
  });
});

describe("makeCluster, as exported", () => {
  it("refuses every bad object at once, naming each object and field", () => {
    let error: InputError | undefined;
    try {
      makeCluster({
        pods: [
          { ...pod, labels: 5 as unknown as Pod["labels"] },
          { ...pod, name: "b", podIPs: ["10.0.0.x"] },
        ],
        networkPolicies: [{ namespace: "x", name: "p" } as unknown as NetworkPolicy],
        clusterNetworkPolicies: [{ ...cnp, priority: -1 }],
      });
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error!.issues.map((i) => [i.file, i.object, i.path])).toEqual([
      ["<makeCluster>", "Pod x/a", "metadata.labels"],
      ["<makeCluster>", "Pod x/b", "status.podIPs[0].ip"],
      ["<makeCluster>", "NetworkPolicy x/p", "spec"],
      ["<makeCluster>", "ClusterNetworkPolicy c", "spec.priority"],
    ]);
  });

  it("refuses a list that is not one", () => {
    const i = issue(() => makeCluster({ pods: "nope" as unknown as Pod[] }));
    expect([i?.file, i?.object, i?.path, i?.message]).toEqual([
      "<makeCluster>",
      "Cluster",
      "pods",
      "expected an array",
    ]);
    for (const bad of [null, 5, "x", []])
      expect(issue(() => makeCluster(bad as unknown as Parameters<typeof makeCluster>[0]))?.object).toBe(
        "Cluster",
      );
  });

  it("refuses a cluster policy's port or peer list entry that is not one, never a TypeError", () => {
    const rule = (r: object) =>
      ({ ...cnp, egress: [{ action: "Deny", ...r }] }) as unknown as ClusterNetworkPolicy;
    expect(
      issue(() => makeCluster({ clusterNetworkPolicies: [rule({ peers: [{}], ports: [null] })] }))?.path,
    ).toBe("spec.egress[0].ports[0]");
    expect(issue(() => makeCluster({ clusterNetworkPolicies: [rule({ peers: "x" })] }))?.path).toBe(
      "spec.egress[0].peers",
    );
    expect(
      issue(() => makeCluster({ clusterNetworkPolicies: [rule({ peers: [{ networks: [5] }] })] }))?.path,
    ).toBe("spec.egress[0].peers[0].networks[0]");
  });

  it("keeps a policy's policyTypes as given: [] isolates nothing, as in the model", () => {
    const open: NetworkPolicy = { ...policy, spec: { ...policy.spec, policyTypes: [], ingress: [] } };
    const c = makeCluster({
      pods: [pod, { ...pod, name: "b", podIPs: ["10.0.0.2"] }],
      networkPolicies: [open],
    });
    expect(c.networkPolicies[0]!.spec.policyTypes).toEqual([]);
    expect(compile(c).allows({ from: "x/b", to: "x/a", port: 80 })).toBe(true);
    expect(withPolicy(empty, open).networkPolicies[0]!.spec.policyTypes).toEqual([]);
  });

  it("fills a pod's defaults as a manifest does, so that compile does not trip on a missing field", () => {
    const c = makeCluster({ pods: [{ namespace: "x", name: "a" } as unknown as Pod] });
    expect(c.pods[0]).toEqual({
      namespace: "x",
      name: "a",
      labels: {},
      ports: [],
      hostNetwork: false,
      podIPs: [],
    });
    expect(compile(c).allows({ from: "x/a", to: "x/a", port: 80 })).toBe(true);
  });

  it("writes addresses canonically: two spellings of one address are one shared address", () => {
    const c = makeCluster({
      pods: [
        { ...pod, podIPs: ["fd00:0::1"] },
        { ...pod, name: "b", podIPs: ["fd00::1"] },
      ],
      nodes: [{ name: "n1", labels: {}, addresses: ["FD00:0:0::2"] }],
    });
    expect(c.pods.map((p) => p.podIPs)).toEqual([["fd00::1"], ["fd00::1"]]);
    expect(c.nodes[0]!.addresses).toEqual(["fd00::2"]);
    expect(compile(c).diagnostics.map((d) => d.code)).toContain("duplicate-pod-ip");
    expect(withPod(empty, { ...pod, podIPs: ["fd00:0::7"] }).pods[0]!.podIPs).toEqual(["fd00::7"]);
  });
});
