// `explain` names the first rule (canonical policy order, then written order) that allowed each
// direction. Checked with the reference evaluator alone: a cluster keeping only one rule (of one
// policy, for that direction only) allows the flow iff that rule matches it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Flow } from "../../src/model/flow.ts";
import type { Cluster, NetworkPolicy } from "../../src/model/types.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { scenarioArb } from "../arbitraries.ts";

type Dir = "ingress" | "egress";

/** Whether rule `index` of `policy` alone (for `dir` only) lets the flow through, per the reference. */
function ruleAllows(
  c: Cluster,
  policy: NetworkPolicy,
  dir: Dir,
  index: number,
  flow: Flow,
  profile: string,
): boolean {
  const rule = policy.spec[dir][index]!;
  const only: NetworkPolicy = {
    ...policy,
    spec: {
      podSelector: policy.spec.podSelector,
      policyTypes: [dir === "ingress" ? "Ingress" : "Egress"],
      ingress: dir === "ingress" ? [rule] : [],
      egress: dir === "egress" ? [rule] : [],
    } as NetworkPolicy["spec"],
  };
  const single = makeCluster({ namespaces: c.namespaces, pods: c.pods, networkPolicies: [only] });
  return evaluate(single, flow, profile).verdict === "allow";
}

describe("explain provenance", () => {
  it("allowedBy is the first rule, in canonical order, that matches", () => {
    let allowedChecks = 0;
    let deniedChecks = 0;
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom("conformance", "ipblock-external"),
        ({ cluster, flows }, profile) => {
          const table = compile(cluster, { profile });
          for (const flow of flows.slice(0, 30)) {
            const x = table.explain(flow);
            for (const d of [x.egress, x.ingress]) {
              if (d.decidedBy !== "network-policy") continue;
              const dir: Dir = d.direction;
              // Every rule of the selecting policies, canonical order.
              const rules = cluster.networkPolicies
                .filter((p) => d.policies.includes(`${p.namespace}/${p.name}`))
                .flatMap((p) =>
                  p.spec[dir].map((_, i) => ({ p, i, ref: `${p.namespace}/${p.name} spec.${dir}[${i}]` })),
                );
              const first = rules.find((r) => ruleAllows(cluster, r.p, dir, r.i, flow, profile));
              const named =
                d.allowedBy === undefined ? undefined : `${d.allowedBy.policy} ${d.allowedBy.rule}`;
              expect(named, `${profile} ${JSON.stringify(flow)} ${dir}`).toBe(first?.ref);
              expect(d.verdict).toBe(first === undefined ? "deny" : "allow");
              if (first === undefined) deniedChecks++;
              else allowedChecks++;
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: many isolated directions were checked both ways.
    expect(allowedChecks).toBeGreaterThan(300);
    expect(deniedChecks).toBeGreaterThan(300);
  });
});
