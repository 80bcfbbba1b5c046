// Greedy minimisation of one differential counterexample (a cluster and one flow), beyond what
// fast-check's shrinking reaches through `chain`: drop objects, rules, peers, ports, labels and
// optional fields, and simplify selectors, as long as the same disagreement stays. Every step keeps
// the model valid (required fields stay, lists that must be non-empty stay so), then `makeCluster`
// re-canonicalises.
import { labelMap, makeCluster } from "../../src/model/cluster.ts";
import type { Flow } from "../../src/model/flow.ts";
import type { Cluster, LabelSelector, Labels } from "../../src/model/types.ts";

type Mutable = Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Back to a canonical model: null-prototype label maps, sorted lists, namespace labels. */
function rebuild(raw: Cluster): Cluster {
  const labels = (l: Labels): Labels => labelMap(Object.entries(l));
  const sel = (s: LabelSelector): LabelSelector =>
    s.matchLabels === undefined ? s : { ...s, matchLabels: labels(s.matchLabels) };
  const fixSelectors = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(fixSelectors);
    if (x === null || typeof x !== "object") return x;
    const o = x as Mutable;
    const out: Mutable = {};
    for (const [k, v] of Object.entries(o)) out[k] = fixSelectors(v);
    if ("matchLabels" in out) return sel(out as LabelSelector);
    return out;
  };
  return makeCluster({
    namespaces: raw.namespaces.map((n) => ({ name: n.name, labels: labels(n.labels) })),
    pods: raw.pods.map((p) => ({ ...p, labels: labels(p.labels) })),
    networkPolicies: fixSelectors(raw.networkPolicies) as Cluster["networkPolicies"],
    nodes: raw.nodes.map((n) => ({ ...n, labels: labels(n.labels) })),
    clusterNetworkPolicies: fixSelectors(raw.clusterNetworkPolicies) as Cluster["clusterNetworkPolicies"],
  });
}

/** Every candidate one step smaller than `c` (as plain JSON clones). */
function* candidates(c: Cluster, flow: Flow): Generator<Cluster> {
  const named = new Set([flow.from, flow.to]);
  const base = (): Mutable => clone(c) as unknown as Mutable;
  const lists = ["pods", "networkPolicies", "clusterNetworkPolicies", "nodes", "namespaces"] as const;
  for (const key of lists)
    for (let i = 0; i < c[key].length; i++) {
      const x = c[key][i] as { namespace?: string; name: string };
      if (key === "pods" && named.has(`${x.namespace}/${x.name}`)) continue;
      const d = base();
      (d[key] as unknown[]).splice(i, 1);
      yield d as unknown as Cluster;
    }
  // Everything below walks the JSON tree and applies local simplifications.
  const d0 = base();
  const paths: { path: (string | number)[]; value: unknown }[] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    paths.push({ path, value: v });
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], [...path, i]);
    } else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v as Mutable)) walk(x, [...path, k]);
  };
  walk(d0, []);
  const at = (root: Mutable, path: (string | number)[]): unknown =>
    path.reduce<unknown>((o, k) => (o as Mutable)[k as string], root);
  const edit = (path: (string | number)[], f: (parent: Mutable, key: string | number) => boolean) => {
    const d = base();
    const parent = at(d, path.slice(0, -1)) as Mutable;
    return f(parent, path[path.length - 1]!) ? (d as unknown as Cluster) : undefined;
  };
  const OPTIONAL = new Set(["hostIP", "hostIPs", "nodeName", "except", "matchExpressions", "matchLabels"]);
  for (const { path, value } of paths) {
    const key = path[path.length - 1];
    if (typeof key === "string" && OPTIONAL.has(key)) {
      // `hostIPs` starts with `hostIP`: without the one, not the other.
      const r = edit(path, (p, k) => delete p[k as string] && (k !== "hostIP" || delete p.hostIPs));
      if (r) yield r;
    }
    // Rule names and ports (every port) of admin rules; `from`/`to`/`ports` of NetworkPolicy rules.
    const adminRuleField = path[0] === "clusterNetworkPolicies" && path.length === 5;
    const npRuleField = path[0] === "networkPolicies" && path.length === 6;
    if (
      (adminRuleField && (key === "name" || key === "ports")) ||
      (npRuleField && (key === "ports" || key === "from" || key === "to"))
    ) {
      const r = edit(path, (p, k) => delete p[k as string]);
      if (r) yield r;
    }
    // Drop list items: rules, peers (an admin rule keeps one), ports, addresses, except entries,
    // requirements, values (In/NotIn keep one), policyTypes (keep one).
    if (Array.isArray(value))
      for (let i = 0; i < value.length; i++) {
        const keepOne =
          key === "values" ||
          key === "policyTypes" ||
          key === "except" ||
          key === "networks" ||
          (key === "peers" && path[0] === "clusterNetworkPolicies");
        if (keepOne && value.length === 1) continue;
        // `hostIPs` starts with `hostIP` (the model's invariant).
        if (key === "hostIPs" && i === 0) continue;
        if (path.length === 1) continue; // the top-level lists: done above
        const r = edit([...path, i], (p, k) => {
          (p as unknown as unknown[]).splice(k as number, 1);
          return true;
        });
        if (r) yield r;
      }
    // Label maps: drop a label (not a namespace's name label; not a node's hostname).
    if (key === "labels" && value !== null && typeof value === "object")
      for (const l of Object.keys(value as Mutable)) {
        if (l === "kubernetes.io/metadata.name") continue;
        const r = edit([...path, l], (p, k) => delete p[k as string]);
        if (r) yield r;
      }
    if (key === "matchLabels" && value !== null && typeof value === "object")
      for (const l of Object.keys(value as Mutable)) {
        const r = edit([...path, l], (p, k) => delete p[k as string]);
        if (r) yield r;
      }
    // A selector or peer simplified to `{}` (selectors: every object; peers of NetworkPolicies keep a field).
    const isSelector =
      key === "podSelector" || key === "namespaceSelector" || key === "namespaces" || key === "nodes";
    const nonEmptyObject =
      value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0;
    if (isSelector && path.length > 1 && nonEmptyObject) {
      const r = edit(path, (p, k) => {
        p[k as string] = {};
        return true;
      });
      if (r) yield r;
    }
    // A range narrowed to one port.
    if (value !== null && typeof value === "object" && "start" in (value as Mutable)) {
      const v = value as { start: number; end: number };
      if (v.start !== v.end) {
        const r = edit(path, (p, k) => {
          (p as Mutable)[k as string] = { ...v, end: v.start };
          return true;
        });
        if (r) yield r;
      }
    }
    if (key === "priority" && value !== 0) {
      const r = edit(path, (p, k) => {
        p[k as string] = 0;
        return true;
      });
      if (r) yield r;
    }
  }
}

/**
 * The smallest cluster reachable by single steps on which `stillFails(cluster)` holds, starting
 * from `cluster` (which must fail). `stillFails` gets canonical clusters; exceptions count as no.
 */
export function minimize(cluster: Cluster, flow: Flow, stillFails: (c: Cluster) => boolean): Cluster {
  let current = cluster;
  let currentText = JSON.stringify(current);
  let progress = true;
  let budget = 20000;
  while (progress && budget > 0) {
    progress = false;
    for (const raw of candidates(current, flow)) {
      if (--budget <= 0) break;
      let next: Cluster;
      try {
        next = rebuild(raw);
      } catch {
        continue;
      }
      const text = JSON.stringify(next);
      // Not smaller (e.g. a namespace removed comes back as an implicit one): no step.
      if (text.length >= currentText.length) continue;
      let fails = false;
      try {
        fails = stillFails(next);
      } catch {
        fails = false;
      }
      if (fails) {
        current = next;
        currentText = text;
        progress = true;
        break;
      }
    }
  }
  return current;
}
