import { afterEach, describe, expect, it } from "vitest";
import { matchesSelector } from "../../src/selectors/matches-selector.ts";
import { issues, ok, pod, policy } from "./helpers.ts";

const polluted = () => (({}) as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).x;

describe("label maps and prototype safety", () => {
  afterEach(() => {
    expect(polluted()).toBeUndefined();
  });

  it.each(["constructor", "hasOwnProperty", "toString", "valueOf"])("%s is an ordinary label key", (key) => {
    const text = JSON.stringify(pod({ metadata: { name: "a", namespace: "ns", labels: { [key]: "v" } } }));
    const labels = ok({ name: "p.json", text }).cluster.pods[0]!.labels;
    expect(Object.getPrototypeOf(labels)).toBeNull();
    expect(Object.keys(labels)).toEqual([key]);
    expect(labels[key]).toBe("v");
    expect(matchesSelector(labels, { matchLabels: { [key]: "v" } })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { [key]: "w" } })).toBe(false);
  });

  it("a constructor matchLabels key selects by value only", () => {
    const text = JSON.stringify(policy({ podSelector: { matchLabels: { constructor: "x" } } }));
    const ml = ok({ name: "n.json", text }).cluster.networkPolicies[0]!.spec.podSelector.matchLabels!;
    expect(Object.getPrototypeOf(ml)).toBeNull();
    expect(matchesSelector({}, { matchLabels: ml })).toBe(false);
  });

  it('JSON {"__proto__": {...}} in labels neither pollutes nor vanishes: it is an invalid key', () => {
    const text = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","labels":{"__proto__":{"polluted":"yes"},"ok":"1"}}}`;
    const found = issues({ name: "p.json", text });
    expect(found.map((i) => [i.code, i.path])).toContainEqual([
      "invalid-label-key",
      "metadata.labels.__proto__",
    ]);
    expect(found.find((i) => i.code === "invalid-label-key")!.message).toContain('"__proto__"');
  });

  it("YAML __proto__ keys are seen too (in labels and matchLabels)", () => {
    const text =
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector:\n    matchLabels:\n      __proto__: x\n";
    const found = issues({ name: "p.yaml", text });
    expect(found).toEqual([
      expect.objectContaining({ code: "invalid-label-key", path: "spec.podSelector.matchLabels.__proto__" }),
    ]);
  });

  it("__proto__ elsewhere (unknown fields, metadata, spec) is ignored without pollution", () => {
    const text = `{"apiVersion":"v1","kind":"Pod","__proto__":{"polluted":"yes","kind":"Namespace"},"metadata":{"name":"a","__proto__":{"namespace":"evil"}},"spec":{"__proto__":{"hostNetwork":true}}}`;
    const { cluster } = ok({ name: "p.json", text });
    expect(cluster.pods[0]).toMatchObject({ namespace: "default", name: "a", hostNetwork: false });
  });

  it("a selector-valid key with a prefix: kubernetes.io/metadata.name", () => {
    const text = JSON.stringify(
      policy({
        podSelector: {},
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "prod" } } }] },
        ],
      }),
    );
    expect(ok({ name: "n.json", text }).cluster.networkPolicies).toHaveLength(1);
  });

  it.each([
    ["empty value is valid", { k: "" }, true],
    ["63-char value is valid", { k: "v".repeat(63) }, true],
    [
      "253-char prefix is valid",
      { [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}/n`]: "x" },
      true,
    ],
    [
      "254-char prefix is invalid",
      { [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}/n`]: "x" },
      false,
    ],
    ["empty prefix is invalid", { "/n": "x" }, false],
    ["uppercase prefix is invalid", { "Example.com/n": "x" }, false],
    ["64-char name is invalid", { ["n".repeat(64)]: "x" }, false],
    ["name with _ and . inside is valid", { "a_b.c-d": "x" }, true],
    ["empty key is invalid", { "": "x" }, false],
  ])("label %s", (_, labels, valid) => {
    const text = JSON.stringify(pod({ metadata: { name: "a", namespace: "ns", labels } }));
    if (valid) expect(ok({ name: "p.json", text }).cluster.pods).toHaveLength(1);
    else expect(issues({ name: "p.json", text })[0]!.code).toMatch(/^invalid-label-(key|value)$/);
  });

  it("long bad values are cut to ~60 characters in messages", () => {
    const bad = `-${"x".repeat(200)}`;
    const text = JSON.stringify(pod({ metadata: { name: "a", namespace: "ns", labels: { k: bad } } }));
    const [i] = issues({ name: "p.json", text });
    expect(i!.message).toContain(`"-${"x".repeat(59)}…"`);
    expect(i!.message.length).toBeLessThan(250);
  });
});
