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
});
