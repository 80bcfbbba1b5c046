// DESIGN §1 "ports" and "Named ports"; docs/decisions.md #9-#10.
import { describe, expect, it } from "vitest";
import { expectVerdict, ingressPolicy, lazy, load, namespace, pod, scenario, yaml } from "./helpers.ts";

const base = [
  namespace("x"),
  namespace("y"),
  pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
  pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2"] }),
  pod("x/c", { labels: { app: "c" }, ips: ["10.0.0.3"] }),
  pod("y/z", { labels: { app: "z" }, ips: ["10.0.1.9"] }),
];

/** One policy on x/a with the given ingress rules (YAML, indented under `ingress:`). */
const ingressOnA = (name: string, rules: string): string => yaml(...base, ingressPolicy(name, "a", rules));

describe("ports: protocol defaults to TCP", () => {
  scenario("ports: [{}] means all TCP ports, not all traffic", ingressOnA("all-tcp", "[{ports: [{}]}]"), [
    { from: "x/b", to: "x/a", port: 1, verdict: "allow" },
    { from: "x/b", to: "x/a", port: 65535, verdict: "allow" },
    { from: "x/b", to: "x/a", port: 53, protocol: "UDP", verdict: "deny", why: "protocol defaulted to TCP" },
    { from: "x/b", to: "x/a", port: 80, protocol: "SCTP", verdict: "deny" },
  ]);
  const numeric = scenario(
    "ports: [{port: 53}] is TCP 53 only",
    ingressOnA("tcp-53", "[{ports: [{port: 53}]}]"),
    [
      { from: "x/b", to: "x/a", port: 53, protocol: "TCP", verdict: "allow" },
      { from: "x/b", to: "x/a", port: 53, verdict: "allow", why: "a flow's protocol defaults to TCP too" },
      { from: "x/b", to: "x/a", port: 53, protocol: "UDP", verdict: "deny" },
      { from: "x/b", to: "x/a", port: 54, verdict: "deny" },
    ],
  );
  it("the parsed rule port carries protocol TCP", () => {
    expect(numeric().cluster.networkPolicies[0]!.spec.ingress[0]!.ports).toEqual([
      { protocol: "TCP", port: 53 },
    ]);
  });
  scenario(
    "an explicit protocol is kept: UDP 53 only",
    ingressOnA("udp-53", "[{ports: [{port: 53, protocol: UDP}]}]"),
    [
      { from: "x/b", to: "x/a", port: 53, protocol: "UDP", verdict: "allow" },
      { from: "x/b", to: "x/a", port: 53, protocol: "TCP", verdict: "deny" },
    ],
  );
});

describe("ports: endPort is an inclusive range", () => {
  scenario("port 8000, endPort 8080", ingressOnA("range", "[{ports: [{port: 8000, endPort: 8080}]}]"), [
    { from: "x/b", to: "x/a", port: 7999, verdict: "deny" },
    { from: "x/b", to: "x/a", port: 8000, verdict: "allow", why: "lower bound" },
    { from: "x/b", to: "x/a", port: 8042, verdict: "allow" },
    { from: "x/b", to: "x/a", port: 8080, verdict: "allow", why: "endPort is inclusive" },
    { from: "x/b", to: "x/a", port: 8081, verdict: "deny" },
    { from: "x/b", to: "x/a", port: 8042, protocol: "UDP", verdict: "deny", why: "TCP range" },
  ]);
  scenario(
    "endPort equal to port is a single port",
    ingressOnA("single", "[{ports: [{port: 9000, endPort: 9000}]}]"),
    [
      { from: "x/b", to: "x/a", port: 9000, verdict: "allow" },
      { from: "x/b", to: "x/a", port: 9001, verdict: "deny" },
    ],
  );
});

describe("ports: peers and ports AND within a rule; rules OR (never peers × ports across rules)", () => {
  scenario(
    "one policy: rule 0 from b on 80, rule 1 from c on UDP 53 or 81",
    ingressOnA(
      "two-rules",
      `
        - from: [{podSelector: {matchLabels: {app: b}}}]
          ports: [{port: 80}]
        - from: [{podSelector: {matchLabels: {app: c}}}]
          ports: [{port: 53, protocol: UDP}, {port: 81}]`,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 81, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 53, protocol: "UDP", verdict: "allow", why: "ports of a rule OR" },
      { from: "x/b", to: "x/a", port: 81, verdict: "deny", why: "b's rule is port 80 only" },
      { from: "x/c", to: "x/a", port: 80, verdict: "deny", why: "c's rule does not include 80" },
      { from: "x/b", to: "x/a", port: 53, protocol: "UDP", verdict: "deny" },
    ],
  );
});

describe("ports: ports are destination ports", () => {
  scenario(
    "egress ports restrict the destination port of the flow; ingress ports likewise",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: b-egress-5432, namespace: x}
      spec:
        podSelector: {matchLabels: {app: b}}
        policyTypes: [Egress]
        egress:
          - ports: [{port: 5432}]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: a-ingress-80, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - ports: [{port: 80}]
      `,
    ),
    [
      { from: "x/b", to: "x/c", port: 5432, verdict: "allow", why: "egress port = destination port" },
      { from: "x/b", to: "x/c", port: 80, verdict: "deny" },
      { from: "x/c", to: "x/a", port: 80, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 5432, verdict: "deny" },
      {
        from: "x/a",
        to: "x/c",
        port: 40000,
        verdict: "allow",
        why: "a's ingress port says nothing of a's egress",
      },
      { from: "x/b", to: "x/a", port: 80, verdict: "deny", why: "b's egress allows only 5432" },
    ],
  );
});

describe("ports: a rule with ports but no peers allows every peer on those ports", () => {
  scenario("ingress: [{ports: [{port: 80}]}]", ingressOnA("any-peer-80", "[{ports: [{port: 80}]}]"), [
    { from: "x/b", to: "x/a", port: 80, verdict: "allow" },
    { from: "y/z", to: "x/a", port: 80, verdict: "allow", why: "other namespaces too" },
    { from: "203.0.113.7", to: "x/a", port: 80, verdict: "allow", why: "external addresses too" },
    { from: "x/b", to: "x/a", port: 81, verdict: "deny" },
  ]);
});

describe("ports: a rule with peers but no ports allows all ports of all protocols", () => {
  scenario(
    "ingress: [{from: [podSelector app=b]}]",
    ingressOnA("b-any-port", "[{from: [{podSelector: {matchLabels: {app: b}}}]}]"),
    [
      { from: "x/b", to: "x/a", port: 1, verdict: "allow" },
      { from: "x/b", to: "x/a", port: 65535, verdict: "allow" },
      { from: "x/b", to: "x/a", port: 53, protocol: "UDP", verdict: "allow" },
      { from: "x/b", to: "x/a", port: 9999, protocol: "SCTP", verdict: "allow" },
      { from: "x/c", to: "x/a", port: 80, verdict: "deny" },
    ],
  );
  scenario(
    "ports: [] is the same as no ports",
    ingressOnA("b-empty-ports", "[{from: [{podSelector: {matchLabels: {app: b}}}], ports: []}]"),
    [
      { from: "x/b", to: "x/a", port: 53, protocol: "UDP", verdict: "allow" },
      { from: "x/b", to: "x/a", port: 443, verdict: "allow" },
      { from: "x/c", to: "x/a", port: 443, verdict: "deny" },
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// Named ports.

const named = [
  namespace("x"),
  pod("x/client", {
    labels: { app: "client" },
    ips: ["10.0.0.9"],
    // The client declares "http" too, with another number: egress named ports must NOT use it.
    ports: [{ name: "http", containerPort: 1111 }],
  }),
  pod("x/web1", {
    labels: { app: "web" },
    ips: ["10.0.0.11"],
    ports: [{ name: "http", containerPort: 8080 }],
  }),
  pod("x/web2", {
    labels: { app: "web" },
    ips: ["10.0.0.12"],
    ports: [{ name: "http", containerPort: 9090 }],
  }),
  pod("x/web3", { labels: { app: "web" }, ips: ["10.0.0.13"] }),
  pod("x/dns-tcp", {
    labels: { app: "dns-tcp" },
    ips: ["10.0.0.21"],
    ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }],
  }),
  pod("x/dns-udp", {
    labels: { app: "dns-udp" },
    ips: ["10.0.0.22"],
    ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }],
  }),
];

describe("named ports: resolved per destination pod (name and protocol must match)", () => {
  scenario(
    "ingress ports: [{port: http}] on app=web; one name, different numbers on different pods",
    yaml(
      ...named,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-http, namespace: x}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: http}]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: dns-default-tcp, namespace: x}
      spec:
        podSelector: {matchLabels: {app: dns-tcp}}
        ingress:
          - ports: [{port: dns}]
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: dns-udp, namespace: x}
      spec:
        podSelector: {matchLabels: {app: dns-udp}}
        ingress:
          - ports: [{port: dns, protocol: UDP}]
      `,
    ),
    [
      { from: "x/client", to: "x/web1", port: 8080, verdict: "allow", why: "web1's http" },
      { from: "x/client", to: "x/web1", port: 9090, verdict: "deny", why: "that is web2's http" },
      { from: "x/client", to: "x/web2", port: 9090, verdict: "allow", why: "web2's http" },
      { from: "x/client", to: "x/web2", port: 8080, verdict: "deny" },
      { from: "x/client", to: "x/web1", port: 1111, verdict: "deny", why: "the source's http is irrelevant" },
      { from: "x/client", to: "x/web3", port: 8080, verdict: "deny", why: "web3 declares no http" },
      { from: "x/client", to: "x/web1", port: "http", verdict: "allow", why: "flow port name → 8080" },
      { from: "x/client", to: "x/web2", port: "http", verdict: "allow", why: "flow port name → 9090" },
      {
        from: "x/client",
        to: "x/dns-tcp",
        port: 53,
        protocol: "UDP",
        verdict: "deny",
        why: "rule is TCP dns",
      },
      { from: "x/client", to: "x/dns-tcp", port: 53, protocol: "TCP", verdict: "deny", why: "dns is UDP" },
      { from: "x/client", to: "x/dns-udp", port: 53, protocol: "UDP", verdict: "allow" },
      { from: "x/client", to: "x/dns-udp", port: 53, protocol: "TCP", verdict: "deny" },
      { from: "x/client", to: "x/dns-udp", port: "dns", protocol: "UDP", verdict: "allow" },
      {
        from: "x/client",
        to: "x/dns-udp",
        port: "dns",
        protocol: "TCP",
        verdict: "unknown",
        reason: /declares no TCP port named "dns"/,
        why: "a flow port name needs the flow's protocol too",
      },
      {
        from: "x/client",
        to: "x/web3",
        port: "http",
        verdict: "unknown",
        reason: /declares no TCP port named "http"/,
        why: "decisions #9",
      },
      {
        from: "x/client",
        to: "203.0.113.7",
        port: "http",
        verdict: "unknown",
        reason: /needs a destination pod/,
        why: "a named flow port towards an IP (decisions #9)",
      },
    ],
  );
});

describe("named ports: an unknown name matches nothing (diagnostic unknown-named-port)", () => {
  const get = scenario(
    "ingress ports: [{port: nosuch}]",
    yaml(
      ...named,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: nosuch, namespace: x}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: nosuch}]
      `,
    ),
    [
      { from: "x/client", to: "x/web1", port: 8080, verdict: "deny" },
      { from: "x/client", to: "x/web1", port: 0, verdict: "deny" },
      { from: "x/client", to: "x/web3", port: 80, verdict: "deny" },
    ],
  );
  it("reports unknown-named-port at the rule's port", () => {
    expect(get().table().diagnostics).toContainEqual(
      expect.objectContaining({
        code: "unknown-named-port",
        object: "NetworkPolicy x/nosuch",
        path: "spec.ingress[0].ports[0].port",
      }),
    );
  });
});

describe("named ports: an egress named port is resolved at the destination pod", () => {
  scenario(
    "egress ports: [{port: http}] on the client, which declares http 1111 itself",
    yaml(
      ...named,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-egress-http, namespace: x}
      spec:
        podSelector: {matchLabels: {app: client}}
        policyTypes: [Egress]
        egress:
          - ports: [{port: http}]
      `,
    ),
    [
      { from: "x/client", to: "x/web1", port: 8080, verdict: "allow" },
      { from: "x/client", to: "x/web2", port: 9090, verdict: "allow" },
      { from: "x/client", to: "x/web1", port: 1111, verdict: "deny", why: "not resolved at the source" },
      { from: "x/client", to: "x/web3", port: 1111, verdict: "deny" },
      { from: "x/client", to: "x/web3", port: 8080, verdict: "deny", why: "web3 declares no http" },
    ],
  );
});

describe("named ports: an egress named port towards selected peers resolves per destination pod", () => {
  scenario(
    "egress to app=web (same labels, http 8080 / 9090) and to app=web in namespace y",
    yaml(
      ...named,
      namespace("y"),
      pod("y/web", {
        labels: { app: "web" },
        ips: ["10.0.1.11"],
        ports: [{ name: "http", containerPort: 7070 }],
      }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-to-web-http, namespace: x}
      spec:
        podSelector: {matchLabels: {app: client}}
        policyTypes: [Egress]
        egress:
          - to: [{podSelector: {matchLabels: {app: web}}}]
            ports: [{port: http}]
          - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: 'y'}}}]
            ports: [{port: http}]
      `,
    ),
    [
      { from: "x/client", to: "x/web1", port: 8080, verdict: "allow" },
      { from: "x/client", to: "x/web1", port: 9090, verdict: "deny" },
      { from: "x/client", to: "x/web2", port: 9090, verdict: "allow" },
      { from: "x/client", to: "x/web2", port: 8080, verdict: "deny" },
      { from: "x/client", to: "y/web", port: 7070, verdict: "allow", why: "cross-namespace peer" },
      { from: "x/client", to: "y/web", port: 8080, verdict: "deny" },
      { from: "x/client", to: "x/dns-udp", port: 8080, verdict: "deny", why: "not a selected peer" },
    ],
  );
});

describe("named ports: towards an IP or a hostNetwork pod a named port matches nothing", () => {
  const get = lazy(() =>
    load(
      yaml(
        ...named,
        pod("x/host", {
          labels: { app: "host" },
          hostNetwork: true,
          hostIP: "192.168.0.5",
          ips: ["192.168.0.5"],
          ports: [{ name: "http", containerPort: 8080 }],
        }),
        `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: client-egress, namespace: x}
        spec:
          podSelector: {matchLabels: {app: client}}
          policyTypes: [Egress]
          egress:
            - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
              ports: [{port: http}]
            - to: [{ipBlock: {cidr: 198.51.100.0/24}}]
              ports: [{port: 8080}]
            - to: [{ipBlock: {cidr: 192.168.0.0/24}}]
              ports: [{port: http}]
            - to: [{podSelector: {}}]
              ports: [{port: http}]
        `,
      ),
    ),
  );
  it("a named port towards an external IP matches nothing", () => {
    expectVerdict(get(), { from: "x/client", to: "203.0.113.5", port: 8080 }, "deny");
  });
  it("the same rule with a numeric port matches (control)", () => {
    expectVerdict(get(), { from: "x/client", to: "198.51.100.5", port: 8080 }, "allow");
  });
  it("a named port towards a hostNetwork pod (its node address) matches nothing (decisions #10)", () => {
    expectVerdict(get(), { from: "x/client", to: "x/host", port: 8080 }, "deny");
  });
  it("the pod-selector rule still resolves the name at a selectable pod (control)", () => {
    expectVerdict(get(), { from: "x/client", to: "x/web1", port: 8080 }, "allow");
  });
  it("reports named-port-ip-peer, and compiles without throwing", () => {
    const d = get().table().diagnostics;
    expect(d).toContainEqual(
      expect.objectContaining({
        code: "named-port-ip-peer",
        object: "NetworkPolicy x/client-egress",
        path: "spec.egress[0].ports[0].port",
      }),
    );
    expect(d).not.toContainEqual(expect.objectContaining({ code: "unknown-named-port" }));
  });
});

describe("named ports: two containers naming the same port", () => {
  const manifest = yaml(
    namespace("x"),
    pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2"] }),
    `
    apiVersion: v1
    kind: Pod
    metadata: {name: a, namespace: x, labels: {app: a}}
    spec:
      containers:
        - {name: web, image: web, ports: [{name: http, containerPort: 8080}]}
        - {name: sidecar, image: proxy, ports: [{name: http, containerPort: 9090}]}
    status: {podIP: 10.0.0.1}
    `,
    `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: http-only, namespace: x}
    spec:
      podSelector: {matchLabels: {app: a}}
      ingress: [{ports: [{port: http}]}]
    `,
  );
  const get = scenario("the first declared number is the one a policy's name means", manifest, [
    { from: "x/b", to: "x/a", port: 8080, verdict: "allow" },
    { from: "x/b", to: "x/a", port: 9090, verdict: "deny", why: "the second container's http" },
  ]);
  it("and the ambiguity is reported (ambiguous-port-name)", () => {
    const d = get().diagnostics.find((x) => x.code === "ambiguous-port-name");
    expect(d).toMatchObject({ object: "Pod x/a", severity: "warning" });
    expect(d!.message).toContain("8080 and 9090");
  });
});
