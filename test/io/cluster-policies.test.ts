// ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1 read
// into the model, validated as their CRDs do (network-policy-api v0.2.0 and v0.1.7).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { InputIssue } from "../../src/model/input-error.ts";
import { issues, jsonList, ok, oneIssue } from "./helpers.ts";

const V2 = "policy.networking.k8s.io/v1alpha2";
const V1 = "policy.networking.k8s.io/v1alpha1";
const ALL_NS = { namespaces: {} };

const cnp = (spec: Record<string, unknown>, name = "p"): Record<string, unknown> => ({
  apiVersion: V2,
  kind: "ClusterNetworkPolicy",
  metadata: { name },
  spec: { tier: "Admin", priority: 5, subject: ALL_NS, ...spec },
});
const anp = (spec: Record<string, unknown>, name = "p"): Record<string, unknown> => ({
  apiVersion: V1,
  kind: "AdminNetworkPolicy",
  metadata: { name },
  spec: { priority: 5, subject: ALL_NS, ...spec },
});
const banp = (spec: Record<string, unknown>, name = "default"): Record<string, unknown> => ({
  apiVersion: V1,
  kind: "BaselineAdminNetworkPolicy",
  metadata: { name },
  spec: { subject: ALL_NS, ...spec },
});
/** One rule in one direction. */
const ingress = (rule: Record<string, unknown>) => ({
  ingress: [{ action: "Deny", from: [ALL_NS], ...rule }],
});
const egress = (rule: Record<string, unknown>) => ({ egress: [{ action: "Deny", to: [ALL_NS], ...rule }] });
const tcp = (port: number) => ({ tcp: { destinationPort: { number: port } } });
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const read = (...objects: unknown[]) => ok(jsonList(objects)).cluster.clusterNetworkPolicies;
const diagnosticsOf = (...objects: unknown[]) => ok(jsonList(objects)).diagnostics;

describe("reading into the model", () => {
  it("a ClusterNetworkPolicy v1alpha2 as written: tier, priority, subject, rules, peers, protocols", () => {
    const [p, ...rest] = read(
      cnp({
        tier: "Baseline",
        priority: 7,
        subject: { pods: { namespaceSelector: { matchLabels: { env: "prod" } }, podSelector: {} } },
        ingress: [
          {
            name: "from-web",
            action: "Accept",
            from: [{ pods: { podSelector: { matchLabels: { app: "web" } } } }],
            protocols: [tcp(80), { udp: { destinationPort: { range: { start: 5000, end: 5010 } } } }],
          },
        ],
        egress: [
          { action: "Pass", to: [{ nodes: {} }] },
          { action: "Deny", to: [{ networks: ["10.0.0.1/8", "FD00::1/8", "10.0.0.0/8"] }] },
          { name: "", action: "Accept", to: [{ domainNames: ["*.example.com"] }], protocols: [tcp(443)] },
          { action: "Accept", to: [ALL_NS], protocols: [{ destinationNamedPort: "http" }] },
        ],
      }),
    );
    expect(rest).toEqual([]);
    expect(p).toEqual({
      kind: "ClusterNetworkPolicy",
      name: "p",
      tier: "Baseline",
      priority: 7,
      subject: { pods: { namespaceSelector: { matchLabels: { env: "prod" } }, podSelector: {} } },
      ingress: [
        {
          name: "from-web",
          action: "Accept",
          // v1alpha2 pods.namespaceSelector may be left out: "if empty, it selects all Namespaces"
          peers: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "web" } } } }],
          ports: [
            { protocol: "TCP", start: 80, end: 80 },
            { protocol: "UDP", start: 5000, end: 5010 },
          ],
        },
      ],
      egress: [
        { action: "Pass", peers: [{ nodes: {} }] },
        // normalised (host bits cleared, IPv6 lower case), a repeat after normalising dropped
        { action: "Deny", peers: [{ networks: ["10.0.0.0/8", "fd00::/8"] }] },
        {
          action: "Accept",
          peers: [{ domainNames: ["*.example.com"] }],
          ports: [{ protocol: "TCP", start: 443, end: 443 }],
        },
        { action: "Accept", peers: [{ namespaces: {} }], ports: [{ name: "http" }] },
      ],
    });
  });

  it("an AdminNetworkPolicy: tier Admin at its priority, Allow → Accept, ports → model ports (protocol TCP by default)", () => {
    const [p] = read(
      anp({
        priority: 42,
        subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "db" } } } },
        ingress: [
          {
            action: "Allow",
            from: [{ pods: { namespaceSelector: {}, podSelector: {} } }],
            ports: [
              { portNumber: { port: 5432 } },
              { portNumber: { protocol: "UDP", port: 53 } },
              { portRange: { protocol: "SCTP", start: 9000, end: 9005 } },
              { portRange: { start: 8080, end: 8080 } },
              { namedPort: "metrics" },
            ],
          },
          { action: "Pass", from: [{ namespaces: { matchLabels: { team: "x" } } }] },
        ],
        egress: [{ action: "Allow", to: [{ domainNames: ["kubernetes.io."] }] }],
      }),
    );
    expect(p).toEqual({
      kind: "AdminNetworkPolicy",
      name: "p",
      tier: "Admin",
      priority: 42,
      subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "db" } } } },
      ingress: [
        {
          action: "Accept",
          peers: [{ pods: { namespaceSelector: {}, podSelector: {} } }],
          ports: [
            { protocol: "TCP", start: 5432, end: 5432 },
            { protocol: "UDP", start: 53, end: 53 },
            { protocol: "SCTP", start: 9000, end: 9005 },
            { protocol: "TCP", start: 8080, end: 8080 },
            { name: "metrics" },
          ],
        },
        { action: "Pass", peers: [{ namespaces: { matchLabels: { team: "x" } } }] },
      ],
      egress: [{ action: "Accept", peers: [{ domainNames: ["kubernetes.io."] }] }],
    });
  });

  it("a BaselineAdminNetworkPolicy: tier Baseline, priority 1000 (decisions #24)", () => {
    const [p] = read(banp({ egress: [{ action: "Allow", to: [{ networks: ["::/0"] }] }] }));
    expect(p).toEqual({
      kind: "BaselineAdminNetworkPolicy",
      name: "default",
      tier: "Baseline",
      priority: 1000,
      subject: { namespaces: {} },
      ingress: [],
      egress: [{ action: "Accept", peers: [{ networks: ["::/0"] }] }],
    });
  });

  it("v1alpha1 and v1alpha2 in one input are both read, in evaluation order; one name may be used by each kind", () => {
    const got = read(
      banp({}),
      cnp({ tier: "Baseline", priority: 3 }, "b"),
      anp({ priority: 9 }, "same"),
      cnp({ priority: 9 }, "same"),
      cnp({ priority: 1 }, "z"),
    );
    expect(got.map((p) => `${p.tier}/${p.priority}/${p.name}/${p.kind}`)).toEqual([
      "Admin/1/z/ClusterNetworkPolicy",
      "Admin/9/same/AdminNetworkPolicy",
      "Admin/9/same/ClusterNetworkPolicy",
      "Baseline/3/b/ClusterNetworkPolicy",
      "Baseline/1000/default/BaselineAdminNetworkPolicy",
    ]);
  });

  it("typed Lists (items without kind and apiVersion) and a v1 List", () => {
    const items = (o: Record<string, unknown>) => ({ metadata: o.metadata, spec: o.spec });
    const sources = [
      {
        name: "c.json",
        text: JSON.stringify({
          apiVersion: V2,
          kind: "ClusterNetworkPolicyList",
          items: [items(cnp({}, "c"))],
        }),
      },
      {
        name: "a.json",
        text: JSON.stringify({
          apiVersion: V1,
          kind: "AdminNetworkPolicyList",
          items: [items(anp({}, "a"))],
        }),
      },
      {
        name: "b.json",
        text: JSON.stringify({
          apiVersion: V1,
          kind: "BaselineAdminNetworkPolicyList",
          items: [items(banp({}))],
        }),
      },
      jsonList([cnp({}, "in-list")], "l.json"),
    ];
    const { cluster, diagnostics } = ok(...sources);
    expect(cluster.clusterNetworkPolicies.map((p) => `${p.kind} ${p.name}`)).toEqual([
      "AdminNetworkPolicy a",
      "ClusterNetworkPolicy c",
      "ClusterNetworkPolicy in-list",
      "BaselineAdminNetworkPolicy default",
    ]);
    expect(diagnostics).toEqual([]);
  });

  it("duplicates as for NetworkPolicies: an identical copy is merged (info), a different one is an error naming both", () => {
    const { cluster, diagnostics } = ok(jsonList([cnp({}), cnp({})], "a.json"));
    expect(cluster.clusterNetworkPolicies).toHaveLength(1);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "duplicate-object",
        severity: "info",
        object: "ClusterNetworkPolicy p",
      }),
    ]);
    expect(
      issues(jsonList([anp({ priority: 1 })], "a.json"), jsonList([anp({ priority: 2 })], "b.json")),
    ).toEqual([
      expect.objectContaining({
        code: "duplicate-object",
        object: "AdminNetworkPolicy p",
        file: "b.json",
        message: expect.stringContaining("a.json"),
      }),
    ]);
  });

  it("a cluster policy at another apiVersion is skipped with a warning, and names carry no namespace", () => {
    const o = { ...cnp({}), apiVersion: V1, metadata: { name: "p", namespace: "x" } };
    expect(diagnosticsOf(o)).toEqual([
      expect.objectContaining({
        code: "ignored-kind",
        severity: "warning",
        object: "ClusterNetworkPolicy p",
      }),
    ]);
  });
});

/** Parse one object; expect exactly one issue with this code at this path. */
function expectIssue(
  object: Record<string, unknown>,
  path: string,
  code: string,
  message?: RegExp,
): InputIssue {
  const found = oneIssue(object);
  const name = (object.metadata as { name: string }).name;
  expect(found).toMatchObject({ file: "f.json", object: `${object.kind} ${name}`, path, code });
  if (message) expect(found.message).toMatch(message);
  return found;
}

describe("validation (the CRDs' rules)", () => {
  it.each([
    ["tier missing", cnp({ tier: undefined }), "spec.tier", "missing-field"],
    ["tier in the wrong case", cnp({ tier: "admin" }), "spec.tier", "invalid-tier"],
    ["priority missing", cnp({ priority: undefined }), "spec.priority", "missing-field"],
    ["priority -1", cnp({ priority: -1 }), "spec.priority", "invalid-priority"],
    ["priority 1001", cnp({ priority: 1001 }), "spec.priority", "invalid-priority"],
    ["priority 1.5", cnp({ priority: 1.5 }), "spec.priority", "invalid-priority"],
    ["priority as a string", cnp({ priority: "5" }), "spec.priority", "invalid-type"],
    ["ANP priority 1001", anp({ priority: 1001 }), "spec.priority", "invalid-priority"],
    ["ANP without priority", anp({ priority: null }), "spec.priority", "missing-field"],
    ["no spec", { ...cnp({}), spec: undefined }, "spec", "missing-field"],
    ["subject missing", cnp({ subject: undefined }), "spec.subject", "missing-field"],
    [
      "subject with both fields",
      cnp({ subject: { namespaces: {}, pods: { podSelector: {} } } }),
      "spec.subject",
      "invalid-subject",
    ],
    ["subject with neither", cnp({ subject: {} }), "spec.subject", "invalid-subject"],
    [
      "subject pods without podSelector",
      cnp({ subject: { pods: {} } }),
      "spec.subject.pods.podSelector",
      "missing-field",
    ],
    [
      "ANP subject pods without namespaceSelector (required in v1alpha1)",
      anp({ subject: { pods: { podSelector: {} } } }),
      "spec.subject.pods.namespaceSelector",
      "missing-field",
    ],
    [
      "a bad selector in the subject",
      cnp({ subject: { namespaces: { matchLabels: { "a b": "x" } } } }),
      'spec.subject.namespaces.matchLabels["a b"]',
      "invalid-label-key",
    ],
    ["an invalid name", { ...cnp({}), metadata: { name: "Bad_Name" } }, "metadata.name", "invalid-name"],
    ["a BaselineAdminNetworkPolicy not named default", banp({}, "baseline"), "metadata.name", "invalid-name"],
  ])("%s", (_, object, path, code) => {
    expectIssue(object, path, code);
  });

  it("rules per direction: at most 25 in v1alpha2, 100 in v1alpha1", () => {
    const rule = { action: "Deny", from: [ALL_NS] };
    expect(read(cnp({ ingress: times(25, () => rule) }))[0]!.ingress).toHaveLength(25);
    expectIssue(
      cnp({ ingress: times(26, () => rule) }),
      "spec.ingress",
      "too-many-items",
      /26 rules; at most 25/,
    );
    expectIssue(
      cnp({ egress: times(26, () => ({ action: "Deny", to: [ALL_NS] })) }),
      "spec.egress",
      "too-many-items",
    );
    expect(read(anp({ ingress: times(100, () => rule) }))[0]!.ingress).toHaveLength(100);
    expectIssue(anp({ ingress: times(101, () => rule) }), "spec.ingress", "too-many-items", /at most 100/);
    expectIssue(
      banp({ egress: times(101, () => ({ action: "Deny", to: [ALL_NS] })) }),
      "spec.egress",
      "too-many-items",
    );
  });

  it("peers per rule: 1 to 25 in v1alpha2, 1 to 100 in v1alpha1; from / to required", () => {
    expect(read(cnp(ingress({ from: times(25, () => ALL_NS) })))).toHaveLength(1);
    expectIssue(cnp(ingress({ from: times(26, () => ALL_NS) })), "spec.ingress[0].from", "too-many-items");
    expectIssue(cnp(egress({ to: times(26, () => ALL_NS) })), "spec.egress[0].to", "too-many-items");
    expect(read(anp(ingress({ from: times(100, () => ALL_NS) })))).toHaveLength(1);
    expectIssue(anp(ingress({ from: times(101, () => ALL_NS) })), "spec.ingress[0].from", "too-many-items");
    expectIssue(cnp(ingress({ from: [] })), "spec.ingress[0].from", "empty-list");
    expectIssue(cnp(ingress({ from: undefined })), "spec.ingress[0].from", "missing-field");
    expectIssue(anp(egress({ to: null })), "spec.egress[0].to", "missing-field");
  });

  it("a peer sets exactly one field of its direction and kind", () => {
    const both = { namespaces: {}, pods: { podSelector: {} } };
    expectIssue(cnp(ingress({ from: [both] })), "spec.ingress[0].from[0]", "invalid-peer", /exactly one/);
    expectIssue(cnp(ingress({ from: [{}] })), "spec.ingress[0].from[0]", "invalid-peer", /must set one of/);
    expectIssue(cnp(ingress({ from: [{ namespaces: null }] })), "spec.ingress[0].from[0]", "invalid-peer");
    for (const field of [{ nodes: {} }, { networks: ["10.0.0.0/8"] }, { domainNames: ["a.io"] }])
      expectIssue(
        cnp(ingress({ from: [field] })),
        "spec.ingress[0].from[0]",
        "invalid-peer",
        /ingress peers cannot set/,
      );
    expectIssue(
      anp(ingress({ from: [{ networks: ["10.0.0.0/8"] }] })),
      "spec.ingress[0].from[0]",
      "invalid-peer",
    );
    expectIssue(
      banp(egress({ action: "Allow", to: [{ domainNames: ["a.io"] }] })),
      "spec.egress[0].to[0]",
      "invalid-peer",
      /BaselineAdminNetworkPolicy egress peers cannot set domainNames/,
    );
    expectIssue(
      anp(egress({ to: [{ pods: { podSelector: {} } }] })),
      "spec.egress[0].to[0].pods.namespaceSelector",
      "missing-field",
    );
  });

  it("networks: 1 to 25 CIDRs of either family, each valid and at most 43 characters, no repeats", () => {
    const nets = (networks: unknown) => cnp(egress({ to: [{ networks }] }));
    const path = "spec.egress[0].to[0].networks";
    expect(read(nets(times(25, (i) => `10.${i}.0.0/16`)))[0]!.egress[0]!.peers[0]!.networks).toHaveLength(25);
    expectIssue(nets(times(26, (i) => `10.${i}.0.0/16`)), path, "too-many-items");
    expectIssue(nets([]), path, "empty-list");
    expectIssue(nets(["10.0.0.0/8", "10.0.0.0/33"]), `${path}[1]`, "invalid-cidr");
    expectIssue(nets(["10.0.0.0"]), `${path}[0]`, "invalid-cidr");
    expectIssue(nets([`${"0".repeat(40)}10.0.0.0/8`]), `${path}[0]`, "invalid-cidr");
    expectIssue(nets(["10.0.0.0/8", "10.0.0.0/8"]), `${path}[1]`, "duplicate-value");
    expectIssue(nets([8]), `${path}[0]`, "invalid-type");
  });

  it("domainNames: 1 to 25 DNS names, an optional leading *., only in Accept (Allow) rules", () => {
    const names = (domainNames: unknown, action = "Accept") => cnp(egress({ action, to: [{ domainNames }] }));
    const path = "spec.egress[0].to[0].domainNames";
    expect(read(names(["*.example.com", "a.b.c", "x_y.io."]))).toHaveLength(1);
    for (const bad of [
      "localhost",
      "a.*.com",
      "*example.com",
      "-a.com",
      "a..com",
      "*.*.a.com",
      `${"a.".repeat(200)}com`,
    ])
      expectIssue(names([bad]), `${path}[0]`, "invalid-domain-name");
    expectIssue(names(times(26, (i) => `h${i}.io`)), path, "too-many-items");
    expectIssue(names([]), path, "empty-list");
    expectIssue(names(["a.io", "a.io"]), `${path}[1]`, "duplicate-value");
    expectIssue(names(["a.io"], "Deny"), path, "invalid-peer", /only allowed in Accept rules/);
    expectIssue(names(["a.io"], "Pass"), path, "invalid-peer");
    expectIssue(
      anp(egress({ action: "Deny", to: [{ domainNames: ["a.io"] }] })),
      path,
      "invalid-peer",
      /Allow rules/,
    );
  });

  it("v1alpha2 protocols: exactly one of tcp/udp/sctp (with a destinationPort) or destinationNamedPort", () => {
    const with_ = (protocols: unknown) => cnp(ingress({ protocols }));
    const at = "spec.ingress[0].protocols";
    expectIssue(
      with_([{ ...tcp(80), udp: { destinationPort: { number: 80 } } }]),
      `${at}[0]`,
      "invalid-port",
    );
    expectIssue(with_([{}]), `${at}[0]`, "invalid-port", /got none/);
    expectIssue(with_([{ tcp: {} }]), `${at}[0].tcp`, "invalid-port", /destinationPort/);
    expectIssue(
      with_([{ tcp: { destinationPort: { number: 80, range: { start: 1, end: 2 } } } }]),
      `${at}[0].tcp.destinationPort`,
      "invalid-port",
    );
    expectIssue(with_([{ sctp: { destinationPort: {} } }]), `${at}[0].sctp.destinationPort`, "invalid-port");
    expectIssue(with_([tcp(0)]), `${at}[0].tcp.destinationPort.number`, "invalid-port");
    expectIssue(with_([tcp(65536)]), `${at}[0].tcp.destinationPort.number`, "invalid-port");
    expectIssue(with_([tcp(8.5)]), `${at}[0].tcp.destinationPort.number`, "invalid-port");
    const range = (start: unknown, end: unknown) => [{ udp: { destinationPort: { range: { start, end } } } }];
    expectIssue(
      with_(range(90, 90)),
      `${at}[0].udp.destinationPort.range.start`,
      "invalid-port",
      /less than/,
    );
    expectIssue(with_(range(90, 80)), `${at}[0].udp.destinationPort.range.start`, "invalid-port");
    expectIssue(with_(range(1, 65536)), `${at}[0].udp.destinationPort.range.end`, "invalid-port");
    expectIssue(
      with_([{ udp: { destinationPort: { range: { start: 1 } } } }]),
      `${at}[0].udp.destinationPort.range.end`,
      "missing-field",
    );
    expectIssue(with_([{ destinationNamedPort: "" }]), `${at}[0].destinationNamedPort`, "invalid-port");
    expectIssue(with_([]), at, "empty-list");
    expect(read(with_(times(25, (i) => tcp(i + 1))))[0]!.ingress[0]!.ports).toHaveLength(25);
    expectIssue(with_(times(26, (i) => tcp(i + 1))), at, "too-many-items");
  });

  it("a named port is not allowed in an egress rule whose peers include nodes, networks or domainNames", () => {
    const named = [tcp(80), { destinationNamedPort: "http" }];
    for (const peer of [{ nodes: {} }, { networks: ["10.0.0.0/8"] }, { domainNames: ["a.io"] }])
      expectIssue(
        cnp(egress({ action: "Accept", to: [ALL_NS, peer], protocols: named })),
        "spec.egress[0].protocols[1]",
        "invalid-port",
        /no named ports/,
      );
    expectIssue(
      anp(egress({ to: [{ nodes: {} }], ports: [{ namedPort: "http" }] })),
      "spec.egress[0].ports[0]",
      "invalid-port",
    );
    expect(
      read(cnp(egress({ protocols: named })), anp(ingress({ ports: [{ namedPort: "http" }] }))),
    ).toHaveLength(2);
  });

  it("v1alpha1 ports: exactly one of portNumber, portRange, namedPort; protocol TCP|UDP|SCTP; start ≤ end", () => {
    const with_ = (ports: unknown) => anp(ingress({ ports }));
    const at = "spec.ingress[0].ports";
    expectIssue(with_([{ portNumber: { port: 80 }, namedPort: "x" }]), `${at}[0]`, "invalid-port");
    expectIssue(with_([{}]), `${at}[0]`, "invalid-port");
    expectIssue(with_([{ portNumber: {} }]), `${at}[0].portNumber.port`, "missing-field");
    expectIssue(with_([{ portNumber: { port: 0 } }]), `${at}[0].portNumber.port`, "invalid-port");
    expectIssue(
      with_([{ portNumber: { port: 80, protocol: "tcp" } }]),
      `${at}[0].portNumber.protocol`,
      "invalid-protocol",
    );
    expectIssue(with_([{ portRange: { start: 90, end: 80 } }]), `${at}[0].portRange.start`, "invalid-port");
    expectIssue(with_([{ portRange: { start: 90 } }]), `${at}[0].portRange.end`, "missing-field");
    expectIssue(with_([{ namedPort: 80 }]), `${at}[0].namedPort`, "invalid-type");
    expectIssue(with_([]), at, "empty-list");
    expect(
      read(with_(times(100, (i) => ({ portNumber: { port: i + 1 } }))))[0]!.ingress[0]!.ports,
    ).toHaveLength(100);
    expectIssue(with_(times(101, (i) => ({ portNumber: { port: i + 1 } }))), at, "too-many-items");
  });

  it("actions per kind: v1alpha2 Accept|Deny|Pass in both tiers, ANP Allow|Deny|Pass, BANP Allow|Deny", () => {
    const got = read(
      cnp({ tier: "Baseline", ...ingress({ action: "Pass" }) }),
      anp(ingress({ action: "Pass" })),
      banp(ingress({ action: "Allow" })),
    );
    expect(got.map((p) => p.ingress[0]!.action)).toEqual(["Pass", "Pass", "Accept"]);
    expectIssue(
      cnp(ingress({ action: "Allow" })),
      "spec.ingress[0].action",
      "invalid-action",
      /v1alpha1 spelling/,
    );
    expectIssue(
      anp(ingress({ action: "Accept" })),
      "spec.ingress[0].action",
      "invalid-action",
      /v1alpha2 spelling/,
    );
    expectIssue(
      banp(ingress({ action: "Pass" })),
      "spec.ingress[0].action",
      "invalid-action",
      /Allow or Deny/,
    );
    expectIssue(cnp(egress({ action: "deny" })), "spec.egress[0].action", "invalid-action");
    expectIssue(cnp(ingress({ action: undefined })), "spec.ingress[0].action", "missing-field");
    expectIssue(cnp(ingress({ action: "constructor" })), "spec.ingress[0].action", "invalid-action");
  });

  it("a rule name has at most 100 characters", () => {
    expect(read(cnp(ingress({ name: "n".repeat(100) })))[0]!.ingress[0]!.name).toBe("n".repeat(100));
    expectIssue(anp(ingress({ name: "n".repeat(101) })), "spec.ingress[0].name", "invalid-name");
  });

  it("every issue of every rule is reported at once", () => {
    const found = issues(
      jsonList([
        cnp({
          priority: 2000,
          ingress: [{ action: "Allow", from: [{}] }],
          egress: [{ action: "Deny", to: [{ networks: ["x"] }], protocols: [{ tcp: {} }] }],
        }),
      ]),
    );
    expect(found.map((i) => `${i.path} ${i.code}`)).toEqual([
      "spec.priority invalid-priority",
      "spec.ingress[0].action invalid-action",
      "spec.ingress[0].from[0] invalid-peer",
      "spec.egress[0].to[0].networks[0] invalid-cidr",
      "spec.egress[0].protocols[0].tcp invalid-port",
    ]);
  });
});

describe("diagnostics", () => {
  it("a peer with no recognised field fails closed: the empty peer, with a warning (not an error)", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        anp({
          ingress: [
            { action: "Allow", from: [{ sameLabels: ["tenant"] }, ALL_NS] },
            { action: "Deny", from: [{ futurePeer: {} }] },
          ],
        }),
      ]),
    );
    expect(cluster.clusterNetworkPolicies[0]!.ingress.map((r) => r.peers)).toEqual([
      [{}, { namespaces: {} }],
      [{}],
    ]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "fail-closed-peer",
        object: "AdminNetworkPolicy p",
        path: "spec.ingress[0].from[0]",
        message: expect.stringMatching(/"sameLabels".*Allow rule it matches nothing/),
      }),
      expect.objectContaining({
        code: "fail-closed-peer",
        path: "spec.ingress[1].from[0]",
        message: expect.stringMatching(/Deny rule it matches every peer/),
      }),
    ]);
  });

  it("the v0.1.1 NamespacedPeer form is read (namespaceSelector) or fails closed (sameLabels, notSameLabels), with warnings", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        anp({
          egress: [
            {
              action: "Deny",
              to: [
                { namespaces: { namespaceSelector: { matchLabels: { ns: "x" } } } },
                {
                  pods: { namespaces: { namespaceSelector: {} }, podSelector: { matchLabels: { pod: "b" } } },
                },
                { pods: { namespaces: { notSameLabels: ["ns"] }, podSelector: {} } },
              ],
            },
          ],
        }),
      ]),
    );
    expect(cluster.clusterNetworkPolicies[0]!.egress[0]!.peers).toEqual([
      { namespaces: { matchLabels: { ns: "x" } } },
      { pods: { namespaceSelector: {}, podSelector: { matchLabels: { pod: "b" } } } },
      {},
    ]);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`)).toEqual([
      "warning legacy-peer-form spec.egress[0].to[0].namespaces.namespaceSelector",
      "warning legacy-peer-form spec.egress[0].to[1].pods.namespaces.namespaceSelector",
      "warning fail-closed-peer spec.egress[0].to[2].pods.namespaces.notSameLabels",
    ]);
    expectIssue(
      anp(ingress({ from: [{ namespaces: { matchLabels: {}, namespaceSelector: {} } }] })),
      "spec.ingress[0].from[0].namespaces",
      "invalid-peer",
    );
    expectIssue(
      anp(ingress({ from: [{ namespaces: { sameLabels: ["a"], namespaceSelector: {} } }] })),
      "spec.ingress[0].from[0].namespaces",
      "invalid-peer",
    );
    // v1alpha2 never had that form: namespaceSelector there is an unknown field of a label selector.
    expectIssue(
      cnp(ingress({ from: [{ namespaces: { namespaceSelector: {} } }] })),
      "spec.ingress[0].from[0].namespaces.namespaceSelector",
      "unknown-field",
    );
  });

  it("unknown fields under spec are errors with a did-you-mean, as kubectl's strict validation; v1alpha1 ports in v1alpha2 says what it means", () => {
    const found = issues(
      jsonList([
        cnp({
          priorty: 3,
          subject: { namespaces: { matchLabel: {} } },
          ingress: [
            {
              action: "Deny",
              from: [{ namespaces: {}, ipBlock: {} }],
              ports: [{ portNumber: { port: 80 } }],
            },
          ],
          egress: [
            {
              action: "Deny",
              to: [ALL_NS],
              protocols: [{ tcp: { destinationPort: { number: 1, nmber: 2 } } }],
            },
          ],
        }),
        banp({ priority: 5 }),
      ]),
    );
    expect(found.map((d) => `${d.code} ${d.object} ${d.path}`)).toEqual([
      "unknown-field ClusterNetworkPolicy p spec.priorty",
      "unknown-field ClusterNetworkPolicy p spec.subject.namespaces.matchLabel",
      "unknown-field ClusterNetworkPolicy p spec.ingress[0].ports",
      "unknown-field ClusterNetworkPolicy p spec.ingress[0].from[0].ipBlock",
      "unknown-field ClusterNetworkPolicy p spec.egress[0].protocols[0].tcp.destinationPort.nmber",
      "unknown-field BaselineAdminNetworkPolicy default spec.priority",
    ]);
    const message = (path: string) => found.find((d) => d.path === path)!.message;
    expect(message("spec.ingress[0].ports")).toMatch(/protocols, so this rule would match every port/);
    expect(message("spec.priorty")).toMatch(/did you mean "priority"\?/);
    expect(message("spec.subject.namespaces.matchLabel")).toMatch(/did you mean "matchLabels"\?/);
    expect(message("spec.egress[0].protocols[0].tcp.destinationPort.nmber")).toMatch(
      /did you mean "number"\?/,
    );
    expect(message("spec.ingress[0].from[0].ipBlock")).not.toMatch(/did you mean/);
  });
});

describe("upstream manifests (network-policy-api conformance and policy-assistant tests)", () => {
  const fixture = JSON.parse(
    readFileSync(new URL("./fixtures/cluster-network-policies.json", import.meta.url), "utf8"),
  ) as {
    policies: {
      section: string;
      case: string;
      uses_removed_fields?: string[];
      policy: Record<string, unknown>;
    }[];
  };

  it("covers every section", () => {
    expect(new Set(fixture.policies.map((p) => p.section))).toEqual(
      new Set([
        "anp_banp_v1alpha1",
        "cnp_v1alpha2",
        "policy_assistant_v0.1.1",
        "policy_assistant_walkthrough",
      ]),
    );
  });

  it.each(
    fixture.policies.map(
      (p) => [`${p.section} / ${p.case} / ${(p.policy.metadata as { name: string }).name}`, p] as const,
    ),
  )("%s parses", (_, p) => {
    const { cluster, diagnostics } = ok(jsonList([p.policy]));
    expect(cluster.clusterNetworkPolicies).toHaveLength(1);
    const failClosed = diagnostics.filter((d) => d.code === "fail-closed-peer");
    if (p.uses_removed_fields === undefined) expect(failClosed).toEqual([]);
    else {
      expect(failClosed.length).toBeGreaterThan(0);
      for (const d of failClosed) expect(d.message).toMatch(new RegExp(p.uses_removed_fields.join("|")));
      expect(
        cluster.clusterNetworkPolicies[0]!.ingress.some((r) =>
          r.peers.some((x) => Object.keys(x).length === 0),
        ),
      ).toBe(true);
    }
    // The conformance suites use the current shape: nothing to report.
    if (p.section === "anp_banp_v1alpha1" || p.section === "cnp_v1alpha2") expect(diagnostics).toEqual([]);
  });
});
