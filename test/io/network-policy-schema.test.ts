import { describe, expect, it } from "vitest";
import { issues, ok, oneIssue, policy } from "./helpers.ts";

const src = (o: unknown) => ({ name: "f.json", text: JSON.stringify(o) });
const specOf = (spec: unknown) => ok(src(policy(spec))).cluster.networkPolicies[0]!.spec;
const ing = (rule: unknown) => ({ podSelector: {}, ingress: [rule] });
const egr = (rule: unknown) => ({ podSelector: {}, egress: [rule] });
const port = (p: unknown) => ing({ ports: [p] });
const block = (b: unknown) => ing({ from: [{ ipBlock: b }] });

describe("NetworkPolicy defaulting", () => {
  it.each([
    ["absent, no egress", { podSelector: {} }, ["Ingress"]],
    ["absent, egress: []", { podSelector: {}, egress: [] }, ["Ingress"]],
    ["absent, egress non-empty", { podSelector: {}, egress: [{}] }, ["Ingress", "Egress"]],
    [
      "empty list, egress non-empty",
      { podSelector: {}, policyTypes: [], egress: [{}] },
      ["Ingress", "Egress"],
    ],
    ["null, egress non-empty", { podSelector: {}, policyTypes: null, egress: [{}] }, ["Ingress", "Egress"]],
    ["explicit Egress only", { podSelector: {}, policyTypes: ["Egress"] }, ["Egress"]],
    ["explicit, reordered", { podSelector: {}, policyTypes: ["Egress", "Ingress"] }, ["Ingress", "Egress"]],
    [
      "explicit, repeated",
      { podSelector: {}, policyTypes: ["Ingress", "Ingress"], egress: [{}] },
      ["Ingress"],
    ],
  ])("policyTypes %s", (_, spec, expected) => {
    expect(specOf(spec).policyTypes).toEqual(expected);
  });

  it("ingress/egress absent or null → []", () => {
    expect(specOf({ podSelector: {} })).toMatchObject({ ingress: [], egress: [] });
    expect(specOf({ podSelector: {}, ingress: null, egress: null })).toMatchObject({
      ingress: [],
      egress: [],
    });
  });

  it("rule from/to/ports absent stay absent; [] stays []", () => {
    const s = specOf({ podSelector: {}, ingress: [{}, { from: [], ports: [] }], egress: [{ to: null }] });
    expect(s.ingress[0]).toEqual({});
    expect(s.ingress[1]).toEqual({ from: [], ports: [] });
    expect(s.egress[0]).toEqual({});
  });

  it("protocol defaults to TCP; ports: [{}] is all TCP ports", () => {
    const s = specOf(ing({ ports: [{}, { port: 53, protocol: "UDP" }, { port: "http" }] }));
    expect(s.ingress[0]!.ports).toEqual([
      { protocol: "TCP" },
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: "http" },
    ]);
  });

  it("policy without metadata.namespace is in default", () => {
    const { cluster } = ok(src({ ...policy({ podSelector: {} }), metadata: { name: "np" } }));
    expect(cluster.networkPolicies[0]!.namespace).toBe("default");
  });

  it("legacy CIDR forms are normalised, not rejected", () => {
    const s = specOf(block({ cidr: "10.0.0.1/8", except: ["010.001.0.0/16", "10.2.0.7/16"] }));
    expect(s.ingress[0]!.from![0]!.ipBlock).toEqual({
      cidr: "10.0.0.0/8",
      except: ["10.1.0.0/16", "10.2.0.0/16"],
    });
    const v6 = specOf(block({ cidr: "2001:DB8::1/32", except: ["2001:db8:0:0::/48"] }));
    expect(v6.ingress[0]!.from![0]!.ipBlock).toEqual({ cidr: "2001:db8::/32", except: ["2001:db8::/48"] });
  });

  it("peers keep every field; podSelector+namespaceSelector together", () => {
    const peer = { podSelector: { matchLabels: { a: "b" } }, namespaceSelector: {} };
    expect(specOf(egr({ to: [peer] })).egress[0]!.to![0]).toEqual(peer);
  });

  it("matchExpressions kept in order; Exists without values has no values field", () => {
    const sel = {
      matchExpressions: [
        { key: "a", operator: "In", values: ["x", "y"] },
        { key: "b", operator: "Exists" },
        { key: "c", operator: "DoesNotExist", values: [] },
      ],
    };
    expect(specOf({ podSelector: sel }).podSelector.matchExpressions).toEqual([
      { key: "a", operator: "In", values: ["x", "y"] },
      { key: "b", operator: "Exists" },
      { key: "c", operator: "DoesNotExist" },
    ]);
  });
});

// [name, spec, code, path (under spec), message fragment]
const INVALID: [string, unknown, string, string, string][] = [
  ["port 0", port({ port: 0 }), "invalid-port", "ingress[0].ports[0].port", "0"],
  ["port 65536", port({ port: 65536 }), "invalid-port", "ingress[0].ports[0].port", "65536"],
  ["port 80.5", port({ port: 80.5 }), "invalid-port", "ingress[0].ports[0].port", "80.5"],
  [
    'port "80" (a string is a name)',
    port({ port: "80" }),
    "invalid-port",
    "ingress[0].ports[0].port",
    '"80"',
  ],
  [
    "port name too long",
    port({ port: "abcdefghijklmnop" }),
    "invalid-port",
    "ingress[0].ports[0].port",
    '"abcdefghijklmnop"',
  ],
  ["port name uppercase", port({ port: "HTTP" }), "invalid-port", "ingress[0].ports[0].port", '"HTTP"'],
  ["port name --", port({ port: "a--b" }), "invalid-port", "ingress[0].ports[0].port", '"a--b"'],
  ["port name leading -", port({ port: "-ab" }), "invalid-port", "ingress[0].ports[0].port", '"-ab"'],
  ["port name trailing -", port({ port: "ab-" }), "invalid-port", "ingress[0].ports[0].port", '"ab-"'],
  ["port boolean", port({ port: true }), "invalid-type", "ingress[0].ports[0].port", "true"],
  ["endPort without port", port({ endPort: 90 }), "invalid-port", "ingress[0].ports[0].endPort", "90"],
  [
    "endPort with named port",
    port({ port: "http", endPort: 90 }),
    "invalid-port",
    "ingress[0].ports[0].endPort",
    '"http"',
  ],
  ["endPort < port", port({ port: 90, endPort: 80 }), "invalid-port", "ingress[0].ports[0].endPort", "80"],
  [
    "endPort > 65535",
    port({ port: 90, endPort: 70000 }),
    "invalid-port",
    "ingress[0].ports[0].endPort",
    "70000",
  ],
  [
    "endPort string",
    port({ port: 90, endPort: "100" }),
    "invalid-type",
    "ingress[0].ports[0].endPort",
    '"100"',
  ],
  [
    "protocol lowercase",
    port({ protocol: "tcp" }),
    "invalid-protocol",
    "ingress[0].ports[0].protocol",
    '"tcp"',
  ],
  [
    "protocol ICMP",
    egr({ ports: [{ protocol: "ICMP" }] }),
    "invalid-protocol",
    "egress[0].ports[0].protocol",
    '"ICMP"',
  ],
  [
    "policyType lowercase",
    { podSelector: {}, policyTypes: ["ingress"] },
    "invalid-policy-type",
    "policyTypes[0]",
    '"ingress"',
  ],
  [
    "three policyTypes",
    { podSelector: {}, policyTypes: ["Ingress", "Egress", "Ingress"] },
    "invalid-policy-type",
    "policyTypes",
    "3",
  ],
  ["empty peer", ing({ from: [{}] }), "invalid-peer", "ingress[0].from[0]", "must set"],
  ["peer of nulls", egr({ to: [{ podSelector: null }] }), "invalid-peer", "egress[0].to[0]", "must set"],
  [
    "ipBlock + podSelector",
    ing({ from: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] }),
    "invalid-peer",
    "ingress[0].from[0]",
    "ipBlock",
  ],
  [
    "ipBlock + namespaceSelector",
    egr({ to: [{ ipBlock: { cidr: "10.0.0.0/8" }, namespaceSelector: {} }] }),
    "invalid-peer",
    "egress[0].to[0]",
    "ipBlock",
  ],
  [
    "bad cidr",
    block({ cidr: "10.0.0.0/33" }),
    "invalid-cidr",
    "ingress[0].from[0].ipBlock.cidr",
    '"10.0.0.0/33"',
  ],
  [
    "cidr without prefix",
    block({ cidr: "10.0.0.0" }),
    "invalid-cidr",
    "ingress[0].from[0].ipBlock.cidr",
    '"10.0.0.0"',
  ],
  ["cidr missing", block({ except: [] }), "missing-field", "ingress[0].from[0].ipBlock.cidr", "cidr"],
  [
    "bad except",
    block({ cidr: "10.0.0.0/8", except: ["nope"] }),
    "invalid-cidr",
    "ingress[0].from[0].ipBlock.except[0]",
    '"nope"',
  ],
  [
    "except equal to cidr",
    block({ cidr: "10.0.0.0/8", except: ["10.0.0.0/8"] }),
    "invalid-except",
    "ingress[0].from[0].ipBlock.except[0]",
    '"10.0.0.0/8"',
  ],
  [
    "except outside cidr",
    block({ cidr: "10.0.0.0/8", except: ["11.0.0.0/16"] }),
    "invalid-except",
    "ingress[0].from[0].ipBlock.except[0]",
    '"11.0.0.0/16"',
  ],
  [
    "except wider than cidr",
    block({ cidr: "10.0.0.0/16", except: ["10.0.0.0/8"] }),
    "invalid-except",
    "ingress[0].from[0].ipBlock.except[0]",
    '"10.0.0.0/8"',
  ],
  [
    "except of other family",
    block({ cidr: "10.0.0.0/8", except: ["::/64"] }),
    "invalid-except",
    "ingress[0].from[0].ipBlock.except[0]",
    "family",
  ],
  [
    "operator lowercase",
    { podSelector: { matchExpressions: [{ key: "a", operator: "in", values: ["x"] }] } },
    "invalid-selector",
    "podSelector.matchExpressions[0].operator",
    '"in"',
  ],
  [
    "In without values",
    { podSelector: { matchExpressions: [{ key: "a", operator: "In" }] } },
    "invalid-selector",
    "podSelector.matchExpressions[0].values",
    "In",
  ],
  [
    "NotIn with []",
    ing({ from: [{ podSelector: { matchExpressions: [{ key: "a", operator: "NotIn", values: [] }] } }] }),
    "invalid-selector",
    "ingress[0].from[0].podSelector.matchExpressions[0].values",
    "NotIn",
  ],
  [
    "Exists with values",
    ing({
      from: [{ namespaceSelector: { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] } }],
    }),
    "invalid-selector",
    "ingress[0].from[0].namespaceSelector.matchExpressions[0].values",
    '"x"',
  ],
  [
    "expression key invalid",
    { podSelector: { matchExpressions: [{ key: "-a", operator: "Exists" }] } },
    "invalid-label-key",
    "podSelector.matchExpressions[0].key",
    '"-a"',
  ],
  [
    "expression value invalid",
    { podSelector: { matchExpressions: [{ key: "a", operator: "In", values: ["x y"] }] } },
    "invalid-label-value",
    "podSelector.matchExpressions[0].values[0]",
    '"x y"',
  ],
  [
    "matchLabels key invalid",
    { podSelector: { matchLabels: { "a/b/c": "x" } } },
    "invalid-label-key",
    'podSelector.matchLabels["a/b/c"]',
    '"a/b/c"',
  ],
  [
    "matchLabels value invalid",
    { podSelector: { matchLabels: { a: "-x" } } },
    "invalid-label-value",
    "podSelector.matchLabels.a",
    '"-x"',
  ],
  [
    "matchLabels value number",
    { podSelector: { matchLabels: { a: 1 } } },
    "invalid-type",
    "podSelector.matchLabels.a",
    "1",
  ],
  ["podSelector missing", { ingress: [] }, "missing-field", "podSelector", "podSelector"],
  ["podSelector array", { podSelector: [] }, "invalid-type", "podSelector", "array"],
  ["ingress object", { podSelector: {}, ingress: {} }, "invalid-type", "ingress", "object"],
  ["null rule", { podSelector: {}, egress: [null] }, "invalid-type", "egress[0]", "null"],
  ["from string", ing({ from: "all" }), "invalid-type", "ingress[0].from", '"all"'],
];

describe("NetworkPolicy validation", () => {
  it.each(INVALID)("%s", (_, spec, code, path, fragment) => {
    const issue = oneIssue(policy(spec));
    expect(issue).toMatchObject({
      code,
      path: `spec.${path}`,
      file: "f.json",
      object: "NetworkPolicy ns/np",
    });
    expect(issue.message).toContain(fragment);
  });

  it("spec missing", () => {
    const o = policy(undefined);
    delete o.spec;
    expect(oneIssue(o)).toMatchObject({ code: "missing-field", path: "spec" });
  });

  it("collects several issues of one policy", () => {
    const found = issues(
      src(
        policy({
          podSelector: {},
          ingress: [{ ports: [{ port: 0 }, { protocol: "x" }] }],
          policyTypes: ["x"],
        }),
      ),
    );
    expect(found.map((i) => i.path).sort()).toEqual(
      ["spec.ingress[0].ports[0].port", "spec.ingress[0].ports[1].protocol", "spec.policyTypes[0]"].sort(),
    );
  });

  it("valid edge values are accepted", () => {
    const s = specOf(port({ port: 1, endPort: 65535 }));
    expect(s.ingress[0]!.ports![0]).toEqual({ protocol: "TCP", port: 1, endPort: 65535 });
    expect(specOf(port({ port: 80, endPort: 80 })).ingress[0]!.ports![0]!.endPort).toBe(80);
    expect(specOf(port({ port: "a-1-b" })).ingress[0]!.ports![0]!.port).toBe("a-1-b");
    expect(specOf(port({ protocol: "SCTP", port: 9 })).ingress[0]!.ports![0]!.protocol).toBe("SCTP");
  });
});

describe("peer field checks run even when a field is bad", () => {
  it("a bad except does not hide that the peer also sets podSelector", async () => {
    const { parseCluster } = await import("../../src/io/parse-cluster.ts");
    const text = [
      "apiVersion: networking.k8s.io/v1",
      "kind: NetworkPolicy",
      "metadata: {name: p, namespace: x}",
      "spec:",
      "  podSelector: {}",
      "  ingress:",
      "    - from:",
      "        - ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}",
      "          podSelector: {}",
    ].join("\n");
    let issues: readonly { code: string; path?: string }[] = [];
    try {
      parseCluster([{ name: "p.yaml", text }]);
    } catch (e) {
      issues = (e as { issues: typeof issues }).issues;
    }
    expect(issues.map((i) => `${i.code} ${i.path}`).sort()).toEqual([
      "invalid-except spec.ingress[0].from[0].ipBlock.except[0]",
      "invalid-peer spec.ingress[0].from[0]",
    ]);
  });
});
