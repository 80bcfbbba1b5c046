// How manifests written by hand (or printed by kubectl) are read before any rule applies: null
// fields, protocol-only ports, container ports of every container, podIP vs podIPs, address text.
import { describe, expect, it } from "vitest";
import { namespace, scenario, yaml } from "./helpers.ts";

const podA = `
  apiVersion: v1
  kind: Pod
  metadata: {name: a, namespace: x, labels: {app: a}}
  spec: {containers: [{name: c, image: agnhost}]}
  status: {podIP: 10.0.0.1}
`;
const podB = `
  apiVersion: v1
  kind: Pod
  metadata: {name: b, namespace: x, labels: {app: b}}
  spec: {containers: [{name: c, image: agnhost}]}
  status: {podIP: 10.0.0.2}
`;

describe("defaulting: null rule lists are absent lists", () => {
  const get = scenario(
    "egress: (null) and no policyTypes → Ingress only; ingress: (null) → no ingress rule",
    yaml(
      namespace("x"),
      podA,
      podB,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: nulls, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
        egress:
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "deny", why: "ingress isolated, no rule" },
      {
        from: "x/a",
        to: "x/b",
        port: 80,
        verdict: "allow",
        why: "egress: null is empty: not egress-isolated",
      },
    ],
  );
  it("policyTypes is [Ingress]", () => {
    expect(get().cluster.networkPolicies[0]!.spec.policyTypes).toEqual(["Ingress"]);
  });
});

describe("defaulting: a port with only a protocol is every port of that protocol", () => {
  scenario(
    "ports: [{protocol: UDP}]",
    yaml(
      namespace("x"),
      podA,
      podB,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: all-udp, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - ports: [{protocol: UDP}]
      `,
    ),
    [
      { from: "x/b", to: "x/a", port: 53, protocol: "UDP", verdict: "allow" },
      { from: "x/b", to: "x/a", port: 65535, protocol: "UDP", verdict: "allow" },
      { from: "x/b", to: "x/a", port: 53, protocol: "TCP", verdict: "deny" },
    ],
  );
});

describe("defaulting: named ports of every container, protocol TCP by default", () => {
  scenario(
    "a pod with two containers; the second declares http",
    yaml(
      namespace("x"),
      podB,
      `
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: x, labels: {app: web}}
      spec:
        containers:
          - name: sidecar
            image: envoy
            ports: [{name: admin, containerPort: 9901}]
          - name: app
            image: web
            ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]
      status: {podIP: 10.0.0.3}
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web, namespace: x}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: http}, {port: admin}, {port: dns, protocol: UDP}]
      `,
    ),
    [
      {
        from: "x/b",
        to: "x/web",
        port: 8080,
        verdict: "allow",
        why: "second container's http (TCP by default)",
      },
      { from: "x/b", to: "x/web", port: 9901, verdict: "allow", why: "first container's admin" },
      { from: "x/b", to: "x/web", port: 53, protocol: "UDP", verdict: "allow" },
      { from: "x/b", to: "x/web", port: 8081, verdict: "deny" },
      { from: "x/b", to: "x/web", port: "http", verdict: "allow", why: "flow port name" },
    ],
  );
});

describe("defaulting: status.podIP is the primary address, else the first of status.podIPs", () => {
  const get = scenario(
    "podIPs only; podIP only; non-canonical IPv6 text",
    yaml(
      namespace("x"),
      `
      apiVersion: v1
      kind: Pod
      metadata: {name: ips-only, namespace: x}
      spec: {containers: [{name: c, image: agnhost}]}
      status: {podIPs: [{ip: 'FD00:0:0::7'}, {ip: 10.0.0.7}]}
      `,
      `
      apiVersion: v1
      kind: Pod
      metadata: {name: ip-only, namespace: x}
      spec: {containers: [{name: c, image: agnhost}]}
      status: {podIP: 10.0.0.8}
      `,
    ),
    [
      { from: "x/ip-only", to: "x/ips-only", port: 80, verdict: "unknown", reason: /x\/ip-only has no IPv6/ },
      {
        from: "fd00::7",
        to: "x/ip-only",
        port: 80,
        verdict: "unknown",
        why: "fd00::7 is ips-only: IPv6 flow",
      },
      { from: "x/ips-only", to: "x/ip-only", port: 80, verdict: "allow", why: "IPv4: ips-only has 10.0.0.7" },
    ],
  );
  it("addresses are stored canonically, primary first", () => {
    const pods = get().cluster.pods;
    expect(pods.map((p) => [p.name, p.podIPs])).toEqual([
      ["ip-only", ["10.0.0.8"]],
      ["ips-only", ["fd00::7", "10.0.0.7"]],
    ]);
  });
});

describe("defaulting: sidecar ports count, other init containers' do not (decisions #20)", () => {
  scenario(
    "an init container with restartPolicy: Always declares metrics; a plain init container declares setup",
    yaml(
      namespace("x"),
      podB,
      `
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: x, labels: {app: web}}
      spec:
        initContainers:
          - name: proxy
            image: envoy
            restartPolicy: Always
            ports: [{name: metrics, containerPort: 9102}]
          - name: migrate
            image: tools
            ports: [{name: setup, containerPort: 7000}]
        containers:
          - name: app
            image: web
            ports: [{name: http, containerPort: 8080}]
      status: {podIP: 10.0.0.3}
      `,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web, namespace: x}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - ports: [{port: metrics}, {port: setup}]
      `,
    ),
    [
      { from: "x/b", to: "x/web", port: 9102, verdict: "allow", why: "sidecar port" },
      { from: "x/b", to: "x/web", port: 7000, verdict: "deny", why: "plain init container port" },
      {
        from: "x/b",
        to: "x/web",
        port: "setup",
        verdict: "unknown",
        reason: /declares no TCP port named "setup"/,
      },
    ],
  );
});
