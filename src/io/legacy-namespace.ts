import * as z from "zod";
import type { Note } from "./cluster-policy-notes.ts";
import { describeValue, quote } from "./describe-value.ts";
import { duplicateJsonKey } from "./json-keys.ts";
import { ALPHA_ISOLATION_ANNOTATION, BETA_POLICY_ANNOTATION, type Isolation } from "./legacy-types.ts";
import { fail, type RefineContext } from "./zod-issues.ts";

// Namespace isolation of the seed's API (docs/legacy-api.md): an annotation on the Namespace.

export { ALPHA_ISOLATION_ANNOTATION, BETA_POLICY_ANNOTATION, type Isolation } from "./legacy-types.ts";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const PATH = (key: string): PropertyKey[] => ["metadata", "annotations", key];

function alpha(ctx: RefineContext, value: unknown): boolean | undefined {
  if (value === "on" || value === "off") return value === "on";
  const hint =
    typeof value === "boolean"
      ? " (quote it: annotation values are strings, and YAML reads unquoted on/off as booleans)"
      : "";
  fail(
    ctx,
    "invalid-annotation",
    `network isolation must be "on" or "off", got ${describeValue(value)}${hint}`,
    PATH(ALPHA_ISOLATION_ANNOTATION),
  );
  return undefined;
}

/** The beta annotation's JSON, as the proposal's NamespaceNetworkPolicy: only `ingress.isolation` means anything. */
function beta(ctx: RefineContext, value: unknown): boolean | undefined {
  const bad = (message: string): undefined => {
    fail(ctx, "invalid-annotation", message, PATH(BETA_POLICY_ANNOTATION));
    return undefined;
  };
  if (typeof value !== "string") return bad(`expected a JSON string, got ${describeValue(value)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    return bad(`not JSON: ${(e as Error).message}`);
  }
  // JSON.parse keeps the last of a repeated key silently: `{"ingress": {…DefaultDeny}, "ingress": {}}`
  // would read as not isolated.
  const dup = duplicateJsonKey(value);
  if (dup !== undefined) return bad(`repeated key ${JSON.stringify(dup.key)} in one object`);
  if (parsed === null) return false;
  if (!isRecord(parsed)) return bad(`expected a JSON object, got ${describeValue(parsed)}`);
  // Keys as Go's encoding/json matches them (case-insensitively), as the controllers of the time
  // read the annotation: `{"Ingress": {"Isolation": "DefaultDeny"}}` isolates.
  const field = (o: Record<string, unknown>, name: string): { value?: unknown; error?: string } => {
    const keys = Object.keys(o).filter((k) => k.toLowerCase() === name);
    if (keys.length > 1)
      return { error: `keys ${keys.map((k) => JSON.stringify(k)).join(", ")} name one field` };
    return keys.length === 0 ? {} : { value: o[keys[0]!] };
  };
  const ing = field(parsed, "ingress");
  if (ing.error !== undefined) return bad(ing.error);
  const ingress = ing.value;
  if (ingress === undefined || ingress === null) return false;
  if (!isRecord(ingress)) return bad(`"ingress" must be an object, got ${describeValue(ingress)}`);
  const iso = field(ingress, "isolation");
  if (iso.error !== undefined) return bad(iso.error);
  const isolation = iso.value;
  if (isolation === undefined || isolation === null) return false;
  if (isolation !== "DefaultDeny")
    return bad(
      `"ingress.isolation" must be "DefaultDeny" (the only isolation defined), got ${describeValue(isolation)}`,
    );
  return true;
}

/**
 * The isolation a `v1` Namespace's annotations declare (`{}` when it has neither annotation).
 * A bad value is an `invalid-annotation` issue at `metadata.annotations["<key>"]`.
 *
 * @example
 * namespaceIsolationSchema.parse({ metadata: { annotations: { "net.alpha.kubernetes.io/network-isolation": "on" } } }) // { alpha: true }
 */
export const namespaceIsolationSchema: z.ZodType<Isolation, unknown> = z
  .object({ metadata: z.object({ annotations: z.unknown().optional() }).nullish() })
  .transform((o, ctx): Isolation => {
    const annotations = o.metadata?.annotations;
    if (!isRecord(annotations)) return {};
    const out: { alpha?: boolean; beta?: boolean } = {};
    if (Object.hasOwn(annotations, ALPHA_ISOLATION_ANNOTATION)) {
      const a = alpha(ctx, annotations[ALPHA_ISOLATION_ANNOTATION]);
      if (a !== undefined) out.alpha = a;
    }
    if (Object.hasOwn(annotations, BETA_POLICY_ANNOTATION)) {
      const b = beta(ctx, annotations[BETA_POLICY_ANNOTATION]);
      if (b !== undefined) out.beta = b;
    }
    return out;
  });

/** Keys of the beta annotation's JSON that mean nothing (a typo such as `"ingres"` isolates nothing). */
export function isolationNotes(raw: Record<string, unknown>): Note[] {
  const meta = raw.metadata;
  const annotations = isRecord(meta) ? meta.annotations : undefined;
  const text = isRecord(annotations) ? annotations[BETA_POLICY_ANNOTATION] : undefined;
  if (typeof text !== "string") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isRecord(parsed)) return [];
  // Keys in any case name the fields (as `beta` reads them); only other keys are unknown.
  const unknown: string[] = Object.keys(parsed).filter((k) => k.toLowerCase() !== "ingress");
  const ingressKey = Object.keys(parsed).find((k) => k.toLowerCase() === "ingress");
  const ingress = ingressKey === undefined ? undefined : parsed[ingressKey];
  if (isRecord(ingress))
    unknown.push(
      ...Object.keys(ingress)
        .filter((k) => k.toLowerCase() !== "isolation")
        .map((k) => `${ingressKey}.${k}`),
    );
  return unknown.map((k) => ({
    severity: "info",
    code: "unknown-field",
    path: PATH(BETA_POLICY_ANNOTATION) as string[],
    message: `unknown key ${quote(k)} in the annotation's JSON ignored (only "ingress.isolation" is defined)`,
  }));
}
