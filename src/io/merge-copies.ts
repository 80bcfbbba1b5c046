import { NAMESPACE_NAME_LABEL } from "../model/cluster.ts";
import type { InputIssue } from "../model/input-error.ts";
import type { ClusterNetworkPolicy, Diagnostic, Namespace, NetworkPolicy, Node } from "../model/types.ts";
import { quote } from "./describe-value.ts";
import type { ReadPod, ReadValue, ReadWorkload } from "./read-types.ts";

/** Where an object sits: file, 1-based document, and the `items` indices of the Lists around it. */
export interface Place {
  readonly file: string;
  readonly document: number;
  readonly items: readonly number[];
  /** `file (document N items[i])`, for messages. */
  readonly text: string;
}

/** One read copy of an object. */
export interface Copy {
  readonly kind: string;
  readonly value: ReadValue;
  /** Canonical JSON of `value`: equal for equal content. */
  readonly key: string;
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly place: Place;
}

/**
 * Canonical order of places: file name, then document, then List item. Which copy is "the first",
 * and which use of a namespace is named, must not depend on the order the files were given in:
 * the same input in any order gives the same report.
 */
export function comparePlaces(a: Place, b: Place): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.document !== b.document) return a.document - b.document;
  for (let i = 0; i < Math.min(a.items.length, b.items.length); i++)
    if (a.items[i] !== b.items[i]) return a.items[i]! - b.items[i]!;
  return a.items.length - b.items.length;
}

/** What the copies make: one value per object, and the reports about copies and namespaces. */
export interface Merged {
  readonly namespaces: Namespace[];
  readonly networkPolicies: NetworkPolicy[];
  readonly nodes: Node[];
  readonly clusterNetworkPolicies: ClusterNetworkPolicy[];
  /** Pods as read (phase and direct controller): `resolveEndpoints` makes the endpoints. */
  readonly pods: ReadPod[];
  readonly workloads: ReadWorkload[];
  readonly issues: InputIssue[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Merge the copies of each object (decisions.md #14): the canonically first copy is kept; an
 * identical later copy gets a `duplicate-object` diagnostic, a differing one a `duplicate-object`
 * issue, each naming the first. Then one `implicit-namespace` diagnostic per namespace a pod or
 * policy uses but no Namespace defines, naming its canonically first use.
 */
export function mergeCopies(copiesById: ReadonlyMap<string, readonly Copy[]>): Merged {
  const out: Merged = {
    namespaces: [],
    pods: [],
    networkPolicies: [],
    nodes: [],
    clusterNetworkPolicies: [],
    workloads: [],
    issues: [],
    diagnostics: [],
  };
  const firstUse = new Map<string, Place>();
  for (const copies of copiesById.values()) {
    const [first, ...rest] = [...copies].sort((a, b) => comparePlaces(a.place, b.place));
    for (const c of rest) {
      const base = { code: "duplicate-object", object: c.object, file: c.place.file };
      if (c.key === first!.key)
        out.diagnostics.push({
          ...base,
          severity: "info",
          message: `identical copy of ${c.object} (first in ${first!.place.text}) merged`,
        });
      else
        out.issues.push({
          ...base,
          message: `${c.object} is defined twice with different content: in ${first!.place.text} and in ${c.place.text}`,
        });
    }
    const { kind, value, place } = first!;
    if (kind === "Namespace") {
      out.namespaces.push(value as Namespace);
      continue;
    }
    if (kind === "Node") {
      out.nodes.push(value as Node);
      continue;
    }
    if (
      kind === "ClusterNetworkPolicy" ||
      kind === "AdminNetworkPolicy" ||
      kind === "BaselineAdminNetworkPolicy"
    ) {
      out.clusterNetworkPolicies.push(value as ClusterNetworkPolicy);
      continue;
    }
    if (kind === "Pod") out.pods.push(value as ReadPod);
    else if (kind === "NetworkPolicy") out.networkPolicies.push(value as NetworkPolicy);
    else out.workloads.push(value as ReadWorkload);
    const ns = (value as ReadPod | NetworkPolicy | ReadWorkload).namespace;
    const before = firstUse.get(ns);
    if (before === undefined || comparePlaces(place, before) < 0) firstUse.set(ns, place);
  }
  const defined = new Set(out.namespaces.map((n) => n.name));
  for (const [name, place] of [...firstUse].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (defined.has(name)) continue;
    out.diagnostics.push({
      severity: "info",
      code: "implicit-namespace",
      object: `Namespace ${name}`,
      file: place.file,
      message: `namespace ${quote(name)} has no Namespace object (first used in ${place.text}); assumed with only the label ${NAMESPACE_NAME_LABEL}`,
    });
  }
  return out;
}
