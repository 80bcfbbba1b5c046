// Scenarios from the differential property's generator (test/arbitraries.ts): tiered clusters
// (nodes, dual-stack, admin/baseline policies) and NetworkPolicy-only ones, with 2–3 probed ports
// each, drawn from a fixed seed so that a failure can be replayed.
import fc from "fast-check";
import { clusterArb, EXTERNAL_IPS, flowPortArb, tieredClusterArb } from "../../arbitraries.ts";
import type { Scenario } from "../plan.ts";

export const RANDOM_SEED = 20261204;

/** `count` random scenarios (two tiered clusters for every NetworkPolicy-only one). */
export function randomScenarios(count: number, seed = RANDOM_SEED): Scenario[] {
  const arb = fc.tuple(
    fc.oneof({ weight: 2, arbitrary: tieredClusterArb }, { weight: 1, arbitrary: clusterArb }),
    fc.uniqueArray(flowPortArb, {
      minLength: 2,
      maxLength: 3,
      selector: (p) => `${p.protocol}/${p.port}`,
    }),
  );
  return fc.sample(arb, { seed, numRuns: count }).map(([cluster, ports], i) => ({
    name: `random #${i} (seed ${seed})`,
    cluster,
    ports,
    externals: EXTERNAL_IPS,
  }));
}
