// THE central property: the compiled decision table agrees with the reference evaluator (the
// executable spec of DESIGN.md §1 + docs/decisions.md) on random clusters, for every profile.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { PolicyTable } from "../../src/engine/policy-table.ts";
import type { Flow, Verdict } from "../../src/model/flow.ts";
import type { Cluster } from "../../src/model/types.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { clusterArbOf, scenarioArb, scenarioArbOf } from "../arbitraries.ts";

const PROFILES = ["conformance", "ipblock-external"] as const;
const NUM_RUNS = Number(process.env.DIFF_RUNS ?? 1000);

const counts: Record<Verdict, number> = { allow: 0, deny: 0, unknown: 0 };

/** The first flow on which the engine and the reference disagree, described; `undefined` if none. */
function firstDisagreement(cluster: Cluster, flows: readonly Flow[]): string | undefined {
  for (const profile of PROFILES) {
    const table = compile(cluster, { profile });
    // The same IR in the split layout (no same-namespace folding; pack-table.ts): same answers.
    const split = new PolicyTable(table.ir, [], { foldBudget: () => 0 });
    for (const flow of flows) {
      const got = table.decide(flow);
      const want = evaluate(cluster, flow, profile);
      counts[want.verdict]++;
      const where = `${profile}: ${JSON.stringify(flow)}`;
      if (got.verdict !== want.verdict)
        return `${where}: engine ${got.verdict}, reference ${want.verdict} (${want.reason ?? got.reason ?? ""})`;
      const explained = table.explain(flow).verdict;
      if (explained !== got.verdict) return `${where}: explain ${explained}, decide ${got.verdict}`;
      const r = table.resolve(flow);
      if (r.ok && table.allowsIndex(r.src, r.dst, r.portIndex, r.variant) !== (got.verdict === "allow"))
        return `${where}: allowsIndex disagrees with decide (${got.verdict})`;
      // Endpoints named as pods: the variant follows from them, so the index form needs none.
      const byName = flow.from.includes("/") && flow.to.includes("/");
      if (r.ok && byName && table.allowsIndex(r.src, r.dst, r.portIndex) !== (got.verdict === "allow"))
        return `${where}: allowsIndex without a variant disagrees with decide (${got.verdict})`;
      const splitVerdict = split.decide(flow).verdict;
      if (splitVerdict !== got.verdict)
        return `${where}: split layout ${splitVerdict}, folded ${got.verdict}`;
    }
  }
  return undefined;
}

describe("compile(c).decide(f) ≡ evaluate(c, f)", () => {
  it(`agrees on ${NUM_RUNS} random clusters, both profiles, every flow`, () => {
    fc.assert(
      fc.property(scenarioArb, ({ cluster, flows }) => {
        const problem = firstDisagreement(cluster, flows);
        if (problem !== undefined) throw new Error(`${problem}\ncluster: ${JSON.stringify(cluster)}`);
      }),
      { numRuns: NUM_RUNS },
    );
    // The generator must not degenerate: a fair share of flows allowed AND denied.
    const total = counts.allow + counts.deny + counts.unknown;
    const share = (v: Verdict): number => counts[v] / total;
    console.log(
      `differential: ${total} flow decisions; allow ${(100 * share("allow")).toFixed(1)}%, ` +
        `deny ${(100 * share("deny")).toFixed(1)}%, unknown ${(100 * share("unknown")).toFixed(1)}%`,
    );
    expect(share("allow")).toBeGreaterThanOrEqual(0.15);
    expect(share("deny")).toBeGreaterThanOrEqual(0.15);
  });
});

describe("compile(c).decide(f) ≡ evaluate(c, f) on wide clusters", () => {
  // Many rules per group (> 30: the compiler's list-based row filling instead of bitmasks), many
  // policies per namespace, more pods: the shapes the small generator rarely reaches.
  it("agrees on 300 clusters with 6-8 policies of 6-12 rules per direction", () => {
    const wide = scenarioArbOf(
      clusterArbOf({ maxPods: 10, minPolicies: 6, maxPolicies: 8, minRules: 6, maxRules: 12 }),
    );
    fc.assert(
      fc.property(wide, ({ cluster, flows }) => {
        const problem = firstDisagreement(cluster, flows);
        if (problem !== undefined) throw new Error(`${problem}\ncluster: ${JSON.stringify(cluster)}`);
      }),
      { numRuns: 300 },
    );
  });
});
