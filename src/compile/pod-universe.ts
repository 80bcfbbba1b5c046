import type { Cluster, LabelSelector } from "../model/types.ts";
import { IntSeqInterner, sortSmall } from "./int-seq-interner.ts";
import { buildLabelIndex, type LabelIndex, type SelectorKeys } from "./label-index.ts";

/**
 * The label side of the cluster, interned: namespaces and the distinct pod label sets each get a
 * label index, pods point at their label set and namespace, and selectors are interned to small
 * integer ids (by canonical text) whose results are computed once per compile.
 */
export interface PodUniverse {
  readonly namespaceOf: ReadonlyMap<string, number>;
  readonly namespaceIndex: LabelIndex;
  /** Per pod: id of its (distinct) label set. */
  readonly labelSetOf: Int32Array;
  readonly podIndex: LabelIndex;
  /** Per pod: its namespace index. */
  readonly podNamespace: Int32Array;
  /** Pods of namespace `n`, ascending: `nsPods[nsPodStart[n] … nsPodStart[n + 1])`. */
  readonly nsPodStart: Int32Array;
  readonly nsPods: Int32Array;
  /** Id of a pod selector (equal canonical text ⇔ equal id). */
  podSelectorId(selector: LabelSelector): number;
  /** Membership (1 = selected) over label-set ids of pod selector `id`. */
  podMember(id: number): Uint8Array;
  /** Id of a namespace selector (its own id space). */
  namespaceSelectorId(selector: LabelSelector): number;
  /** Sorted namespace indices namespace selector `id` selects. */
  selectedNamespaces(id: number): readonly number[];
}

export function buildPodUniverse(cluster: Cluster, selectorKey: SelectorKeys): PodUniverse {
  const { pods, namespaces } = cluster;
  const P = pods.length;
  const N = namespaces.length;
  const namespaceOf = new Map(namespaces.map((ns, i) => [ns.name, i]));
  const namespaceIndex = buildLabelIndex(
    namespaces.map((ns) => ns.labels),
    selectorKey,
  );

  // Distinct label sets: each (key, value) pair gets an integer id (two-level map, so no string is
  // built per label), a pod's set is its sorted pair ids, interned.
  const pairIds = new Map<string, Map<string, number>>();
  const sets = new IntSeqInterner();
  const setLabels: (typeof pods)[number]["labels"][] = [];
  const labelSetOf = new Int32Array(P);
  const podNamespace = new Int32Array(P);
  const nsPodStart = new Int32Array(N + 1);
  let pairs = new Int32Array(8);
  let pairCount = 0;
  for (let i = 0; i < P; i++) {
    const pod = pods[i]!;
    const labels = pod.labels;
    let n = 0;
    // for-in walks the object's enumeration cache; Object.keys would allocate an array per pod.
    for (const key in labels) {
      if (!Object.hasOwn(labels, key)) continue;
      let byValue = pairIds.get(key);
      if (byValue === undefined) pairIds.set(key, (byValue = new Map()));
      const value = labels[key]!;
      let id = byValue.get(value);
      if (id === undefined) byValue.set(value, (id = pairCount++));
      if (n === pairs.length) {
        const next = new Int32Array(n * 2);
        next.set(pairs);
        pairs = next;
      }
      pairs[n++] = id;
    }
    sortSmall(pairs, n);
    const before = sets.size;
    const set = sets.internList(pairs, 0, n);
    if (set === before) setLabels.push(labels);
    labelSetOf[i] = set;
    const ns = namespaceOf.get(pod.namespace)!;
    podNamespace[i] = ns;
    nsPodStart[ns + 1]!++;
  }
  for (let n = 0; n < N; n++) nsPodStart[n + 1]! += nsPodStart[n]!;
  const nsPods = new Int32Array(P);
  const fill = nsPodStart.slice(0, N);
  for (let i = 0; i < P; i++) nsPods[fill[podNamespace[i]!]!++] = i;

  const podIndex = buildLabelIndex(setLabels, selectorKey);
  const podIds = new Map<string, number>();
  const members: Uint8Array[] = [];
  const nsIds = new Map<string, number>();
  const selected: (readonly number[])[] = [];
  return {
    namespaceOf,
    namespaceIndex,
    labelSetOf,
    podIndex,
    podNamespace,
    nsPodStart,
    nsPods,
    podSelectorId(selector) {
      const key = selectorKey(selector);
      let id = podIds.get(key);
      if (id === undefined) {
        id = members.length;
        const m = new Uint8Array(setLabels.length);
        for (const s of podIndex.select(selector)) m[s] = 1;
        members.push(m);
        podIds.set(key, id);
      }
      return id;
    },
    podMember: (id) => members[id]!,
    namespaceSelectorId(selector) {
      const key = selectorKey(selector);
      let id = nsIds.get(key);
      if (id === undefined) {
        id = selected.length;
        selected.push(namespaceIndex.select(selector));
        nsIds.set(key, id);
      }
      return id;
    },
    selectedNamespaces: (id) => selected[id]!,
  };
}
