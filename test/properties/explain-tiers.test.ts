// `explain` on clusters of every tier: its verdict is decide's and the reference's, and every
// admin/baseline rule its walk names (the deciding rule and each Pass) really matches the flow in
// that direction. "Matches" is checked with the reference alone: a cluster keeping only that rule
// (as a Deny of one Admin policy, no NetworkPolicies) denies the flow iff the rule matches it.
// Seed 2002263168 (CI, 2026-12-07) found a walk between two address-less pods naming a rule that
// matches only where one of them is in the pod range: the walk is that placement's.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import type { Flow, WalkStep } from "../../src/model/flow.ts";
import type { Cluster, ClusterNetworkPolicy } from "../../src/model/types.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { tieredScenarioArb } from "../arbitraries.ts";

const PREFIX: Record<string, string> = {
  ClusterNetworkPolicy: "cnp",
  AdminNetworkPolicy: "anp",
  BaselineAdminNetworkPolicy: "banp",
};

/** Whether the cluster policy rule a walk step names matches the flow in `dir`, per the reference. */
function ruleMatches(
  c: Cluster,
  step: WalkStep,
  dir: "egress" | "ingress",
  flow: Flow,
  profile: string,
): boolean {
  const policy = c.clusterNetworkPolicies.find((p) => `${PREFIX[p.kind]}/${p.name}` === step.policy);
  expect(policy, `walk names ${step.policy}`).toBeDefined();
  const index = Number(/\[(\d+)\]$/.exec(step.rule!)![1]);
  const rule = policy![dir][index]!;
  const only: ClusterNetworkPolicy = {
    ...policy!,
    kind: "ClusterNetworkPolicy",
    tier: "Admin",
    priority: 0,
    ingress: dir === "ingress" ? [{ ...rule, action: "Deny" }] : [],
    egress: dir === "egress" ? [{ ...rule, action: "Deny" }] : [],
  };
  const single: Cluster = { ...c, networkPolicies: [], clusterNetworkPolicies: [only] };
  const verdict = evaluate(single, flow, profile).verdict;
  // Between two address-less pods the walk is one placement's (docs/decisions.md #68): the rule
  // matches at some address of the pod range, so alone it denies there (deny or unknown).
  return bothAddressLess(c, flow) ? verdict !== "allow" : verdict === "deny";
}

function bothAddressLess(c: Cluster, flow: Flow): boolean {
  const addressLess = (name: string) =>
    c.pods.some((p) => `${p.namespace}/${p.name}` === name && !p.hostNetwork && p.podIPs.length === 0);
  return addressLess(flow.from) && addressLess(flow.to);
}

describe("explain on every tier", () => {
  it("verdicts agree with decide and the reference; every admin/baseline rule in a walk matches", () => {
    const counts = { admin: 0, baseline: 0, pass: 0 };
    fc.assert(
      fc.property(
        tieredScenarioArb,
        fc.constantFrom("conformance", "ipblock-external"),
        ({ cluster, flows }, profile) => {
          const table = compile(cluster, { profile });
          for (const flow of flows.slice(0, 20)) {
            const x = table.explain(flow);
            const want = evaluate(cluster, flow, profile).verdict;
            const where = `${profile} ${JSON.stringify(flow)}`;
            expect(x.verdict, where).toBe(table.decide(flow).verdict);
            expect(x.verdict, where).toBe(want);
            for (const d of [x.egress, x.ingress])
              for (const step of d.walk ?? []) {
                if (step.tier !== "Admin" && step.tier !== "Baseline") continue;
                expect(
                  ruleMatches(cluster, step, d.direction, flow, profile),
                  `${where} ${d.direction} ${step.policy} ${step.rule}`,
                ).toBe(true);
                if (step.action === "Pass") counts.pass++;
                else if (step.tier === "Admin") counts.admin++;
                else counts.baseline++;
              }
          }
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: walks named deciding rules of both tiers and Pass rules.
    expect(counts.admin).toBeGreaterThan(100);
    expect(counts.baseline).toBeGreaterThan(50);
    expect(counts.pass).toBeGreaterThan(20);
  });
});
