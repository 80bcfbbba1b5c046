// DESIGN §1 "Peers", "Label selectors" and "Namespaces".
import { describe, expect, it } from "vitest";
import { type FlowCase, namespace, pod, scenario, yaml } from "./helpers.ts";

/** x and z are team a, y is team b; pods labelled app=b live in all three. */
const base = [
  namespace("x", { team: "a" }),
  namespace("y", { team: "b" }),
  namespace("z", { team: "a" }),
  pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
  pod("x/b", { labels: { app: "b" }, ips: ["10.0.0.2"] }),
  pod("x/c", { labels: { app: "c" }, ips: ["10.0.0.3"] }),
  pod("y/b", { labels: { app: "b" }, ips: ["10.0.1.2"] }),
  pod("y/c", { labels: { app: "c" }, ips: ["10.0.1.3"] }),
  pod("z/b", { labels: { app: "b" }, ips: ["10.0.2.2"] }),
];

/** A policy in x selecting x/a, with `from` written in YAML (indented by 8 under `- from:`). */
const fromOnA = (name: string, from: string): string =>
  yaml(
    ...base,
    `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: ${name}, namespace: x}
    spec:
      podSelector: {matchLabels: {app: a}}
      ingress:
        - from:
${from}
    `,
  );

/** Expected ingress verdicts to x/a from each source. */
const toA = (expected: Record<string, FlowCase["verdict"]>, why: Record<string, string> = {}): FlowCase[] =>
  Object.entries(expected).map(([from, verdict]) => ({
    from,
    to: "x/a",
    port: 80,
    verdict,
    ...(why[from] === undefined ? {} : { why: why[from] }),
  }));

describe("peers: podSelector alone selects pods of the policy's namespace only", () => {
  scenario(
    "from: [podSelector app=b]",
    fromOnA(
      "pods-b",
      `
            - podSelector: {matchLabels: {app: b}}`,
    ),
    toA(
      { "x/b": "allow", "y/b": "deny", "z/b": "deny", "x/c": "deny" },
      { "y/b": "same labels, other namespace" },
    ),
  );
  scenario(
    "from: [podSelector {}] = every pod of the policy's namespace",
    fromOnA(
      "pods-all",
      `
            - podSelector: {}`,
    ),
    toA({ "x/b": "allow", "x/c": "allow", "y/c": "deny", "203.0.113.7": "deny" }),
  );
  scenario(
    "the same policy text in x and in y: each selects its own namespace's pods",
    yaml(
      ...base,
      pod("y/a", { labels: { app: "a" }, ips: ["10.0.1.1"] }),
      ...["x", "y"].map(
        (ns) => `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: a-from-b, namespace: "${ns}"}
        spec:
          podSelector: {matchLabels: {app: a}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: b}}}]
        `,
      ),
    ),
    [
      { from: "x/b", to: "x/a", port: 80, verdict: "allow" },
      { from: "y/b", to: "y/a", port: 80, verdict: "allow" },
      { from: "y/b", to: "x/a", port: 80, verdict: "deny" },
      { from: "x/b", to: "y/a", port: 80, verdict: "deny" },
      { from: "z/b", to: "y/a", port: 80, verdict: "deny" },
    ],
  );
  scenario(
    "in egress too: to: [podSelector app=b] from x/a",
    yaml(
      ...base,
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: egress-b, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        policyTypes: [Egress]
        egress:
          - to: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      { from: "x/a", to: "x/b", port: 80, verdict: "allow" },
      { from: "x/a", to: "y/b", port: 80, verdict: "deny" },
    ],
  );
});

describe("peers: namespaceSelector alone selects all pods of matching namespaces", () => {
  scenario(
    "from: [namespaceSelector team=b]",
    fromOnA(
      "team-b",
      `
            - namespaceSelector: {matchLabels: {team: b}}`,
    ),
    toA(
      { "y/b": "allow", "y/c": "allow", "x/b": "deny", "z/b": "deny" },
      { "x/b": "the policy's own namespace is team a" },
    ),
  );
});

describe("peers: namespaceSelector and podSelector in one peer are ANDed", () => {
  scenario(
    "from: [{namespaceSelector team=b, podSelector app=b}] (one list item)",
    fromOnA(
      "and",
      `
            - namespaceSelector: {matchLabels: {team: b}}
              podSelector: {matchLabels: {app: b}}`,
    ),
    toA(
      { "y/b": "allow", "y/c": "deny", "x/b": "deny", "z/b": "deny" },
      { "y/c": "namespace matches, pod does not", "x/b": "pod matches, namespace does not" },
    ),
  );
});

describe("peers: two list items are ORed (the '- namespaceSelector / - podSelector' trap)", () => {
  scenario(
    "from: [{namespaceSelector team=b}, {podSelector app=b}] (two list items)",
    fromOnA(
      "or",
      `
            - namespaceSelector: {matchLabels: {team: b}}
            - podSelector: {matchLabels: {app: b}}`,
    ),
    toA(
      { "y/b": "allow", "y/c": "allow", "x/b": "allow", "z/b": "deny", "x/c": "deny" },
      {
        "y/c": "first item alone",
        "x/b": "second item alone (policy's namespace)",
        "z/b": "second item is podSelector alone: x only",
      },
    ),
  );
});

describe("peers: namespaceSelector {} selects all namespaces", () => {
  scenario(
    "from: [{namespaceSelector: {}, podSelector app=b}]",
    fromOnA(
      "all-ns-b",
      `
            - namespaceSelector: {}
              podSelector: {matchLabels: {app: b}}`,
    ),
    toA({ "x/b": "allow", "y/b": "allow", "z/b": "allow", "y/c": "deny", "x/c": "deny" }),
  );
  scenario(
    "from: [{namespaceSelector: {}}] = every pod, but no external address",
    fromOnA(
      "all-pods",
      `
            - namespaceSelector: {}`,
    ),
    toA(
      { "x/c": "allow", "y/c": "allow", "z/b": "allow", "203.0.113.7": "deny" },
      { "203.0.113.7": "only ipBlock peers match addresses (decisions #4)" },
    ),
  );
});

// ---------------------------------------------------------------------------------------------
// Label selectors: each selector is the `from` podSelector of a policy on x/target; the sources
// are pods of x with the label sets below.

const sources: Record<string, Record<string, string>> = {
  "web-fe": { app: "web", tier: "fe" },
  web: { app: "web" },
  fe: { tier: "fe" },
  "web-be": { app: "web", tier: "be" },
  "env-empty": { env: "" },
  "env-prod": { env: "prod" },
  none: {},
};
const selectorCluster = (selector: string): string =>
  yaml(
    namespace("x"),
    pod("x/target", { labels: { role: "target" }, ips: ["10.0.0.100"] }),
    ...Object.entries(sources).map(([name, labels], i) =>
      pod(`x/${name}`, { labels, ips: [`10.0.0.${i + 1}`] }),
    ),
    `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: sel, namespace: x}
    spec:
      podSelector: {matchLabels: {role: target}}
      ingress:
        - from:
            - podSelector: ${selector}
    `,
  );
/** `selected` are the sources the selector must select; every other source must be denied. */
const selectorCases = (selected: readonly string[], why: Record<string, string> = {}): FlowCase[] =>
  Object.keys(sources).map((s) => ({
    from: `x/${s}`,
    to: "x/target",
    port: 80,
    verdict: selected.includes(s) ? "allow" : "deny",
    ...(why[s] === undefined ? {} : { why: why[s] }),
  }));

describe("label selectors: matchLabels AND matchExpressions", () => {
  scenario(
    "{matchLabels: {app: web}, matchExpressions: [tier In [fe]]}",
    selectorCluster("{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [fe]}]}"),
    selectorCases(["web-fe"], { web: "matchLabels alone would select it", fe: "the expression alone would" }),
  );
});

describe("label selectors: In / NotIn (matches when the key is absent) / Exists / DoesNotExist", () => {
  scenario(
    "tier In [fe, be]",
    selectorCluster("{matchExpressions: [{key: tier, operator: In, values: [fe, be]}]}"),
    selectorCases(["web-fe", "fe", "web-be"], { web: "key absent: In does not match" }),
  );
  scenario(
    "tier NotIn [fe]",
    selectorCluster("{matchExpressions: [{key: tier, operator: NotIn, values: [fe]}]}"),
    selectorCases(["web", "web-be", "env-empty", "env-prod", "none"], {
      web: "key absent: NotIn matches",
      none: "no labels at all: NotIn matches",
    }),
  );
  scenario(
    "tier Exists",
    selectorCluster("{matchExpressions: [{key: tier, operator: Exists}]}"),
    selectorCases(["web-fe", "fe", "web-be"]),
  );
  scenario(
    "tier DoesNotExist",
    selectorCluster("{matchExpressions: [{key: tier, operator: DoesNotExist}]}"),
    selectorCases(["web", "env-empty", "env-prod", "none"]),
  );
  scenario(
    "env Exists AND env NotIn [prod]",
    selectorCluster(
      "{matchExpressions: [{key: env, operator: Exists}, {key: env, operator: NotIn, values: [prod]}]}",
    ),
    selectorCases(["env-empty"]),
  );
  scenario(
    "NotIn in a policy's spec.podSelector isolates pods without the key",
    yaml(
      namespace("x"),
      pod("x/web", { labels: { app: "web" }, ips: ["10.0.0.1"] }),
      pod("x/none", { labels: {}, ips: ["10.0.0.2"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: not-web, namespace: x}
      spec:
        podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}
        policyTypes: [Ingress]
      `,
    ),
    [
      { from: "x/web", to: "x/none", port: 80, verdict: "deny", why: "x/none is selected (key absent)" },
      { from: "x/none", to: "x/web", port: 80, verdict: "allow", why: "x/web is not selected" },
    ],
  );
});

describe("label selectors: keys named like Object.prototype members are ordinary labels", () => {
  const m = (selector: string): string =>
    yaml(
      namespace("x"),
      pod("x/target", { labels: { role: "target" }, ips: ["10.0.0.100"] }),
      pod("x/proto", { labelsYaml: "{constructor: 'yes', valueOf: p}", ips: ["10.0.0.1"] }),
      pod("x/plain", { labels: { app: "plain" }, ips: ["10.0.0.2"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: sel, namespace: x}
      spec:
        podSelector: {matchLabels: {role: target}}
        ingress:
          - from:
              - podSelector: ${selector}
      `,
    );
  scenario("matchLabels {constructor: yes}", m("{matchLabels: {constructor: 'yes'}}"), [
    { from: "x/proto", to: "x/target", port: 80, verdict: "allow" },
    { from: "x/plain", to: "x/target", port: 80, verdict: "deny", why: "no inherited 'constructor'" },
  ]);
  scenario("matchLabels {valueOf: p}", m("{matchLabels: {valueOf: p}}"), [
    { from: "x/proto", to: "x/target", port: 80, verdict: "allow" },
    { from: "x/plain", to: "x/target", port: 80, verdict: "deny" },
  ]);
  scenario(
    "toString DoesNotExist / constructor Exists",
    m("{matchExpressions: [{key: toString, operator: DoesNotExist}, {key: constructor, operator: Exists}]}"),
    [
      { from: "x/proto", to: "x/target", port: 80, verdict: "allow" },
      { from: "x/plain", to: "x/target", port: 80, verdict: "deny", why: "constructor is absent" },
    ],
  );
});

describe('label selectors: {k: ""} requires the key present with an empty value', () => {
  scenario(
    '{matchLabels: {env: ""}}',
    selectorCluster('{matchLabels: {env: ""}}'),
    selectorCases(["env-empty"], { none: "key absent", "env-prod": "other value" }),
  );
});

describe("label selectors: {} matches everything", () => {
  scenario("podSelector: {}", selectorCluster("{}"), selectorCases(Object.keys(sources)));
});

// ---------------------------------------------------------------------------------------------
// Namespaces.

describe("namespaces: kubernetes.io/metadata.name is injected and selectable", () => {
  const get = scenario(
    "namespaceSelector on kubernetes.io/metadata.name (y has no labels; w has no Namespace object)",
    yaml(
      namespace("x"),
      namespace("y"),
      pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
      pod("y/b", { labels: { app: "b" }, ips: ["10.0.1.2"] }),
      pod("v/b", { labels: { app: "b" }, ips: ["10.0.2.2"] }),
      pod("w/b", { labels: { app: "b" }, ips: ["10.0.3.2"] }),
      namespace("v"),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: by-name, namespace: x}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from:
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: 'y'}}
              - namespaceSelector:
                  matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [w]}]
      `,
    ),
    [
      {
        from: "y/b",
        to: "x/a",
        port: 80,
        verdict: "allow",
        why: "label injected on a Namespace without labels",
      },
      { from: "w/b", to: "x/a", port: 80, verdict: "allow", why: "implicit namespace carries it too" },
      { from: "v/b", to: "x/a", port: 80, verdict: "deny" },
    ],
  );
  it("every namespace of the parsed cluster carries the label, with its name", () => {
    for (const ns of get().cluster.namespaces) expect(ns.labels["kubernetes.io/metadata.name"]).toBe(ns.name);
    expect(get().cluster.namespaces.map((n) => n.name)).toEqual(["v", "w", "x", "y"]);
  });
  it("an implicit namespace is reported (implicit-namespace, decisions #13)", () => {
    expect(get().diagnostics).toContainEqual(expect.objectContaining({ code: "implicit-namespace" }));
  });
});

describe("namespaces: a namespaced object without metadata.namespace is in default", () => {
  const get = scenario(
    "a pod and a policy written without metadata.namespace",
    yaml(
      namespace("x"),
      pod("a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
      pod("b", { labels: { app: "b" }, ips: ["10.0.0.2"] }),
      pod("x/b", { labels: { app: "b" }, ips: ["10.0.1.2"] }),
      pod("x/a", { labels: { app: "a" }, ips: ["10.0.1.1"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: a-from-b}
      spec:
        podSelector: {matchLabels: {app: a}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: b}}}]
      `,
    ),
    [
      { from: "default/b", to: "default/a", port: 80, verdict: "allow" },
      { from: "x/b", to: "default/a", port: 80, verdict: "deny", why: "podSelector alone: default only" },
      { from: "x/b", to: "x/a", port: 80, verdict: "allow", why: "the policy is not in x" },
    ],
  );
  it("they are parsed into namespace default", () => {
    const c = get().cluster;
    expect(c.networkPolicies.map((p) => `${p.namespace}/${p.name}`)).toEqual(["default/a-from-b"]);
    expect(c.pods.map((p) => `${p.namespace}/${p.name}`)).toContain("default/a");
  });
});
