// The exported model updates validate what they take, as parseCluster validates a manifest.
import { describe, expect, it } from "vitest";
import {
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
