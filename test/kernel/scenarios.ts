// The kernel suite's scenarios: every e2e case, a spread of the network-policy-api cases and
// random clusters of the differential generator; compiled and planned once, shared by every loader.
import { compile } from "../../src/index.ts";
import type { Artifact } from "./artifacts.ts";
import { type Plan, planScenario, type Scenario } from "./plan.ts";
import { k8sE2EScenarios } from "./sources/k8s-e2e.ts";
import { networkPolicyAPIScenarios } from "./sources/network-policy-api.ts";
import { randomScenarios } from "./sources/random.ts";
import type { PreparedScenario } from "./suite.ts";

/** Counts (environment overrides: NETPOL_KERNEL_RANDOM, NETPOL_KERNEL_NPAPI_EVERY). */
export const RANDOM_COUNT: number = Number(process.env.NETPOL_KERNEL_RANDOM ?? 200);
export const NPAPI_EVERY: number = Number(process.env.NETPOL_KERNEL_NPAPI_EVERY ?? 8);

export interface ScenarioSet {
  readonly source: string;
  readonly scenarios: readonly Scenario[];
}

export function scenarioSets(): ScenarioSet[] {
  return [
    { source: "k8s e2e", scenarios: k8sE2EScenarios() },
    { source: "network-policy-api", scenarios: networkPolicyAPIScenarios(NPAPI_EVERY) },
    { source: "random", scenarios: randomScenarios(RANDOM_COUNT) },
  ];
}

/** Compiles and plans every scenario; `render(backend, plan, table)` gives its artifacts (rendered once, lazily). */
export function prepareAll(
  scenarios: readonly Scenario[],
  render: (backend: string, plan: Plan, table: ReturnType<typeof compile>) => readonly Artifact[],
): PreparedScenario[] {
  return scenarios.map((scenario) => {
    const table = compile(scenario.cluster);
    const plan = planScenario(scenario, table);
    const cache = new Map<string, readonly Artifact[]>();
    return {
      plan,
      artifacts: (backend) => {
        let a = cache.get(backend);
        if (a === undefined) cache.set(backend, (a = render(backend, plan, table)));
        return a;
      },
    };
  });
}
