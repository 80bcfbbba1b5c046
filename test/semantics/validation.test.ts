// The validation halves of DESIGN §1 rules: what the API server rejects is bad input
// (InputError naming the object and the field), never a silently different policy.
import { describe, expect, it } from "vitest";
import { evaluate, InputError } from "../../src/index.ts";
import { load, namespace, pod, yaml } from "./helpers.ts";

/** A policy on x/a with one ingress rule (flow-style YAML). */
const withRule = (rule: string): string =>
  yaml(
    namespace("x"),
    pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
    `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: bad, namespace: x}
    spec:
      podSelector: {matchLabels: {app: a}}
      ingress:
        - ${rule}
    `,
  );

const issuesOf = (text: string) => {
  try {
    load(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error("expected parseCluster to throw an InputError");
};

describe("validation: rejected input is an InputError naming the object and the field", () => {
  it.each([
    [
      "ports: endPort needs a numeric port",
      "{ports: [{port: http, endPort: 90}]}",
      "spec.ingress[0].ports[0]",
    ],
    ["ports: endPort >= port", "{ports: [{port: 90, endPort: 80}]}", "spec.ingress[0].ports[0]"],
    ["peers: a peer must set something", "{from: [{}]}", "spec.ingress[0].from[0]"],
    [
      "peers: ipBlock excludes the other fields",
      "{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}",
      "spec.ingress[0].from[0]",
    ],
    [
      "ipBlock: except must be a strict subset (equal)",
      "{from: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.0.0.0/24]}}]}",
      "spec.ingress[0].from[0].ipBlock.except[0]",
    ],
    [
      "ipBlock: except must be a strict subset (outside)",
      "{from: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.1.0.0/24]}}]}",
      "spec.ingress[0].from[0].ipBlock.except[0]",
    ],
    [
      "ipBlock: except must be a strict subset (other family)",
      "{from: [{ipBlock: {cidr: 10.0.0.0/24, except: ['fd00::/64']}}]}",
      "spec.ingress[0].from[0].ipBlock.except[0]",
    ],
    ["CIDRs: not a CIDR", "{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}", "spec.ingress[0].from[0].ipBlock.cidr"],
    [
      "label selectors: In needs values",
      "{from: [{podSelector: {matchExpressions: [{key: k, operator: In, values: []}]}}]}",
      "spec.ingress[0].from[0].podSelector.matchExpressions[0]",
    ],
    [
      "label selectors: NotIn needs values",
      "{from: [{podSelector: {matchExpressions: [{key: k, operator: NotIn}]}}]}",
      "spec.ingress[0].from[0].podSelector.matchExpressions[0]",
    ],
    [
      "label selectors: Exists must not have values",
      "{from: [{podSelector: {matchExpressions: [{key: k, operator: Exists, values: [v]}]}}]}",
      "spec.ingress[0].from[0].podSelector.matchExpressions[0]",
    ],
    [
      "label selectors: DoesNotExist must not have values",
      "{from: [{namespaceSelector: {matchExpressions: [{key: k, operator: DoesNotExist, values: [v]}]}}]}",
      "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0]",
    ],
  ])("%s: %s", (_rule, rule, path) => {
    const issues = issuesOf(withRule(rule));
    expect(issues.some((i) => i.object === "NetworkPolicy x/bad" && (i.path ?? "").startsWith(path))).toBe(
      true,
    );
  });

  it("a valid rule next to them parses (control)", () => {
    expect(() =>
      load(withRule("{from: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.0.0.0/25]}}]}")),
    ).not.toThrow();
    expect(() => load(withRule("{ports: [{port: 80, endPort: 80}]}"))).not.toThrow();
  });
});

describe("input: spec.podSelector is required; null is not a rule (decisions #18, #19)", () => {
  const policy = (spec: string): string =>
    yaml(
      namespace("x"),
      pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
      `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: bad, namespace: x}
      spec: ${spec}
      `,
    );
  it("a NetworkPolicy without spec.podSelector is missing-field, not 'every pod'", () => {
    const issues = issuesOf(policy("{policyTypes: [Ingress]}"));
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "missing-field", object: "NetworkPolicy x/bad" }),
    );
  });
  it("a null rule (- null) is an error, not an allow-all rule", () => {
    const issues = issuesOf(policy("{podSelector: {}, ingress: [null]}"));
    expect(
      issues.some((i) => i.object === "NetworkPolicy x/bad" && (i.path ?? "").startsWith("spec.ingress[0]")),
    ).toBe(true);
  });
});

describe("input: the same object twice (decisions #14)", () => {
  const a = pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] });
  it("identical copies are merged, with diagnostic duplicate-object", () => {
    const l = load(yaml(namespace("x"), a, a));
    expect(l.cluster.pods).toHaveLength(1);
    expect(l.diagnostics).toContainEqual(expect.objectContaining({ code: "duplicate-object" }));
  });
  it("differing copies are bad input (duplicate-object)", () => {
    const b = pod("x/a", { labels: { app: "other" }, ips: ["10.0.0.1"] });
    expect(issuesOf(yaml(namespace("x"), a, b)).map((i) => i.code)).toContain("duplicate-object");
  });
});

describe("flows: a numeric port must be an integer 0-65535 (decisions #9)", () => {
  const l = () => load(yaml(namespace("x"), pod("x/a", { labels: {}, ips: ["10.0.0.1"] })));
  it.each([65536, -1, 80.5])("port %s throws invalid-port from decide and evaluate", (port) => {
    const f = { from: "x/a", to: "x/a", port };
    const code = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (e) {
        return e instanceof InputError ? e.issues[0]?.code : String(e);
      }
      return undefined;
    };
    const loaded = l();
    expect({
      engine: code(() => loaded.table().decide(f)),
      reference: code(() => evaluate(loaded.cluster, f)),
    }).toEqual({ engine: "invalid-port", reference: "invalid-port" });
  });
  it("ports 0 and 65535 are accepted", () => {
    const loaded = l();
    for (const port of [0, 65535])
      expect(loaded.table().decide({ from: "x/a", to: "x/a", port }).verdict).toBe("allow");
  });
});
