import { freeze, produce } from "immer";
import type { Cluster, ClusterNetworkPolicy, Labels, Namespace, NetworkPolicy, Node, Pod } from "./types.ts";

/** The label every namespace carries (Kubernetes ≥ 1.21 sets it on every Namespace object). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** What `makeCluster` accepts: the three lists, in any order. */
export interface ClusterInput {
  readonly namespaces?: readonly Namespace[];
  readonly pods?: readonly Pod[];
  readonly networkPolicies?: readonly NetworkPolicy[];
  readonly nodes?: readonly Node[];
  readonly clusterNetworkPolicies?: readonly ClusterNetworkPolicy[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
type Named = { readonly namespace: string; readonly name: string; readonly workload?: string };
/** Pods and workload endpoints of one name: the Pod first, then workloads by kind. */
const byNamespacedName = (a: Named, b: Named): number =>
  cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.workload ?? "", b.workload ?? "");

const TIER_ORDER = { Admin: 0, Baseline: 1 } as const;

/**
 * The evaluation order of admin/baseline policies (DESIGN §1): tier (Admin first), priority
 * (lower first), then — equal priorities being implementation-defined — name, then kind
 * (docs/decisions.md #25). `Cluster.clusterNetworkPolicies` is sorted by it.
 *
 * @example
 * [b, a].sort(compareClusterPolicies); // a first when a.priority < b.priority in the same tier
 */
export function compareClusterPolicies(a: ClusterNetworkPolicy, b: ClusterNetworkPolicy): number {
  return (
    TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
    a.priority - b.priority ||
    cmp(a.name, b.name) ||
    cmp(a.kind, b.kind)
  );
}

/**
 * A null-prototype copy of a label map (so that `__proto__` or `constructor` are ordinary keys).
 *
 * @example
 * labelMap([["constructor", "x"]]).constructor; // "x" (a label, not Object)
 * Object.getPrototypeOf(labelMap({ app: "web" })); // null
 */
export function labelMap(labels: Labels | Iterable<readonly [string, string]>): Labels {
  const out = Object.create(null) as Record<string, string>;
  const entries = Symbol.iterator in labels ? labels : Object.entries(labels);
  for (const [k, v] of entries as Iterable<readonly [string, string]>) out[k] = v;
  return out;
}

/** The namespace's labels with `kubernetes.io/metadata.name: <name>` (the API server always sets it). */
function namespaceLabels(name: string, labels: Labels): Labels {
  const out = labelMap(labels);
  (out as Record<string, string>)[NAMESPACE_NAME_LABEL] = name;
  return out;
}

/**
 * Build a canonical `Cluster` from lists in any order: namespaces sorted by name, pods and policies
 * by namespace then name, every namespace labelled `kubernetes.io/metadata.name`, and an implicit
 * namespace (labelled only with its name) for every namespace a pod or policy names but no
 * `Namespace` defines. Later duplicates (same namespace/name) replace earlier ones.
 *
 * @example
 * const cluster = makeCluster({ pods: [{ namespace: "x", name: "a", labels: {}, ports: [], hostNetwork: false, podIPs: [] }] });
 * cluster.namespaces; // [{ name: "x", labels: { "kubernetes.io/metadata.name": "x" } }]
 */
export function makeCluster(input: ClusterInput): Cluster {
  const namespaces = new Map<string, Namespace>();
  for (const ns of input.namespaces ?? [])
    namespaces.set(ns.name, { name: ns.name, labels: namespaceLabels(ns.name, ns.labels) });
  const dedupe = <T extends Named>(list: readonly T[]): T[] => {
    const m = new Map<string, T>();
    for (const x of list) m.set(`${x.namespace}\u0000${x.name}\u0000${x.workload ?? ""}`, x);
    return [...m.values()].sort(byNamespacedName);
  };
  const pods = dedupe(input.pods ?? []);
  const networkPolicies = dedupe(input.networkPolicies ?? []);
  for (const o of [...pods, ...networkPolicies])
    if (!namespaces.has(o.namespace))
      namespaces.set(o.namespace, { name: o.namespace, labels: namespaceLabels(o.namespace, {}) });
  const nodes = new Map<string, Node>();
  for (const n of input.nodes ?? []) nodes.set(n.name, n);
  const cnps = new Map<string, ClusterNetworkPolicy>();
  for (const p of input.clusterNetworkPolicies ?? []) cnps.set(`${p.kind}\u0000${p.name}`, p);
  return {
    namespaces: [...namespaces.values()].sort((a, b) => cmp(a.name, b.name)),
    pods,
    networkPolicies,
    nodes: [...nodes.values()].sort((a, b) => cmp(a.name, b.name)),
    clusterNetworkPolicies: [...cnps.values()].sort(compareClusterPolicies),
  };
}

/** Insert or replace `item` in a list sorted by (namespace, name). */
function upsertSorted<T extends Named>(list: T[], item: T): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byNamespacedName(list[mid]!, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < list.length && byNamespacedName(list[lo]!, item) === 0) list[lo] = item;
  else list.splice(lo, 0, item);
}

/** Insert or replace an object in a list sorted by name (namespaces, nodes). */
export function putByName<T extends { readonly name: string }>(list: T[], item: T): void {
  const i = list.findIndex((n) => n.name >= item.name);
  if (i < 0) list.push(item);
  else if (list[i]!.name === item.name) list[i] = item;
  else list.splice(i, 0, item);
}

function ensureNamespace(draft: { namespaces: Namespace[] }, name: string): void {
  if (!draft.namespaces.some((n) => n.name === name))
    putByName(draft.namespaces, { name, labels: namespaceLabels(name, {}) });
}

type Draft = {
  namespaces: Namespace[];
  pods: Pod[];
  networkPolicies: NetworkPolicy[];
  nodes: Node[];
  clusterNetworkPolicies: ClusterNetworkPolicy[];
};
/** An immer update of a cluster through a mutable draft (model-internal). */
export const update = (cluster: Cluster, recipe: (d: Draft) => void): Cluster =>
  produce(cluster, (d) => {
    recipe(d as unknown as Draft);
  });

/**
 * Add a pod, or replace the pod of the same namespace/name. Creates its namespace if missing.
 *
 * @example
 * withPod(makeCluster({}), { namespace: "shop", name: "web", labels: { app: "web" }, ports: [], hostNetwork: false, podIPs: [] }).namespaces[0]?.name; // "shop"
 */
export function withPod(cluster: Cluster, pod: Pod): Cluster {
  return putNamespaced(cluster, "pods", pod);
}

type NamespacedList = "pods" | "networkPolicies";

/**
 * Put an object into its sorted list. Into an existing namespace: one sorted insert into a copy
 * of the list — an immer draft of 10,000 pods or policies costs 30–40 ms to finalise (the splice
 * drafts every element it shifts), which a controller would pay on every event.
 */
function putNamespaced<K extends NamespacedList>(
  cluster: Cluster,
  key: K,
  item: Cluster[K][number],
): Cluster {
  if (!cluster.namespaces.some((n) => n.name === item.namespace))
    return update(cluster, (d) => {
      ensureNamespace(d, item.namespace);
      upsertSorted(d[key] as Named[], item);
    });
  const list = copyOf<Named>(cluster[key]);
  upsertSorted(list, freeze(item, true));
  return Object.freeze({ ...cluster, [key]: Object.freeze(list) });
}

/**
 * A mutable copy of a (frozen) list. `Array.from`, not `slice`: on Node 20 `slice` of a frozen
 * array of 10,000 takes ~1 ms (its elements go the slow way), `Array.from` ~5 µs.
 */
function copyOf<T>(list: readonly T[]): T[] {
  return Array.from(list);
}

/** Remove the object of that namespace/name (not a workload endpoint) from its list, by a copy. */
function removeNamespaced(cluster: Cluster, key: NamespacedList, namespace: string, name: string): Cluster {
  const list: readonly Named[] = cluster[key];
  const i = list.findIndex((p) => p.namespace === namespace && p.name === name && p.workload === undefined);
  if (i < 0) return cluster;
  const copy = copyOf(list);
  copy.splice(i, 1);
  return Object.freeze({ ...cluster, [key]: Object.freeze(copy) });
}

/**
 * Remove a pod (no-op when there is none of that name).
 *
 * @example
 * const cluster = makeCluster({ pods: [{ namespace: "shop", name: "web", labels: { app: "web" }, ports: [], hostNetwork: false, podIPs: [] }] });
 * withoutPod(cluster, "shop", "web").pods.length; // 0
 */
export function withoutPod(cluster: Cluster, namespace: string, name: string): Cluster {
  return removeNamespaced(cluster, "pods", namespace, name);
}

/**
 * Add or replace a namespace; `kubernetes.io/metadata.name` is always set to its name.
 *
 * @example
 * withNamespace(makeCluster({}), { name: "prod", labels: { env: "prod" } }).namespaces[0]?.labels;
 * // { env: "prod", "kubernetes.io/metadata.name": "prod" }
 */
export function withNamespace(cluster: Cluster, namespace: Namespace): Cluster {
  const ns: Namespace = { name: namespace.name, labels: namespaceLabels(namespace.name, namespace.labels) };
  return update(cluster, (d) => putByName(d.namespaces, ns));
}

/**
 * Remove a namespace with every pod and policy in it (as deleting a Namespace does).
 *
 * @example
 * const cluster = makeCluster({ pods: [{ namespace: "shop", name: "web", labels: { app: "web" }, ports: [], hostNetwork: false, podIPs: [] }] });
 * withoutNamespace(cluster, "shop").pods.length; // 0
 */
export function withoutNamespace(cluster: Cluster, name: string): Cluster {
  return update(cluster, (d) => {
    d.namespaces = d.namespaces.filter((n) => n.name !== name);
    d.pods = d.pods.filter((p) => p.namespace !== name);
    d.networkPolicies = d.networkPolicies.filter((p) => p.namespace !== name);
  });
}

/**
 * Add a NetworkPolicy, or replace the one of the same namespace/name. Creates its namespace if missing.
 *
 * @example
 * withPolicy(makeCluster({}), { namespace: "shop", name: "deny-all", spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [] } }).namespaces[0]?.name; // "shop"
 */
export function withPolicy(cluster: Cluster, policy: NetworkPolicy): Cluster {
  return putNamespaced(cluster, "networkPolicies", policy);
}

/**
 * Remove a NetworkPolicy (no-op when there is none of that name).
 *
 * @example
 * const cluster = withPolicy(makeCluster({}), { namespace: "shop", name: "deny-all", spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [] } });
 * withoutPolicy(cluster, "shop", "deny-all").networkPolicies.length; // 0
 */
export function withoutPolicy(cluster: Cluster, namespace: string, name: string): Cluster {
  return removeNamespaced(cluster, "networkPolicies", namespace, name);
}

/**
 * Replace a pod's labels; throws `RangeError` when there is no such pod.
 *
 * @example
 * const cluster = makeCluster({ pods: [{ namespace: "shop", name: "web", labels: { app: "web" }, ports: [], hostNetwork: false, podIPs: [] }] });
 * withPodLabels(cluster, "shop", "web", { app: "api" }).pods[0]?.labels; // { app: "api" }
 */
export function withPodLabels(cluster: Cluster, namespace: string, name: string, labels: Labels): Cluster {
  const i = cluster.pods.findIndex(
    (p) => p.namespace === namespace && p.name === name && p.workload === undefined,
  );
  if (i < 0) throw new RangeError(`no pod ${namespace}/${name}`);
  const pods = copyOf(cluster.pods);
  pods[i] = freeze({ ...pods[i]!, labels: labelMap(labels) }, true);
  return Object.freeze({ ...cluster, pods: Object.freeze(pods) });
}

/**
 * Replace a namespace's labels (its `kubernetes.io/metadata.name` stays); throws `RangeError` when there is no such namespace.
 *
 * @example
 * withNamespaceLabels(makeCluster({ namespaces: [{ name: "prod", labels: {} }] }), "prod", { env: "prod" }).namespaces[0]?.labels;
 * // { env: "prod", "kubernetes.io/metadata.name": "prod" }
 */
export function withNamespaceLabels(cluster: Cluster, name: string, labels: Labels): Cluster {
  const i = cluster.namespaces.findIndex((n) => n.name === name);
  if (i < 0) throw new RangeError(`no namespace ${name}`);
  const namespaces = copyOf(cluster.namespaces);
  namespaces[i] = freeze({ name, labels: namespaceLabels(name, labels) }, true);
  return Object.freeze({ ...cluster, namespaces: Object.freeze(namespaces) });
}
