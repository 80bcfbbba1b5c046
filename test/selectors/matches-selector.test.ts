// src/selectors/matches-selector.ts: apimachinery's label-selector semantics, and label maps read
// with Object.hasOwn only (inherited properties such as `constructor` or `toString` never match).
import { describe, expect, it } from "vitest";
import { labelMap } from "../../src/model/cluster.ts";
import type { LabelSelector, LabelSelectorRequirement, Labels } from "../../src/model/types.ts";
import { matchesRequirement, matchesSelector } from "../../src/selectors/matches-selector.ts";

const WEB: Labels = labelMap({ app: "web", tier: "front", empty: "" });

describe("matchesRequirement", () => {
  it.each<[string, LabelSelectorRequirement, boolean]>([
    ["In, listed value", { key: "app", operator: "In", values: ["db", "web"] }, true],
    ["In, unlisted value", { key: "app", operator: "In", values: ["db"] }, false],
    ["In, absent key", { key: "zone", operator: "In", values: ["a"] }, false],
    ["In, no values", { key: "app", operator: "In", values: [] }, false],
    ["In, values omitted", { key: "app", operator: "In" }, false],
    ["In, empty value listed", { key: "empty", operator: "In", values: [""] }, true],
    ["In, empty value, absent key", { key: "zone", operator: "In", values: [""] }, false],
    ["In, case-sensitive", { key: "app", operator: "In", values: ["Web"] }, false],
    ["NotIn, listed value", { key: "app", operator: "NotIn", values: ["web"] }, false],
    ["NotIn, unlisted value", { key: "app", operator: "NotIn", values: ["db"] }, true],
    // NotIn holds when the key is absent (apimachinery Requirement.Matches).
    ["NotIn, absent key", { key: "zone", operator: "NotIn", values: ["a"] }, true],
    ["NotIn, absent key, empty value listed", { key: "zone", operator: "NotIn", values: [""] }, true],
    ["NotIn, empty value listed", { key: "empty", operator: "NotIn", values: [""] }, false],
    ["NotIn, no values", { key: "app", operator: "NotIn", values: [] }, true],
    ["Exists, present", { key: "app", operator: "Exists" }, true],
    ["Exists, present with empty value", { key: "empty", operator: "Exists" }, true],
    ["Exists, absent", { key: "zone", operator: "Exists" }, false],
    ["DoesNotExist, present", { key: "app", operator: "DoesNotExist" }, false],
    ["DoesNotExist, present with empty value", { key: "empty", operator: "DoesNotExist" }, false],
    ["DoesNotExist, absent", { key: "zone", operator: "DoesNotExist" }, true],
  ])("%s", (_name, req, expected) => {
    expect(matchesRequirement(WEB, req)).toBe(expected);
  });
});

describe("matchesSelector", () => {
  it.each<[string, Labels, LabelSelector, boolean]>([
    ["{} selects everything", WEB, {}, true],
    ["{} selects no labels", labelMap({}), {}, true],
    ["empty matchLabels and matchExpressions", labelMap({}), { matchLabels: {}, matchExpressions: [] }, true],
    ["matchLabels, equal", WEB, { matchLabels: { app: "web" } }, true],
    ["matchLabels, every entry", WEB, { matchLabels: { app: "web", tier: "front" } }, true],
    ["matchLabels, one entry differs", WEB, { matchLabels: { app: "web", tier: "back" } }, false],
    ["matchLabels, absent key", WEB, { matchLabels: { zone: "a" } }, false],
    // {k: ""} needs k present with the empty value.
    ['matchLabels {k: ""}, k empty', WEB, { matchLabels: { empty: "" } }, true],
    ['matchLabels {k: ""}, k absent', WEB, { matchLabels: { zone: "" } }, false],
    ['matchLabels {k: ""}, k non-empty', WEB, { matchLabels: { app: "" } }, false],
    [
      "matchLabels AND matchExpressions, both hold",
      WEB,
      { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["front"] }] },
      true,
    ],
    [
      "matchLabels AND matchExpressions, only matchLabels holds",
      WEB,
      { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["back"] }] },
      false,
    ],
    [
      "matchLabels AND matchExpressions, only matchExpressions holds",
      WEB,
      { matchLabels: { app: "db" }, matchExpressions: [{ key: "tier", operator: "Exists" }] },
      false,
    ],
    [
      "every expression must hold",
      WEB,
      {
        matchExpressions: [
          { key: "app", operator: "Exists" },
          { key: "zone", operator: "Exists" },
        ],
      },
      false,
    ],
    [
      "expressions on one key, all holding",
      WEB,
      {
        matchExpressions: [
          { key: "app", operator: "In", values: ["web", "db"] },
          { key: "app", operator: "NotIn", values: ["db"] },
        ],
      },
      true,
    ],
    [
      "NotIn on an absent key",
      WEB,
      { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] },
      true,
    ],
  ])("%s", (_name, labels, selector, expected) => {
    expect(matchesSelector(labels, selector)).toBe(expected);
  });
});

describe("inherited properties never match (Object.hasOwn)", () => {
  // Object.prototype names: present through the prototype chain on a plain {}, absent on labelMap's
  // null-prototype maps; either way they are labels only when set as own keys.
  const KEYS = ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"];
  const maps: [string, Labels][] = [
    ["a plain {}", {}],
    ["a plain object with other labels", { app: "web" }],
    ["a null-prototype labelMap", labelMap({ app: "web" })],
  ];

  describe.each(maps)("on %s", (_name, labels) => {
    it.each(KEYS)("%s is absent", (key) => {
      expect(matchesRequirement(labels, { key, operator: "Exists" })).toBe(false);
      expect(matchesRequirement(labels, { key, operator: "DoesNotExist" })).toBe(true);
      expect(matchesRequirement(labels, { key, operator: "NotIn", values: ["x"] })).toBe(true);
      // Not even the inherited value's own string form is "listed".
      const inherited = String((labels as Record<string, unknown>)[key]);
      expect(matchesRequirement(labels, { key, operator: "In", values: ["x", "", inherited] })).toBe(false);
      expect(matchesSelector(labels, { matchExpressions: [{ key, operator: "Exists" }] })).toBe(false);
      expect(matchesSelector(labels, { matchLabels: labelMap([[key, inherited]]) })).toBe(false);
      expect(matchesSelector(labels, { matchLabels: labelMap([[key, ""]]) })).toBe(false);
    });
  });

  describe("set as own keys on a null-prototype labelMap, they are ordinary labels", () => {
    const labels = labelMap(KEYS.map((k): [string, string] => [k, `${k}-value`]));

    it.each(KEYS)("%s", (key) => {
      expect(Object.getPrototypeOf(labels)).toBeNull();
      expect(matchesRequirement(labels, { key, operator: "Exists" })).toBe(true);
      expect(matchesRequirement(labels, { key, operator: "DoesNotExist" })).toBe(false);
      expect(matchesRequirement(labels, { key, operator: "In", values: [`${key}-value`] })).toBe(true);
      expect(matchesRequirement(labels, { key, operator: "In", values: ["other"] })).toBe(false);
      expect(matchesRequirement(labels, { key, operator: "NotIn", values: [`${key}-value`] })).toBe(false);
      expect(matchesSelector(labels, { matchLabels: labelMap([[key, `${key}-value`]]) })).toBe(true);
      expect(matchesSelector(labels, { matchLabels: labelMap([[key, "other"]]) })).toBe(false);
    });
  });

  it("a matchLabels map with a null prototype and a `constructor` key is read by its own keys", () => {
    const selector: LabelSelector = { matchLabels: labelMap([["constructor", "x"]]) };
    expect(matchesSelector(labelMap([["constructor", "x"]]), selector)).toBe(true);
    expect(matchesSelector(labelMap([["constructor", "y"]]), selector)).toBe(false);
    expect(matchesSelector({ constructor: "x" }, selector)).toBe(true);
    expect(matchesSelector({}, selector)).toBe(false);
  });

  it("an own `__proto__` label set with defineProperty on a plain object counts", () => {
    const labels: Record<string, string> = {};
    Object.defineProperty(labels, "__proto__", { value: "x", enumerable: true });
    expect(matchesRequirement(labels, { key: "__proto__", operator: "In", values: ["x"] })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: labelMap([["__proto__", "x"]]) })).toBe(true);
  });
});
