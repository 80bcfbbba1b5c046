// DESIGN §1 "policyTypes defaulting", the NetworkPolicy tier ("isolated per direction, allow iff
// some rule matches"), and "Flow allowed ⇔ egress(source) AND ingress(destination)".
import { describe, expect, it } from "vitest";
import { expectVerdict, lazy, load, namespace, pod, scenario, yaml } from "./helpers.ts";

/** Namespace x with pods a, b, c (one IPv4 address each). */
const base = [
  namespace("x"),
  pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
  pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2"] }),
  pod("x/c", { labels: { app: "c" }, ips: ["10.0.0.3"] }),
];

describe("policyTypes defaulting: absent → [Ingress], plus Egress iff spec.egress is non-empty", () => {
  scenario(
    "no policyTypes, only egress rules: isolates BOTH directions (ingress with no rules)",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: egress-rules, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        egress:
          - to: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      { from: "x/a", to: "x/b", port: 80, verdict: "allow", why: "the egress rule" },
      { from: "x/a", to: "x/c", port: 80, verdict: "deny", why: "egress isolated by defaulting" },
      { from: "x/b", to: "x/a", port: 80, verdict: "deny", why: "ingress isolated too, no ingress rule" },
      { from: "x/c", to: "x/b", port: 80, verdict: "allow", why: "b and c are not selected" },
    ],
  );

  const explicitEmpty = scenario(
    "policyTypes: [] is treated as absent",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: empty-types, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: []
        egress:
          - to: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      { from: "x/a", to: "x/b", port: 80, verdict: "allow" },
      { from: "x/a", to: "x/c", port: 80, verdict: "deny", why: "egress isolated" },
      { from: "x/b", to: "x/a", port: 80, verdict: "deny", why: "ingress isolated" },
    ],
  );
  it("policyTypes: [] is defaulted to [Ingress, Egress] in the parsed cluster", () => {
    expect([...explicitEmpty().cluster.networkPolicies[0]!.spec.policyTypes].sort()).toEqual([
      "Egress",
      "Ingress",
    ]);
  });

  const ingressOnly = scenario(
    "no policyTypes and egress: [] → Ingress only (egress stays open)",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: ingress-only, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: b}}}]
        egress: []
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 80, verdict: "deny" },
      { from: "x/a", to: "x/c", port: 80, verdict: "allow", why: "egress: [] does not isolate egress" },
    ],
  );
  it("no policyTypes and egress: [] is defaulted to [Ingress]", () => {
    expect(ingressOnly().cluster.networkPolicies[0]!.spec.policyTypes).toEqual(["Ingress"]);
  });

  scenario(
    "explicit policyTypes: [Egress] leaves ingress open",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: egress-only, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Egress]
        egress:
          - to: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      { from: "x/c", to: "x/a", port: 80, verdict: "allow", why: "not ingress-isolated" },
      { from: "x/a", to: "x/b", port: 80, verdict: "allow" },
      { from: "x/a", to: "x/c", port: 80, verdict: "deny" },
    ],
  );

  scenario(
    "policyTypes: [Ingress] with egress rules ignores them",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: ingress-typed, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Ingress]
        egress:
          - to: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      {
        from: "x/a",
        to: "x/c",
        port: 80,
        verdict: "allow",
        why: "egress rules ignored: not egress-isolated",
      },
      { from: "x/a", to: "203.0.113.7", port: 443, verdict: "allow", why: "egress open" },
      { from: "x/b", to: "x/a", port: 80, verdict: "deny", why: "ingress isolated, no ingress rule" },
    ],
  );

  scenario(
    "ingress: [] with Ingress isolated denies all ingress",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-ingress, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Ingress]
        ingress: []
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "deny" },
      { from: "x/c", to: "x/a", port: 53, protocol: "UDP", verdict: "deny" },
      { from: "203.0.113.7", to: "x/a", port: 80, verdict: "deny" },
      { from: "x/a", to: "x/b", port: 80, verdict: "allow", why: "a's egress is open" },
    ],
  );

  scenario(
    "ingress: [{}] allows all ingress (every peer, every port, every protocol)",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-ingress, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress: [{}]
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 53, protocol: "UDP", verdict: "allow" },
      { from: "x/c", to: "x/a", port: 9999, protocol: "SCTP", verdict: "allow" },
      { from: "203.0.113.7", to: "x/a", port: 1, verdict: "allow" },
    ],
  );

  scenario(
    "an ingress rule with from: [] allows every peer",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: from-empty, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: []
            ports: [{port: 80}]
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow" },
      { from: "203.0.113.7", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/b", to: "x/a", port: 81, verdict: "deny" },
    ],
  );

  scenario(
    "policyTypes: [Ingress, Egress] with no rules denies both directions",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-all, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Ingress, Egress]
      `,
    ),
    [
      { from: "x/a", to: "x/b", port: 80, verdict: "deny" },
      { from: "x/b", to: "x/a", port: 80, verdict: "deny" },
      { from: "x/b", to: "x/c", port: 80, verdict: "allow" },
    ],
  );
});

describe("isolation is per direction and additive (union of the selecting policies)", () => {
  scenario(
    "two policies selecting a: allowed iff a rule of either matches",
    yaml(
      namespace("x"),
      namespace("y"),
      pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
      pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2"] }),
      pod("x/c", { labels: { app: "c" }, ips: ["10.0.0.3"] }),
      pod("x/d", { labels: { app: "d" }, ips: ["10.0.0.4"] }),
      pod("y/a", { labels: { app: "a" }, ips: ["10.0.1.1"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: from-b-80, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: b}}}]
            ports: [{port: 80}]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: from-c-81, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: c}}}]
            ports: [{port: 81}]
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow", why: "first policy" },
      { from: "x/c", to: "x/a", port: 81, verdict: "allow", why: "second policy" },
      { from: "x/b", to: "x/a", port: 81, verdict: "deny", why: "rules are not mixed across policies" },
      { from: "x/c", to: "x/a", port: 80, verdict: "deny" },
      { from: "x/d", to: "x/a", port: 80, verdict: "deny", why: "isolated, no rule matches" },
      { from: "x/b", to: "x/d", port: 12345, verdict: "allow", why: "d is selected by no policy: open" },
      { from: "x/a", to: "x/d", port: 80, verdict: "allow", why: "ingress isolation does not touch egress" },
      { from: "x/d", to: "y/a", port: 80, verdict: "allow", why: "policies of x do not select pods of y" },
    ],
  );

  scenario(
    "a default-deny policy next to an allowing one: the allow wins (policies only add)",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: default-deny, namespace: x}
      spec:
        podSelector: {}
        policyTypes: [Ingress]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-b, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 80, verdict: "deny" },
      { from: "x/a", to: "x/b", port: 80, verdict: "deny", why: "default-deny isolates b" },
    ],
  );
});

describe("a flow needs both egress at the source and ingress at the destination", () => {
  const get = lazy(() =>
    load(
      yaml(
        ...base,
        `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: a-egress-to-b, namespace: x}
        spec:
          podSelector: {matchLabels: {app: a}}
          policyTypes: [Egress]
          egress:
            - to: [{podSelector: {matchLabels: {app: b}}}]
        `,
        `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: b-ingress-from-c, namespace: x}
        spec:
          podSelector: {matchLabels: {app: b}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: c}}}]
        `,
      ),
    ),
  );

  it("egress allows but ingress denies → deny (denied at ingress)", () => {
    const f = { from: "x/a", to: "x/b", port: 80 };
    expectVerdict(get(), f, "deny");
    const e = get().table().explain(f);
    expect(e.egress).toMatchObject({ verdict: "allow", decidedBy: "network-policy", isolated: true });
    expect(e.ingress).toMatchObject({ verdict: "deny", decidedBy: "network-policy", isolated: true });
  });

  it("ingress allows but egress denies → deny (denied at egress)", () => {
    const f = { from: "x/a", to: "x/c", port: 80 };
    expectVerdict(get(), f, "deny");
    const e = get().table().explain(f);
    expect(e.egress).toMatchObject({ verdict: "deny", isolated: true, policies: ["x/a-egress-to-b"] });
    expect(e.ingress).toMatchObject({ verdict: "allow", decidedBy: "default", isolated: false });
  });

  it("both allow → allow", () => {
    expectVerdict(get(), { from: "x/c", to: "x/b", port: 80 }, "allow");
  });
});
