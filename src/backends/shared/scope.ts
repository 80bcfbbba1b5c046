// What a backend renders for a scope: the pods it writes subject rules for (all, or one node's)
// and the groups of each direction those pods are in.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import { type RenderGroup, type RenderPod, renderGroups, renderPods } from "../../ir/read-render.ts";
import type { BackendRenderOptions } from "../contract.ts";

export interface RenderScope {
  /** Every renderable pod (peers). */
  readonly pods: readonly RenderPod[];
  /** The pods whose own policies are rendered (all, or those on `options.node`). */
  readonly subjects: readonly RenderPod[];
  /** Per direction (0 egress, 1 ingress): the groups of the subjects. */
  readonly groups: readonly [readonly RenderGroup[], readonly RenderGroup[]];
}

export function renderScope(ir: PolicyTableIR, options: BackendRenderOptions): RenderScope {
  const pods = renderPods(ir);
  const subjects = options.node === undefined ? pods : pods.filter((p) => p.node === options.node);
  let groups: RenderScope["groups"] | undefined;
  return {
    pods,
    subjects,
    // Computed on first use: a backend that renders the shared form (renderDirection) never needs it.
    get groups() {
      groups ??= [renderGroups(ir, EGRESS, subjects), renderGroups(ir, INGRESS, subjects)];
      return groups;
    },
  };
}
