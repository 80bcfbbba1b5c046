// A pod put or taken out by a splice (issue 14, docs/decisions.md #73, #75): with a twin, one
// endpoint inserted as its copy or removed (splice-pod.ts); a pod added without one takes its ids
// role by role (role-sources.ts). What `applyChange` (compile-state.ts) builds on the way — the
// selector index, the address counts — it hands on in a `Memo`.
import { refoldNamespace } from "../engine/pack-refold.ts";
import { insertRecord, removeRecord } from "../engine/pack-splice.ts";
import type { PolicyTable } from "../engine/policy-table.ts";
import type { Cluster, Diagnostic, Pod } from "../model/types.ts";
import { type AddressCounts, addressCountsOf, countsAfter } from "./address-counts.ts";
import { coveredAfter } from "./covered-pods.ts";
import { findTwin } from "./find-twin.ts";
import { numberedInOrder } from "./numbering.ts";
import { namespacePods } from "./pod-order.ts";
import { type RoleSource, roleSources } from "./role-sources.ts";
import { selectorRoles } from "./selector-roles.ts";
import { type SelectorIndex, selectorIndex } from "./selectors-seen.ts";
import { spliceOut, spliceTwin } from "./splice-pod.ts";
import type { CompileState } from "./state-types.ts";

/**
 * Whether a twin after the pod (numbering.ts) could change a diagnostic: `same-priority-overlap`
 * names the first pod two tied cluster policies share, which a pod put before its twin may become,
 * or a pod taken out before its twin may have been.
 */
export const namesFirstPod = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.code === "same-priority-overlap");

/**
 * What one `applyChange` builds on first use and hands on: the selector index (from `prior` when it
 * still holds) and the address counts of the pods the splice at hand starts from.
 */
export interface Memo {
  readonly prior: SelectorIndex | undefined;
  index: SelectorIndex | undefined;
  counts: AddressCounts | undefined;
}
export const indexOf = (memo: Memo, cluster: Cluster): SelectorIndex =>
  (memo.index = selectorIndex(cluster, memo.index ?? memo.prior));

/**
 * One endpoint spliced in (`sign` 1: `pod` at index `at` of `cluster.pods`) or out (−1: `pod` at
 * index `at` of the state's pods), when it has a twin — or, added, when it takes its ids role by
 * role (`byRoles`); else undefined (compile).
 */
export function spliceEndpoint(
  state: CompileState,
  cluster: Cluster,
  memo: Memo,
  pod: Pod,
  at: number,
  sign: 1 | -1,
): PolicyTable | undefined {
  const { ir, diagnostics } = state.table;
  const adding = sign > 0;
  const counts = addressCountsOf(state.cluster.pods, memo.counts);
  memo.counts = counts;
  const selectors = (): SelectorIndex => indexOf(memo, cluster);
  const twin = findTwin(ir, state.cluster.pods, pod, at, adding ? 0 : 1, { selectors, counts });
  const roles = twin < 0 && adding ? byRoles(state, cluster, selectors(), counts, pod, at) : undefined;
  const source = roles?.twin ?? twin;
  if (source < 0) return undefined;
  // A source after the pod: the pod may be (or have been) the first of a group or class
  // (numbering.ts), or the first pod a diagnostic names.
  const afterIt =
    roles !== undefined ? roles.sources.some((s) => s.some((q) => q >= at)) : adding ? twin >= at : twin > at;
  if (afterIt && namesFirstPod(diagnostics)) return undefined;
  const next = adding ? spliceTwin(ir, cluster, pod, at, source, roles?.sources) : spliceOut(ir, cluster, at);
  if (afterIt && !numberedInOrder(next)) return undefined;
  const rewritten = coveredAfter(diagnostics, pod, sign);
  if (rewritten === undefined) return undefined;
  memo.counts = countsAfter(counts, cluster.pods, pod, sign);
  if (!adding) return state.table.withView(next, rewritten, (packed, n) => removeRecord(packed, n, at));
  // Taken role by role, the pod's group rows and same-namespace class are its sources', not the
  // twin's record's: its namespace is folded anew.
  const ns = next.namespaces.indexOf(pod.namespace);
  return state.table.withView(next, rewritten, (packed, n) => {
    const grown = insertRecord(next, packed, n, at, source);
    return roles === undefined ? grown : refoldNamespace(grown, next, ns);
  });
}

/**
 * Where a pod added without a twin takes its ids role by role (decision #75): its global classes,
 * node and address facts from a twin under the global label peers alone (find-twin.ts), its groups
 * and local classes from pods of its namespace the subject selectors and the local peers read
 * alike (role-sources.ts). Undefined where a role has no such pod.
 */
function byRoles(
  state: CompileState,
  cluster: Cluster,
  selectors: SelectorIndex,
  counts: AddressCounts,
  pod: Pod,
  at: number,
): { readonly twin: number; readonly sources: readonly RoleSource[] } | undefined {
  const { ir } = state.table;
  const pods = state.cluster.pods;
  const roles = selectorRoles(cluster, selectors, pod.namespace);
  const twin = findTwin(ir, pods, pod, at, 0, { selectors: () => selectors, counts, labels: roles.global });
  if (twin < 0) return undefined;
  const [first, end] = namespacePods(pods, pod.namespace);
  const query = {
    ir,
    pods,
    first,
    end,
    labels: pod.labels,
    ports: pod.ports,
    fitsGlobal: (_: boolean, q: number) => q === twin,
  };
  const sources = roleSources(query, roles, selectors);
  return sources === undefined ? undefined : { twin, sources };
}
