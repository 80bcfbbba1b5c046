// core-10k's cluster (10k pods, 5k NetworkPolicies, 20 nodes, now with Node objects) compiled and
// queried with and without 200 admin/baseline ClusterNetworkPolicies (bench/generate-tiers.ts),
// back to back in one process: what the tiers cost, as ratios.
import { runTierScenario } from "../tier-scenario.ts";

await runTierScenario({
  name: "admin-10k",
  cluster: { namespaces: 1000, podsPerNamespace: 10, policiesPerNamespace: 5, seed: 20240601 },
  clusterPolicies: 200,
  clusterPolicySeed: 20240611,
  goals: { compileRatio: 1.5, allowsIndexRatio: 1.1 },
});
