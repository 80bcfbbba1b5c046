import { InputError } from "../model/input-error.ts";
import type { Cluster } from "../model/types.ts";

/**
 * Cells a compiled table may hold (dense global cells, sparse exceptions and local cells of both
 * directions): 2²⁵, 128 MB of cells. The table grows with what the rules say (docs/hostile-case.md),
 * so only an input whose rules really single out that many (subject, peer) pairs reaches it; it is
 * refused as soon as it does, with an input error naming a policy of the subject that passed it —
 * not after minutes, not with an internal error (docs/decisions.md #33).
 */
export const DEFAULT_CELL_BUDGET: number = 1 << 25;

/** What is left of the budget while the directions are built. */
export interface CellBudget {
  /** Count `n` more cells for a block of the group selected by these policies; throws past the budget. */
  take(
    n: number,
    direction: "egress" | "ingress",
    policies: readonly number[],
    clusterPolicies: readonly number[],
  ): void;
}

export function createCellBudget(cluster: Cluster, limit: number = DEFAULT_CELL_BUDGET): CellBudget {
  let used = 0;
  return {
    take(n, direction, policies, clusterPolicies) {
      used += n;
      if (used <= limit) return;
      const np = policies[0] === undefined ? undefined : cluster.networkPolicies[policies[0]];
      const cp =
        clusterPolicies[0] === undefined ? undefined : cluster.clusterNetworkPolicies[clusterPolicies[0]];
      const object =
        np !== undefined
          ? `NetworkPolicy ${np.namespace}/${np.name}`
          : cp !== undefined
            ? `${cp.kind} ${cp.name}`
            : undefined;
      const others = policies.length + clusterPolicies.length - 1;
      throw new InputError([
        {
          code: "table-too-large",
          ...(object === undefined ? {} : { object }),
          path: `spec.${direction}`,
          message:
            `the compiled table would pass its budget of ${limit.toLocaleString("en-US")} cells while building the ${direction} ` +
            `rules of the pods this policy${others > 0 ? ` and ${others} other${others > 1 ? "s" : ""}` : ""} select: ` +
            "the rules single out more (subject, peer) pairs than the budget allows (compile option cellBudget)",
        },
      ]);
    },
  };
}
