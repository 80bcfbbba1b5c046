// A change that leaves the cluster's content as it was: a watch's resync, or an update of fields
// the model does not keep (status, annotations, resourceVersion), arrives as a put of an object
// equal to the one held. The model's updates keep every untouched object (a list copy, or an
// immer draft's structural sharing), so comparing two clusters costs a reference test per object
// and a deep comparison of the few that differ.
import type { Cluster } from "../model/types.ts";

/** Deep equality of plain data (the model's objects): keys holding `undefined` count as absent. */
export function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as readonly unknown[];
    return a.length === y.length && a.every((v, i) => samePlain(v, y[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  const other = Object.keys(y).filter((k) => y[k] !== undefined);
  return keys.length === other.length && keys.every((k) => Object.hasOwn(y, k) && samePlain(x[k], y[k]));
}

const LISTS = ["namespaces", "pods", "networkPolicies", "nodes", "clusterNetworkPolicies"] as const;

/** Whether two clusters hold the same content, list by list and in order. */
export function sameCluster(a: Cluster, b: Cluster): boolean {
  if (a === b) return true;
  for (const list of LISTS) {
    const x: readonly unknown[] = a[list];
    const y: readonly unknown[] = b[list];
    if (x === y) continue;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !samePlain(x[i], y[i])) return false;
  }
  return true;
}
