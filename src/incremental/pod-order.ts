// Pods by position: the model keeps them in (namespace, name) order, a name's Pod before its
// workload templates (model/cluster.ts), so a pod, or a namespace's pods, are found by binary search.
import type { Pod } from "../model/types.ts";

/** The first index whose pod sorts at or after (`namespace`, `name`); without a name, after every pod of the namespace. */
function lowerBound(pods: readonly Pod[], namespace: string, name?: string): number {
  let lo = 0;
  let hi = pods.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = pods[mid]!;
    if (p.namespace < namespace || (p.namespace === namespace && (name === undefined || p.name < name)))
      lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the pod (not a workload template) of that name, or −1. */
export function podIndex(pods: readonly Pod[], namespace: string, name: string): number {
  const at = lowerBound(pods, namespace, name);
  const p = pods[at];
  return p !== undefined && p.namespace === namespace && p.name === name && p.workload === undefined
    ? at
    : -1;
}

/** `[first, end)`: the indices of the pods of `namespace`. */
export function namespacePods(pods: readonly Pod[], namespace: string): readonly [number, number] {
  return [lowerBound(pods, namespace, ""), lowerBound(pods, namespace)];
}
