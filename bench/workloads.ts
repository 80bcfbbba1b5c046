// Named workloads for the tools that take a name on the command line (compile-passes.ts,
// sparse-query-prototype.ts): the clusters of core-10k, admin-10k (with its 200 cluster
// policies), the hostile variants (generate-hostile.ts) and every scale scenario of scales.ts
// (S … adversarial-admin), with their flows.
import { makeCluster } from "../src/model/cluster.ts";
import type { Flow } from "../src/model/flow.ts";
import type { Cluster } from "../src/model/types.ts";
import { generateCluster, generateFlows } from "./generate.ts";
import { generateHostileCluster, generateHostileFlows, hostileOptions } from "./generate-hostile.ts";
import { generateClusterPolicies, generateNodes } from "./generate-tiers.ts";
import { SCALE_NAMES, scaleSpec } from "./scales.ts";

/** bench/scenarios/core-10k.ts and admin-10k.ts. */
export const CORE_10K = {
  namespaces: 1000,
  podsPerNamespace: 10,
  policiesPerNamespace: 5,
  seed: 20240601,
} as const;
export const ADMIN_10K_POLICIES = { count: 200, seed: 20240611 } as const;

/** A named workload and its flows: core-10k, admin-10k, or a hostile variant (`hostileOptions`). */
export function workload(name: string): { cluster: Cluster; flows: (count: number, seed: number) => Flow[] } {
  const hostile = hostileOptions(name);
  if (hostile !== undefined) {
    const cluster = generateHostileCluster(hostile);
    return { cluster, flows: (n, seed) => generateHostileFlows(hostile, cluster, n, seed) };
  }
  if (SCALE_NAMES.includes(name)) {
    const cluster = scaleSpec(name).build();
    return { cluster, flows: (n, seed) => generateFlows(cluster, n, seed) };
  }
  const c = generateCluster(CORE_10K);
  const flows = (n: number, seed: number): Flow[] => generateFlows(c, n, seed);
  if (name === "core-10k") return { cluster: c, flows };
  if (name === "admin-10k")
    return {
      cluster: makeCluster({
        namespaces: c.namespaces,
        pods: c.pods,
        networkPolicies: c.networkPolicies,
        nodes: generateNodes(20, CORE_10K.seed + 2), // as tier-scenario.ts
        clusterNetworkPolicies: generateClusterPolicies(
          ADMIN_10K_POLICIES.count,
          CORE_10K.namespaces,
          ADMIN_10K_POLICIES.seed,
        ),
      }),
      flows,
    };
  throw new Error(
    `unknown workload ${name} (core-10k, admin-10k, hostile-<n>, hostile-<n>x<m>, hostile-pairs-<n>, ${SCALE_NAMES.join(", ")})`,
  );
}
