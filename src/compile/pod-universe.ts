import type { Cluster, LabelSelector, Labels } from "../model/types.ts";
import { buildLabelIndex, type LabelIndex, selectorKey } from "./label-index.ts";

/**
 * The label side of the cluster, interned: namespaces and the distinct pod label sets each get a
 * label index, pods point at their label set, and selector results are memoised.
 */
export interface PodUniverse {
  readonly namespaceOf: ReadonlyMap<string, number>;
  readonly namespaceIndex: LabelIndex;
  /** Per pod: id of its (distinct) label set. */
  readonly labelSetOf: Int32Array;
  readonly podIndex: LabelIndex;
  /** Pod indices per namespace, ascending. */
  readonly podsOfNamespace: readonly (readonly number[])[];
  /** Membership (1 = selected) over label-set ids, memoised per selector. */
  podSelectorMember(selector: LabelSelector): Uint8Array;
}

/** Canonical text of a label map. */
export function labelsKey(labels: Labels): string {
  let key = "";
  for (const k of Object.keys(labels).sort()) key += `${k}\u0000${labels[k]}\u0001`;
  return key;
}

export function buildPodUniverse(cluster: Cluster): PodUniverse {
  const namespaceOf = new Map(cluster.namespaces.map((ns, i) => [ns.name, i]));
  const namespaceIndex = buildLabelIndex(cluster.namespaces.map((ns) => ns.labels));
  const setIds = new Map<string, number>();
  const sets: Labels[] = [];
  const labelSetOf = new Int32Array(cluster.pods.length);
  const podsOfNamespace: number[][] = cluster.namespaces.map(() => []);
  cluster.pods.forEach((pod, i) => {
    const key = labelsKey(pod.labels);
    let id = setIds.get(key);
    if (id === undefined) {
      id = sets.length;
      sets.push(pod.labels);
      setIds.set(key, id);
    }
    labelSetOf[i] = id;
    podsOfNamespace[namespaceOf.get(pod.namespace)!]!.push(i);
  });
  const podIndex = buildLabelIndex(sets);
  const memo = new Map<string, Uint8Array>();
  return {
    namespaceOf,
    namespaceIndex,
    labelSetOf,
    podIndex,
    podsOfNamespace,
    podSelectorMember(selector) {
      const key = selectorKey(selector);
      let m = memo.get(key);
      if (m === undefined) {
        m = new Uint8Array(sets.length);
        for (const id of podIndex.select(selector)) m[id] = 1;
        memo.set(key, m);
      }
      return m;
    },
  };
}
