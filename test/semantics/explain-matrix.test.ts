// The explanation and the matrix (src/model/flow.ts: Explanation, Matrix): what they promise.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/index.ts";
import { lazy, load, namespace, pod, yaml } from "./helpers.ts";

// "zeta" is written before "alpha" on purpose: canonical order is namespace/name, not file order.
const explained = lazy(() =>
  load(
    yaml(
      namespace("x"),
      namespace("y"),
      pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"], hostIP: "192.168.0.1" }),
      pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2"] }),
      pod("x/c", { labels: { app: "c" }, ips: ["10.0.0.3"] }),
      pod("x/d", { labels: { app: "d" }, ips: ["10.0.0.4"] }),
      pod("x/e", { labels: { app: "e" }, ips: ["10.0.0.5"] }),
      pod("x/v6", { labels: { app: "v6" }, ips: ["fd00::6"] }),
      pod("y/a", { labels: { app: "a" }, ips: ["10.0.1.1"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: zeta, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: c}}}]
          - from: [{podSelector: {matchLabels: {app: d}}}]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: alpha, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: nobody}}}]
          - from: [{podSelector: {matchLabels: {app: b}}}]
          - from: [{podSelector: {matchLabels: {app: d}}}]
            ports: [{port: 80}]
          - from: [{podSelector: {matchLabels: {app: b}}}]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: mid, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Egress]
        egress:
          - to: [{podSelector: {matchLabels: {app: nobody}}}]
          - to: [{podSelector: {matchLabels: {app: b}}}]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: other-namespace, namespace: 'y'}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Ingress]
      `,
    ),
  ),
);

describe("explain: names the isolating policies (sorted) and the first allowing rule", () => {
  it("ingress: isolated by x/alpha and x/zeta (sorted, only those selecting for ingress)", () => {
    const e = explained().table().explain({ from: "x/b", to: "x/a", port: 80 });
    expect(e.ingress).toMatchObject({
      direction: "ingress",
      endpoint: "x/a",
      verdict: "allow",
      decidedBy: "network-policy",
      isolated: true,
      policies: ["x/alpha", "x/zeta"],
    });
  });
  it("allowedBy is the first matching rule in written order (spec.ingress[1], not [3])", () => {
    const e = explained().table().explain({ from: "x/b", to: "x/a", port: 80 });
    expect(e.ingress.allowedBy).toEqual({ policy: "x/alpha", rule: "spec.ingress[1]" });
  });
  it("allowedBy follows canonical policy order (alpha before zeta, whatever the file order)", () => {
    const e = explained().table().explain({ from: "x/d", to: "x/a", port: 80 });
    expect(e.ingress.allowedBy).toEqual({ policy: "x/alpha", rule: "spec.ingress[2]" });
  });
  it("when the earlier policy's rule does not match the port, the later policy's rule is named", () => {
    const e = explained().table().explain({ from: "x/d", to: "x/a", port: 81 });
    expect(e.ingress.allowedBy).toEqual({ policy: "x/zeta", rule: "spec.ingress[1]" });
    const c = explained().table().explain({ from: "x/c", to: "x/a", port: 80 });
    expect(c.ingress.allowedBy).toEqual({ policy: "x/zeta", rule: "spec.ingress[0]" });
  });
  it("egress: isolated only by the Egress-typed policy, with its rule", () => {
    const e = explained().table().explain({ from: "x/a", to: "x/b", port: 80 });
    expect(e.egress).toMatchObject({
      direction: "egress",
      endpoint: "x/a",
      verdict: "allow",
      decidedBy: "network-policy",
      isolated: true,
      policies: ["x/mid"],
      allowedBy: { policy: "x/mid", rule: "spec.egress[1]" },
    });
  });
  it("a denied flow: isolated, no allowedBy, the verdict says which side", () => {
    const e = explained().table().explain({ from: "x/e", to: "x/a", port: 80 });
    expect(e.verdict).toBe("deny");
    expect(e.ingress).toMatchObject({ verdict: "deny", decidedBy: "network-policy", isolated: true });
    expect(e.ingress.allowedBy).toBeUndefined();
    expect(e.egress).toMatchObject({ verdict: "allow", decidedBy: "default", isolated: false, policies: [] });
    expect(e.reason).toMatch(/ingress/);
  });
  it("policies are those of the subject's namespace: y/a only by y/other-namespace", () => {
    const e = explained().table().explain({ from: "x/b", to: "y/a", port: 80 });
    expect(e.ingress.policies).toEqual(["y/other-namespace"]);
    expect(e.ingress.verdict).toBe("deny");
  });
});

describe("explain: allowedBy is the first rule whether its peer is namespaced or cluster-wide", () => {
  // Rule kinds alternate: a podSelector-only peer (policy's namespace) and a namespaceSelector peer.
  const get = lazy(() =>
    load(
      yaml(
        namespace("x"),
        pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
        pod("x/f", { labels: { app: "f" }, ips: ["10.0.0.6"] }),
        pod("x/g", { labels: { app: "g" }, ips: ["10.0.0.7"] }),
        `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p1, namespace: x}
        spec:
          podSelector: {matchLabels: {app: a}}
          ingress:
            - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: f}}}]
            - from: [{podSelector: {matchLabels: {app: f}}}]
            - from: [{podSelector: {matchLabels: {app: g}}}]
            - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: g}}}]
        `,
        `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p0, namespace: x}
        spec:
          podSelector: {matchLabels: {app: a}}
          ingress:
            - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: g}}}]
              ports: [{port: 9}]
        `,
      ),
    ),
  );
  it.each([
    ["x/f", 80, "x/p1", "spec.ingress[0]", "cluster-wide peer before a namespaced one"],
    ["x/g", 80, "x/p1", "spec.ingress[2]", "namespaced peer before a cluster-wide one"],
    ["x/g", 9, "x/p0", "spec.ingress[0]", "an earlier policy (p0 < p1) wins"],
  ] as const)("%s → x/a:%i allowed by %s %s (%s)", (from, port, policy, rule, _why) => {
    const e = get().table().explain({ from, to: "x/a", port });
    expect(e.ingress.allowedBy).toEqual({ policy, rule });
    expect(e.ingress.policies).toEqual(["x/p0", "x/p1"]);
  });
});

describe("explain: decidedBy values", () => {
  it.each([
    ["self", { from: "x/a", to: "x/a", port: 80 }, "ingress", "allow"],
    ["own-node", { from: "192.168.0.1", to: "x/a", port: 80 }, "ingress", "allow"],
    ["not-a-pod", { from: "192.168.0.1", to: "x/a", port: 80 }, "egress", "allow"],
    ["default", { from: "x/c", to: "x/b", port: 80 }, "ingress", "allow"],
    ["network-policy", { from: "x/e", to: "x/a", port: 80 }, "ingress", "deny"],
    ["unknown", { from: "x/v6", to: "x/a", port: 80 }, "ingress", "unknown"],
  ] as const)("%s", (decidedBy, flow, side, verdict) => {
    const e = explained().table().explain(flow);
    expect({ decidedBy: e[side].decidedBy, verdict: e[side].verdict }).toEqual({ decidedBy, verdict });
    expect(e.verdict).toBe(explained().table().decide(flow).verdict);
    expect(e.verdict).toBe(evaluate(explained().cluster, flow).verdict);
  });
  it("self and own-node traffic still report the endpoint's isolation (policies included)", () => {
    const t = explained().table();
    const self = t.explain({ from: "x/a", to: "x/a", port: 80 });
    const node = t.explain({ from: "192.168.0.1", to: "x/a", port: 80 });
    const plain = t.explain({ from: "x/e", to: "x/a", port: 80 });
    expect(plain.ingress.isolated).toBe(true);
    for (const e of [self, node])
      expect({ isolated: e.ingress.isolated, policies: e.ingress.policies }).toEqual({
        isolated: true,
        policies: plain.ingress.policies,
      });
  });
  it("unknown carries the reason, in both directions", () => {
    const e = explained().table().explain({ from: "x/v6", to: "x/a", port: 80 });
    expect(e.reason).toMatch(/x\/v6 has no IPv4 address/);
    expect(e.egress.reason).toMatch(/x\/v6 has no IPv4 address/);
  });
  it("a named port is reported resolved", () => {
    const l = load(
      yaml(
        namespace("x"),
        pod("x/a", { labels: {}, ips: ["10.0.0.1"] }),
        pod("x/w", { labels: {}, ips: ["10.0.0.2"], ports: [{ name: "http", containerPort: 8080 }] }),
      ),
    );
    const e = l.table().explain({ from: "x/a", to: "x/w", port: "http" });
    expect({ port: e.port, protocol: e.protocol, family: e.family }).toEqual({
      port: 8080,
      protocol: "TCP",
      family: 4,
    });
  });
});

describe("matrix: every ordered pair incl. self, in canonical order, verdicts equal decide()", () => {
  // Written out of order: y before x, c before a.
  const get = lazy(() =>
    load(
      yaml(
        namespace("y"),
        namespace("x"),
        pod("y/b", { labels: { app: "b" }, ips: ["10.0.1.2"], ports: [{ name: "http", containerPort: 80 }] }),
        pod("x/c", { labels: { app: "c" }, ips: ["10.0.0.3"] }),
        pod("x/a", {
          labels: { app: "a" },
          ips: ["10.0.0.1"],
          ports: [{ name: "http", containerPort: 8080 }],
        }),
        pod("x/host", { labels: {}, hostNetwork: true, ips: ["192.168.0.1"], hostIP: "192.168.0.1" }),
        pod("x/v6", { labels: {}, ips: ["fd00::6"] }),
        `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all, namespace: x}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
          egress:
            - to: [{namespaceSelector: {}}]
              ports: [{port: 80}]
        `,
      ),
    ),
  );
  const pods = ["x/a", "x/c", "x/host", "x/v6", "y/b"];

  it("lists the pods canonically and every ordered pair, from-major", () => {
    const m = get().table().matrix({ port: 80 });
    expect(m.pods).toEqual(pods);
    expect(m.flows.map((f) => `${f.from}>${f.to}`)).toEqual(
      pods.flatMap((a) => pods.map((b) => `${a}>${b}`)),
    );
    expect({ port: m.port, protocol: m.protocol, profile: m.profile }).toEqual({
      port: 80,
      protocol: "TCP",
      profile: "conformance",
    });
  });

  it.each([
    [80, "TCP"],
    [443, "TCP"],
    [80, "UDP"],
    ["http", "TCP"],
  ] as const)("port %s/%s: every cell equals decide() and evaluate()", (port, protocol) => {
    const l = get();
    const m = l.table().matrix({ port, protocol });
    expect(m.flows).toHaveLength(25);
    for (const cell of m.flows) {
      const f = { from: cell.from, to: cell.to, port, protocol };
      const both = { engine: l.table().decide(f).verdict, reference: evaluate(l.cluster, f).verdict };
      expect(both, `${cell.from} → ${cell.to}`).toEqual({ engine: cell.verdict, reference: cell.verdict });
    }
  });

  it("self pairs are allowed under deny-all; x/a→y/b on TCP 80 allowed, x/c→x/a denied", () => {
    const m = get().table().matrix({ port: 80 });
    const at = (from: string, to: string) => m.flows.find((f) => f.from === from && f.to === to)?.verdict;
    expect(pods.map((p) => at(p, p))).toEqual(["allow", "allow", "allow", "allow", "allow"]);
    expect(at("x/v6", "x/a")).toBe("unknown");
    expect(at("x/a", "y/b")).toBe("allow");
    expect(at("x/c", "x/a")).toBe("deny");
    expect(at("y/b", "x/a")).toBe("deny");
  });

  it("a named port is resolved per destination; a destination without it is unknown", () => {
    const m = get().table().matrix({ port: "http" });
    const at = (from: string, to: string) => m.flows.find((f) => f.from === from && f.to === to)?.verdict;
    expect(at("x/a", "y/b")).toBe("allow"); // http = 80 on y/b, allowed by the egress rule
    expect(at("y/b", "x/c")).toBe("unknown"); // x/c declares no http
    expect(at("x/c", "x/c")).toBe("unknown");
  });
});
