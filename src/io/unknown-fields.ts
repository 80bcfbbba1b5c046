// Field names of networking.k8s.io/v1 NetworkPolicySpec and everything under it. Unknown fields
// are ignored, as kubectl's non-strict decoding does; but under `spec` a misspelt field changes the
// meaning silently (`form:` instead of `from:` allows every peer), so each one is reported.

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

/**
 * Paths (relative to `value`, as segments) of fields `shape` does not have. The walk follows only
 * the known, bounded shape, so it is cheap and cannot recurse on hostile input.
 *
 * @example
 * unknownFields({ matchLabels: {}, matchLabel: {} }, SELECTOR) // [["matchLabel"]]
 */
export function unknownFields(value: unknown, shape: Shape): (string | number)[][] {
  const found: (string | number)[][] = [];
  const walk = (value: unknown, shape: Shape, path: (string | number)[]): void => {
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (!Object.hasOwn(shape, key)) {
        found.push([...path, key]);
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

/**
 * Paths (relative to `spec`, as segments) of fields no NetworkPolicySpec has.
 *
 * @example
 * unknownSpecFields({ podSelector: {}, ingress: [{ form: [] }] }) // [["ingress", 0, "form"]]
 */
export function unknownSpecFields(spec: unknown): (string | number)[][] {
  return unknownFields(spec, SPEC);
}
