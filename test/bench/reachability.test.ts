// The reachability pass of the bench (bench/reachability.ts): its cross-namespace part reads each
// source class's column of ingress rows once, folds a class group's destinations that read one row
// into a count, and skips the AND where a row allows every class. Checked here against the plain
// double loop over every (source identity, destination identity) pair, on random tiered clusters
// (one-word masks; those with address-less pods the pass refuses are left out) and on the bench's S-admin scenario (8 words per mask).
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { crossIdentities, variantClasses } from "../../bench/reach-identities.ts";
import { reachRows } from "../../bench/reach-rows.ts";
import { reachabilityIndex } from "../../bench/reachability.ts";
import { scaleSpec } from "../../bench/scales.ts";
import { compile } from "../../src/compile.ts";
import { KIND_POD, type PolicyTableIR, VARIANTS } from "../../src/ir/policy-table-ir.ts";
import { clusterArb, tieredClusterArb } from "../arbitraries.ts";

/** Every identity pair read one by one: the pairs allowing some class and the sum of their masks' words. */
function naiveCross(ir: PolicyTableIR): { allowed: number; checksum: number } {
  const rows = reachRows(ir);
  const vc = variantClasses(ir);
  const x = crossIdentities(ir, vc, rows.ALL, rows.NONE);
  const VC = vc.rep.length;
  let allowed = 0;
  let checksum = 0;
  for (let a = 0; a < x.src.ids.rep.length; a++)
    for (let b = 0; b < x.dst.ids.rep.length; b++) {
      const s = x.src.ids.rep[a]!;
      const d = x.dst.ids.rep[b]!;
      const v = vc.pairVariant[vc.of[s]! * VC + vc.of[d]!]!;
      if (v < 0 || (ir.kind[s] !== KIND_POD && ir.kind[d] !== KIND_POD)) continue;
      const er = rows.rows[x.rowsE[x.src.base[a]! + x.dst.cls[b * VARIANTS + v]!]!]!;
      const irow = rows.rows[x.rowsI[x.dst.base[b]! + x.src.cls[a * VARIANTS + v]!]!]!;
      let any = 0;
      for (let w = 0; w < rows.W; w++) {
        const m = er[w]! & irow[w]!;
        any |= m;
        checksum = (checksum + m) | 0;
      }
      if (any !== 0) allowed++;
    }
  return { allowed, checksum };
}

/** Address-less pods that the pod range leaves open (join classes): the pass does not take them. */
const hasJoinClasses = (ir: PolicyTableIR): boolean =>
  [ir.egress.joinClass, ir.ingress.joinClass].some((j) => j.some((c) => c >= 0));

function expectCrossLikeNaive(ir: PolicyTableIR): void {
  const counts = reachabilityIndex(ir).run();
  const naive = naiveCross(ir);
  expect(counts.crossAllowed).toBe(naive.allowed);
  expect(counts.crossChecksum).toBe(naive.checksum);
}

describe("reachability's cross-namespace part", () => {
  test.prop([clusterArb], { numRuns: 150 })("matches the pair-by-pair loop (NetworkPolicies)", (cluster) => {
    const { ir } = compile(cluster);
    fc.pre(!hasJoinClasses(ir));
    expectCrossLikeNaive(ir);
  });
  test.prop([tieredClusterArb], { numRuns: 150 })("matches the pair-by-pair loop (every tier)", (cluster) => {
    const { ir } = compile(cluster);
    fc.pre(!hasJoinClasses(ir));
    expectCrossLikeNaive(ir);
  });
  it("matches it on S-admin, whose masks are 8 words", () => {
    const ir = compile(scaleSpec("S-admin").build()).ir;
    expect(reachRows(ir).W).toBeGreaterThan(1);
    expectCrossLikeNaive(ir);
  });
});
