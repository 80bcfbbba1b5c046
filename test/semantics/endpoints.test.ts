// DESIGN §1 "hostNetwork pods" and the conformance profile (self, own node); docs/decisions.md
// #1-#3, #11-#12.
import { describe, expect, it } from "vitest";
import { CONFORMANCE_PROFILE, evaluate, InputError, type Profile } from "../../src/index.ts";
import {
  denyAll,
  expectVerdict,
  lazy,
  load,
  namespace,
  pod,
  scenario,
  underProfile,
  yaml,
} from "./helpers.ts";

// Two nodes, 192.168.0.1 and 192.168.0.2. x/a runs on node 1, x/b on node 2; x/h1 and x/h2 are
// hostNetwork pods on node 1 and node 2 (their podIP is the node's, as the API sets it).
const nodes = [
  namespace("x"),
  pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"], hostIP: "192.168.0.1", nodeName: "n1" }),
  pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2"], hostIP: "192.168.0.2", nodeName: "n2" }),
  pod("x/h1", {
    labels: { app: "h" },
    hostNetwork: true,
    ips: ["192.168.0.1"],
    hostIP: "192.168.0.1",
    nodeName: "n1",
  }),
  pod("x/h2", {
    labels: { app: "h" },
    hostNetwork: true,
    ips: ["192.168.0.2"],
    hostIP: "192.168.0.2",
    nodeName: "n2",
  }),
];

describe("hostNetwork pods: never selected by pod or namespace selectors", () => {
  scenario(
    "x/a admits every pod by podSelector {} and namespaceSelector {}, and app=h by label",
    yaml(
      ...nodes,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: a-from-pods, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from:
              - podSelector: {}
              - namespaceSelector: {}
              - podSelector: {matchLabels: {app: h}}
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow", why: "an ordinary pod" },
      { from: "x/h2", to: "x/a", port: 80, verdict: "deny", why: "hostNetwork: not selected, other node" },
      {
        from: "x/h1",
        to: "x/a",
        port: 80,
        verdict: "allow",
        why: "not selected, but a's own node (profile)",
      },
    ],
  );
});

describe("hostNetwork pods: no policies of their own", () => {
  const get = scenario(
    "deny-all in x selects the hostNetwork pods' labels too",
    yaml(
      ...nodes,
      denyAll("x"),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: only-hosts, namespace: x}
      spec:
        podSelector: {matchLabels: {app: h}}
        policyTypes: [Ingress, Egress]
      `,
    ),
    [
      { from: "x/h2", to: "203.0.113.1", port: 443, verdict: "allow", why: "h2 is not egress-isolated" },
      { from: "203.0.113.1", to: "x/h2", port: 22, verdict: "allow", why: "h2 is not ingress-isolated" },
      { from: "x/h1", to: "x/h2", port: 10250, verdict: "allow", why: "node to node" },
      { from: "x/b", to: "x/h2", port: 22, verdict: "deny", why: "b's egress is isolated" },
    ],
  );
  it("explain names no policy for the hostNetwork pod (decidedBy not-a-pod)", () => {
    const e = get().table().explain({ from: "x/h2", to: "203.0.113.1", port: 443 });
    expect(e.egress).toMatchObject({ decidedBy: "not-a-pod", isolated: false, policies: [] });
  });
  it("a policy selecting only hostNetwork pods is reported (selects-only-host-network)", () => {
    expect(get().table().diagnostics).toContainEqual(
      expect.objectContaining({ code: "selects-only-host-network", object: "NetworkPolicy x/only-hosts" }),
    );
  });
});

describe("hostNetwork pods: their traffic is their node IP's", () => {
  const m = yaml(
    ...nodes,
    `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: a-from-node2, namespace: x}
    spec:
      podSelector: {matchLabels: {app: a}}
      ingress:
        - from: [{ipBlock: {cidr: 192.168.0.2/32}}]
    `,
    `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: b-to-node1, namespace: x}
    spec:
      podSelector: {matchLabels: {app: b}}
      policyTypes: [Egress]
      egress:
        - to: [{ipBlock: {cidr: 192.168.0.1/32}}]
    `,
  );
  scenario("ipBlocks over node addresses match hostNetwork pods", m, [
    { from: "x/h2", to: "x/a", port: 80, verdict: "allow", why: "h2's address is 192.168.0.2" },
    { from: "192.168.0.2", to: "x/a", port: 80, verdict: "allow", why: "the same as its address" },
    { from: "x/b", to: "x/a", port: 80, verdict: "deny", why: "b's pod address is not in the block" },
    { from: "x/b", to: "x/h1", port: 80, verdict: "allow", why: "egress ipBlock over h1's node" },
    { from: "x/b", to: "x/h2", port: 80, verdict: "deny" },
  ]);
  scenario(
    "under ipblock-external a node address is not a pod address: still matched (decisions #3)",
    m,
    underProfile("ipblock-external", [
      { from: "x/h2", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/b", to: "x/h1", port: 80, verdict: "allow" },
    ]),
  );
  scenario(
    "a hostNetwork pod without status.hostIP is its first podIPs entry (decisions #3)",
    yaml(
      ...nodes,
      pod("x/h9", { labels: { app: "h" }, hostNetwork: true, ips: ["192.168.0.2"] }),
      pod("x/h8", { labels: { app: "h" }, hostNetwork: true, ips: ["192.168.0.1"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: a-from-node2, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{ipBlock: {cidr: 192.168.0.2/32}}]
      `,
    ),
    [
      { from: "x/h9", to: "x/a", port: 80, verdict: "allow", why: "192.168.0.2 is in the block" },
      { from: "x/h8", to: "x/a", port: 80, verdict: "allow", why: "192.168.0.1 is a's own node" },
      { from: "x/b", to: "x/a", port: 80, verdict: "deny" },
    ],
  );
  scenario(
    "a named flow port towards a hostNetwork pod resolves against its declared ports (decisions #9)",
    yaml(
      ...nodes,
      pod("x/hp", {
        labels: { app: "h" },
        hostNetwork: true,
        ips: ["192.168.0.3"],
        hostIP: "192.168.0.3",
        ports: [{ name: "metrics", containerPort: 9100 }],
      }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: b-egress, namespace: x}
      spec:
        podSelector: {matchLabels: {app: b}}
        policyTypes: [Egress]
        egress:
          - to: [{ipBlock: {cidr: 192.168.0.3/32}}]
            ports: [{port: 9100}]
      `,
    ),
    [
      { from: "x/b", to: "x/hp", port: "metrics", verdict: "allow", why: "metrics → 9100" },
      { from: "x/b", to: "x/hp", port: 9101, verdict: "deny" },
      {
        from: "x/b",
        to: "192.168.0.3",
        port: "metrics",
        verdict: "unknown",
        reason: /needs a destination pod/,
      },
    ],
  );
  it("a hostNetwork pod with no address at all cannot take part (unknown)", () => {
    const l = load(yaml(...nodes, pod("x/h0", { labels: { app: "h" }, hostNetwork: true })));
    expectVerdict(l, { from: "x/h0", to: "x/a", port: 80 }, "unknown", "conformance", /x\/h0/);
  });
});

describe("self traffic is allowed (profile allowSelf)", () => {
  const m = yaml(...nodes, denyAll("x"));
  const get = scenario("deny-all in both directions", m, [
    { from: "x/a", to: "x/a", port: 80, verdict: "allow" },
    { from: "x/a", to: "x/a", port: 5353, protocol: "UDP", verdict: "allow" },
    { from: "10.0.0.1", to: "x/a", port: 80, verdict: "allow", why: "that IP is x/a itself" },
    { from: "x/a", to: "x/b", port: 80, verdict: "deny" },
  ]);
  it("explain says decidedBy self in both directions", () => {
    const e = get().table().explain({ from: "x/a", to: "x/a", port: 80 });
    expect([e.egress.decidedBy, e.ingress.decidedBy]).toEqual(["self", "self"]);
  });
  it("a profile with allowSelf: false denies it", () => {
    const noSelf: Profile = { ...CONFORMANCE_PROFILE, name: "no-self", allowSelf: false };
    expectVerdict(load(m), { from: "x/a", to: "x/a", port: 80 }, "deny", noSelf);
  });
});

describe("ingress from the pod's own node (status.hostIP) is allowed, from another node not", () => {
  const m = yaml(
    ...nodes,
    // Same labels as x/a (same identity), other node.
    pod("x/a2", { labels: { app: "a" }, ips: ["10.0.0.12"], hostIP: "192.168.0.2", nodeName: "n2" }),
    denyAll("x"),
  );
  const get = scenario("deny-all in both directions; x/a on 192.168.0.1", m, [
    { from: "192.168.0.1", to: "x/a", port: 8080, verdict: "allow", why: "own node (kubelet probes)" },
    { from: "x/h1", to: "x/a", port: 8080, verdict: "allow", why: "a hostNetwork pod on the same node" },
    { from: "192.168.0.2", to: "x/a", port: 8080, verdict: "deny", why: "another node" },
    { from: "x/h2", to: "x/a", port: 8080, verdict: "deny", why: "a hostNetwork pod on another node" },
    { from: "x/a", to: "192.168.0.1", port: 8080, verdict: "deny", why: "egress to the node is not special" },
    { from: "192.168.0.2", to: "x/b", port: 8080, verdict: "allow", why: "b's own node" },
    { from: "192.168.0.2", to: "x/a2", port: 8080, verdict: "allow", why: "a2's own node" },
    { from: "192.168.0.1", to: "x/a2", port: 8080, verdict: "deny", why: "same labels as x/a, other node" },
    { from: "x/h1", to: "x/a2", port: 8080, verdict: "deny" },
  ]);
  it("explain says decidedBy own-node", () => {
    const e = get().table().explain({ from: "192.168.0.1", to: "x/a", port: 8080 });
    expect(e.ingress).toMatchObject({ decidedBy: "own-node", verdict: "allow" });
  });
  it("a profile with allowFromOwnNode: false denies it", () => {
    const noNode: Profile = { ...CONFORMANCE_PROFILE, name: "no-node", allowFromOwnNode: false };
    expectVerdict(load(m), { from: "192.168.0.1", to: "x/a", port: 8080 }, "deny", noNode);
  });
});

describe("IP endpoints that equal a pod's IP are that pod (decisions #2)", () => {
  const get = scenario(
    "x/a admits app=b; x/c and x/d (app=b) share 10.0.0.9",
    yaml(
      namespace("x"),
      pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1", "fd00::1"] }),
      pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2", "fd00::2"] }),
      pod("x/c", { labels: { app: "b" }, ips: ["10.0.0.9"] }),
      pod("x/d", { labels: { app: "b" }, ips: ["10.0.0.9"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: a-from-b, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      { from: "10.0.0.2", to: "x/a", port: 80, verdict: "allow", why: "x/b's primary address" },
      { from: "fd00::2", to: "x/a", port: 80, verdict: "allow", why: "x/b's second address" },
      { from: "10.0.0.3", to: "x/a", port: 80, verdict: "deny", why: "nobody's: external" },
      {
        from: "fd00::2",
        to: "10.0.0.1",
        port: 80,
        verdict: "unknown",
        why: "two IPs of different families (decisions #15)",
      },
      {
        from: "fd00::2",
        to: "fd00::1",
        port: 80,
        verdict: "allow",
        why: "both pods by their IPv6 addresses",
      },
      { from: "FD00:0:0:0:0:0:0:2", to: "x/a", port: 80, verdict: "allow", why: "non-canonical IPv6 text" },
      { from: "010.000.000.002", to: "x/a", port: 80, verdict: "allow", why: "legacy zero-padded IPv4 text" },
      { from: "x/c", to: "x/a", port: 80, verdict: "allow", why: "by name" },
      { from: "10.0.0.9", to: "x/a", port: 80, verdict: "deny", why: "shared by two pods: external" },
    ],
  );
  scenario(
    "a shared address is external for ipBlocks too; the pods by name keep their own behaviour",
    yaml(
      namespace("x"),
      pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
      pod("x/c", { labels: { app: "c" }, ips: ["10.0.0.9"] }),
      pod("x/d", { labels: { app: "d" }, ips: ["10.0.0.9"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: a-from-block, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{ipBlock: {cidr: 10.0.0.8/29}}]
      `,
    ),
    [
      { from: "10.0.0.9", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 80, verdict: "allow", why: "conformance: ipBlocks match pod IPs" },
      ...underProfile("ipblock-external", [
        {
          from: "10.0.0.9",
          to: "x/a",
          port: 80,
          verdict: "allow",
          why: "treated as external (decisions #2)",
        },
        { from: "x/c", to: "x/a", port: 80, verdict: "deny", why: "by name it is a pod" },
      ]),
    ],
  );
  it("explain names the pod, not the address", () => {
    const e = get().table().explain({ from: "10.0.0.2", to: "10.0.0.1", port: 80 });
    expect([e.from, e.to]).toEqual(["x/b", "x/a"]);
  });
  it("a shared address is reported (duplicate-pod-ip)", () => {
    expect(get().table().diagnostics).toContainEqual(expect.objectContaining({ code: "duplicate-pod-ip" }));
  });
});

describe("an unknown ns/name is bad input: InputError unknown-endpoint (decisions #1)", () => {
  const get = lazy(() => load(yaml(...nodes)));
  const codes = (run: () => unknown): string[] => {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).issues.map((i) => i.code);
    }
    throw new Error("expected an InputError");
  };
  it.each([
    ["x/nope", "x/a"],
    ["x/a", "y/a"],
    ["not-an-endpoint", "x/a"],
    ["x/a", "10.0.0.300"],
  ])("%s → %s throws from decide, explain and evaluate", (from, to) => {
    const f = { from, to, port: 80 };
    expect(codes(() => get().table().decide(f))).toEqual(["unknown-endpoint"]);
    expect(codes(() => get().table().explain(f))).toEqual(["unknown-endpoint"]);
    expect(codes(() => evaluate(get().cluster, f))).toEqual(["unknown-endpoint"]);
  });
});
