import { describe, expect, it } from "vitest";
import { parseFlows } from "../../src/io/parse-flows.ts";
import { InputError, type InputIssue } from "../../src/model/input-error.ts";

function flowIssues(text: string): readonly InputIssue[] {
  try {
    parseFlows({ name: "flows.json", text });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error("expected an InputError");
}

describe("parseFlows", () => {
  it("reads flows; protocol kept only when given", () => {
    const text = JSON.stringify([
      { from: "shop/web", to: "shop/api", port: 8080 },
      { from: "10.0.0.1", to: "shop/api", port: "http", protocol: "UDP" },
    ]);
    expect(parseFlows({ name: "f.json", text })).toEqual([
      { from: "shop/web", to: "shop/api", port: 8080 },
      { from: "10.0.0.1", to: "shop/api", port: "http", protocol: "UDP" },
    ]);
  });

  it("an empty array is no flows", () => {
    expect(parseFlows({ name: "f.json", text: "[]" })).toEqual([]);
  });

  it.each([
    ["port out of range", [{ from: "a/b", to: "a/c", port: 70000 }], "invalid-port", "[0].port", "70000"],
    ["port negative", [{ from: "a/b", to: "a/c", port: -1 }], "invalid-port", "[0].port", "-1"],
    ["port quoted number", [{ from: "a/b", to: "a/c", port: "80" }], "invalid-port", "[0].port", '"80"'],
    ["port missing", [{ from: "a/b", to: "a/c" }], "missing-field", "[0].port", "port"],
    ["port object", [{ from: "a/b", to: "a/c", port: {} }], "invalid-type", "[0].port", "object"],
    [
      "protocol bad",
      [{ from: "a/b", to: "a/c", port: 1, protocol: "icmp" }],
      "invalid-protocol",
      "[0].protocol",
      '"icmp"',
    ],
    ["from missing", [{ to: "a/c", port: 1 }], "missing-field", "[0].from", "from"],
    ["to a number", [{ from: "a/b", to: 5, port: 1 }], "invalid-type", "[0].to", "5"],
    ["from empty", [{ from: " ", to: "a/c", port: 1 }], "invalid-endpoint", "[0].from", '""'],
    ["item null", [null], "invalid-type", "[0]", "null"],
  ])("%s", (_, flows, code, path, fragment) => {
    const found = flowIssues(JSON.stringify(flows));
    expect(found).toEqual([expect.objectContaining({ code, path, file: "flows.json" })]);
    expect(found[0]!.message).toContain(fragment);
  });

  it("reports every bad flow, with its index", () => {
    const flows = [
      { from: "a/b", to: "a/c", port: 1 },
      { from: "a/b", to: "a/c", port: 0.5 },
      {},
      { from: "a/b", to: "a/c", port: 2 },
    ];
    const found = flowIssues(JSON.stringify(flows));
    // [2].port is not reached: value checks run once the object's fields have the right types.
    expect(found.map((i) => i.path)).toEqual(["[1].port", "[2].from", "[2].to"]);
  });

  it.each([
    ["not an array", '{"from": "a/b"}', "invalid-type"],
    ["not JSON", "[{from: a}]", "invalid-json"],
    ["YAML", "- from: a/b\n", "invalid-type"],
    ["too deep", "[".repeat(200) + "]".repeat(200), "too-deep"],
  ])("%s → %s", (_, text, code) => {
    expect(flowIssues(text).map((i) => i.code)).toEqual([code]);
  });
});

describe("parseFlows: expect and unknown fields", () => {
  it("keeps an expected verdict", () => {
    const text = JSON.stringify([{ from: "a/b", to: "a/c", port: 80, expect: "deny" }]);
    expect(parseFlows({ name: "f.json", text })).toEqual([
      { from: "a/b", to: "a/c", port: 80, expect: "deny" },
    ]);
  });

  it("rejects an expected verdict that is not allow, deny or unknown", () => {
    const issues = flowIssues(JSON.stringify([{ from: "a/b", to: "a/c", port: 80, expect: "allowed" }]));
    expect(issues[0]).toMatchObject({ code: "invalid-type", path: "[0].expect", file: "flows.json" });
    expect(issues[0]!.message).toContain('"allowed"');
  });

  it("rejects a misspelt key instead of silently defaulting (proto → TCP)", () => {
    const issues = flowIssues(JSON.stringify([{ from: "a/b", to: "a/c", port: 53, proto: "UDP" }]));
    expect(issues[0]).toMatchObject({ code: "unknown-field", path: "[0].proto" });
    expect(issues[0]!.message).toContain('"proto"');
  });
});
