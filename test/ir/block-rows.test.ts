// `blockRowsInto` (src/ir/read-table.ts) fills a block's rows at the cost of its own entries; it
// must equal `blockRow` class by class, for dense and sparse blocks alike.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { blockRow, blockRowsInto } from "../../src/ir/read-table.ts";
import { tieredClusterArb } from "../arbitraries.ts";

describe("blockRowsInto", () => {
  it("equals blockRow at every class of every group, both directions", () => {
    let sparse = 0;
    let dense = 0;
    fc.assert(
      fc.property(tieredClusterArb, (cluster) => {
        const ir = compile(cluster).ir;
        for (const dir of [ir.egress, ir.ingress]) {
          const C = dir.globalClassCount;
          const out = new Int32Array(C + 2).fill(-7);
          for (let g = 0; g < dir.globalBase.length; g++) {
            if (dir.globalBase[g]! < 0) sparse++;
            else dense++;
            blockRowsInto(dir, g, out, 1);
            expect(out[0]).toBe(-7); // nothing written outside [at, at + C)
            expect(out[C + 1]).toBe(-7);
            for (let c = 0; c < C; c++) expect(out[1 + c]).toBe(blockRow(dir, g, c));
          }
        }
      }),
      { numRuns: 150, seed: 14 },
    );
    // Both layouts were read (a failure here means the generator no longer makes one of them).
    expect(sparse).toBeGreaterThan(0);
    expect(dense).toBeGreaterThan(0);
  });
});
