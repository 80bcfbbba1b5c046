// Field names of networking.k8s.io/v1 NetworkPolicySpec and everything under it. Under `spec` a
// misspelt field changes the meaning silently (`form:` instead of `from:` allows every peer), so
// each one is an error, as kubectl's default strict field validation makes it.

import { quote } from "./describe-value.ts";
import { didYouMean } from "./did-you-mean.ts";

/** The fields an object has: `null` for a leaf, a shape for an object, `[shape]` for a list of objects. */
export type Shape = { readonly [field: string]: Shape | readonly [Shape] | null };

/** `metav1.LabelSelector`. */
export const SELECTOR: Shape = {
  matchLabels: null,
  matchExpressions: [{ key: null, operator: null, values: null }],
};
const PORT: Shape = { protocol: null, port: null, endPort: null };
const PEER: Shape = {
  podSelector: SELECTOR,
  namespaceSelector: SELECTOR,
  ipBlock: { cidr: null, except: null },
};
const SPEC: Shape = {
  podSelector: SELECTOR,
  policyTypes: null,
  ingress: [{ from: [PEER], ports: [PORT] }],
  egress: [{ to: [PEER], ports: [PORT] }],
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A field `shape` does not have: its path (segments, relative to the value) and the fields known there. */
export interface UnknownField {
  readonly path: readonly (string | number)[];
  readonly known: readonly string[];
}

/**
 * The fields of `value` that `shape` does not have. The walk follows only the known, bounded
 * shape, so it is cheap and cannot recurse on hostile input.
 *
 * @example
 * unknownFields({ matchLabels: {}, matchLabel: {} }, SELECTOR)
 * // [{ path: ["matchLabel"], known: ["matchLabels", "matchExpressions"] }]
 */
export function unknownFields(value: unknown, shape: Shape): UnknownField[] {
  const found: UnknownField[] = [];
  const walk = (value: unknown, shape: Shape, path: (string | number)[]): void => {
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (!Object.hasOwn(shape, key)) {
        found.push({ path: [...path, key], known: Object.keys(shape) });
        continue;
      }
      const sub = shape[key];
      if (sub === null || sub === undefined) continue;
      if (Array.isArray(sub)) {
        if (Array.isArray(child))
          child.forEach((item, i) => {
            walk(item, sub[0] as Shape, [...path, key, i]);
          });
      } else walk(child, sub as Shape, [...path, key]);
    }
  };
  walk(value, shape, []);
  return found;
}

/** The top-level fields of an API object (`status` is read-only but `kubectl get` prints it). */
export const OBJECT_FIELDS: readonly string[] = ["apiVersion", "kind", "metadata", "spec", "status"];

/**
 * The fields of a NetworkPolicy object that no NetworkPolicy has, at the top level and under
 * `spec` (paths from the object's root). `metadata` and `status` are not walked.
 *
 * @example
 * unknownNetworkPolicyFields({ spec: { podSelector: {}, ingress: [{ form: [] }] } })[0].path // ["spec", "ingress", 0, "form"]
 */
export function unknownNetworkPolicyFields(object: Record<string, unknown>): UnknownField[] {
  const top = Object.keys(object)
    .filter((k) => !OBJECT_FIELDS.includes(k))
    .map((k) => ({ path: [k], known: OBJECT_FIELDS }));
  const spec = unknownFields(object.spec, SPEC).map((f) => ({ ...f, path: ["spec", ...f.path] }));
  return [...top, ...spec];
}

/** `unknown field "x"` and, when a known one is near, `; did you mean "y"?`. */
export function unknownFieldText(field: UnknownField): string {
  const name = String(field.path[field.path.length - 1]);
  const near = didYouMean(name, field.known);
  return `unknown field ${quote(name)}${near === undefined ? "" : ` (did you mean ${quote(near)}?)`}`;
}
