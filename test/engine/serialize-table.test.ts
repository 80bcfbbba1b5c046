// The IR is serialisable: serializeTable → deserializeTable gives a table that answers every flow
// exactly as the original, and serialises back to the same bytes.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compile, deserializeTable, InputError, makeCluster, serializeTable } from "../../src/index.ts";
import { ALL_IPS, clusterArb, flowPortArb, flowsOf } from "../arbitraries.ts";

describe("serializeTable / deserializeTable", () => {
  test.prop(
    [
      clusterArb,
      fc.array(flowPortArb, { minLength: 1, maxLength: 3 }),
      fc.constantFrom("conformance", "ipblock-external"),
    ],
    {
      numRuns: 150,
    },
  )("round-trips: same bytes, same decisions and explanations", (cluster, ports, profile) => {
    const table = compile(cluster, { profile });
    const text = serializeTable(table);
    const copy = deserializeTable(text);
    expect(serializeTable(copy)).toBe(text);
    for (const flow of flowsOf(cluster, ports, ALL_IPS.slice(0, 4))) {
      expect(copy.decide(flow)).toEqual(table.decide(flow));
      expect(copy.explain(flow)).toEqual(table.explain(flow));
    }
  });

  it.each([
    ["not JSON", "{", "not JSON"],
    ["an array", "[]", "expected a JSON object"],
    ["another IR version", JSON.stringify({ version: 999 }), "IR version 999"],
  ])("rejects %s", (_name, text, message) => {
    expect(() => deserializeTable(text)).toThrow(InputError);
    expect(() => deserializeTable(text)).toThrow(message);
  });

  it("names the field that is not an array of integers", () => {
    const ir = JSON.parse(serializeTable(compile(makeCluster({}))));
    ir.ingress.globalCells = ["x"];
    try {
      deserializeTable(JSON.stringify(ir));
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).issues[0]).toMatchObject({
        code: "invalid-table",
        path: "ingress.globalCells",
      });
    }
  });

  describe("refuses an inconsistent table, naming the field, instead of answering deny", () => {
    const cluster = makeCluster({
      pods: ["a", "b"].map((name, i) => ({
        namespace: "x",
        name,
        labels: { app: name },
        ports: [],
        hostNetwork: false,
        podIPs: [`10.0.0.${i + 1}`],
      })),
      networkPolicies: [
        {
          namespace: "x",
          name: "p",
          spec: {
            podSelector: { matchLabels: { app: "b" } },
            policyTypes: ["Ingress"],
            egress: [],
            ingress: [
              {
                from: [{ podSelector: { matchLabels: { app: "a" } } }],
                ports: [{ protocol: "TCP", port: 80 }],
              },
            ],
          },
        },
      ],
    });
    const good = serializeTable(compile(cluster));
    // biome-ignore lint/suspicious/noExplicitAny: the tests damage parsed JSON field by field
    type Raw = Record<string, any>;
    it.each<[string, (ir: Raw) => void, string]>([
      ["a per-endpoint array one short", (ir) => ir.kind.pop(), "kind"],
      ["a group id past the groups", (ir) => (ir.ingress.group[1] = 99), "ingress.group[1]"],
      [
        "a cell naming a row that does not exist",
        (ir) => (ir.ingress.globalCells[0] = 1e6),
        "ingress.globalCells[0]",
      ],
      ["a peer class past the classes", (ir) => (ir.egress.globalClass[0] = 1e6), "egress.globalClass[0]"],
      ["runs that do not match the row offsets", (ir) => ir.runClass.push(0), "rowStart"],
      [
        "a row whose runs do not ascend",
        (ir) =>
          ir.runClass.splice(1, 0, 0) &&
          ir.runOutcome.splice(1, 0, 0) &&
          ir.rowStart.fill(ir.rowStart.at(-1) + 1, -1),
        "runClass",
      ],
      ["a port-class count that disagrees", (ir) => (ir.portClassCount += 1), "portClassCount"],
      ["unsorted port-class starts", (ir) => ir.portClassStarts.TCP.reverse(), "portClassStarts.TCP"],
      [
        "a rule of a policy that does not exist",
        (ir) => (ir.ingress.rules[0].policy = 7),
        "ingress.rules[0]",
      ],
      ["a group base past the cells", (ir) => (ir.ingress.globalBase[1] = 1e6), "ingress.globalBase[1]"],
      ["a node past the nodes", (ir) => (ir.node[0] = 5), "node[0]"],
      [
        "an address class with first > last",
        (ir) => (ir.addressClasses[0].first = "99999999999"),
        "addressClasses[0]",
      ],
      ["a run naming an outcome that does not exist", (ir) => (ir.runOutcome[0] = 1e6), "runOutcome"],
      ["an outcome with no verdict", (ir) => (ir.outcomes[0] = 2), "outcomes[0]"],
      ["an outcome naming a rule past every group", (ir) => (ir.outcomes[1] = 50), "outcomes[1]"],
      [
        "an isolation flag per group missing",
        (ir) => ir.ingress.groupIsolated.pop(),
        "ingress.groupIsolated",
      ],
      ["a rule of an unknown tier", (ir) => (ir.ingress.rules[0].tier = 5), "ingress.rules[0]"],
    ])("%s", (_name, damage, path) => {
      const ir = JSON.parse(good) as Raw;
      damage(ir);
      try {
        deserializeTable(JSON.stringify(ir));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).issues[0]).toMatchObject({ code: "invalid-table" });
        expect((e as InputError).issues[0]?.path?.startsWith(path)).toBe(true);
      }
    });
    it("the undamaged table reads back", () => {
      expect(deserializeTable(good).decide({ from: "x/a", to: "x/b", port: 80 }).verdict).toBe("allow");
    });
  });
});
