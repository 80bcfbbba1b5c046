import * as z from "zod";
import type { Note } from "./cluster-policy-notes.ts";
import { describeValue, quote } from "./describe-value.ts";
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
  if (parsed === null) return false;
  if (!isRecord(parsed)) return bad(`expected a JSON object, got ${describeValue(parsed)}`);
  const ingress = parsed.ingress;
  if (ingress === undefined || ingress === null) return false;
  if (!isRecord(ingress)) return bad(`"ingress" must be an object, got ${describeValue(ingress)}`);
  const isolation = ingress.isolation;
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
  const unknown: string[] = Object.keys(parsed).filter((k) => k !== "ingress");
  if (isRecord(parsed.ingress))
    unknown.push(
      ...Object.keys(parsed.ingress)
        .filter((k) => k !== "isolation")
        .map((k) => `ingress.${k}`),
    );
  return unknown.map((k) => ({
    severity: "info",
    code: "unknown-field",
    path: PATH(BETA_POLICY_ANNOTATION) as string[],
    message: `unknown key ${quote(k)} in the annotation's JSON ignored (only "ingress.isolation" is defined)`,
  }));
}
