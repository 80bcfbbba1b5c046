import type * as z from "zod";
import type { ClusterAction, ClusterPolicyKind } from "../model/types.ts";
import { describeValue, quote } from "./describe-value.ts";
import { portNumberError } from "./name-validation.ts";
import { fail, type RefineContext } from "./zod-issues.ts";

// The admin/baseline policy kinds differ in limits, action names and which peers they know; the
// readers in cluster-policy-schema.ts and cluster-policy-ports.ts take one of these dialects.
// Sources: network-policy-api v0.2.0 config/crd/experimental/…clusternetworkpolicies.yaml and
// v0.1.7 config/crd/experimental/…adminnetworkpolicies.yaml, …baselineadminnetworkpolicies.yaml.

/** What one kind at one apiVersion accepts. */
export interface Dialect {
  readonly kind: ClusterPolicyKind;
  readonly apiVersion: string;
  /** `maxItems` of rules per direction, peers per rule and ports (protocols) per rule. */
  readonly maxItems: number;
  /** Action as written → model action (`Allow` → `Accept` in v1alpha1). */
  readonly actions: Readonly<Record<string, ClusterAction>>;
  /** Fields an egress peer may set (an ingress peer: `namespaces`, `pods`). */
  readonly egressPeers: readonly string[];
  /** v1alpha1 `NamespacedPod` requires `namespaceSelector`; v1alpha2 defaults it to `{}`. */
  readonly podsNeedNamespaceSelector: boolean;
  /** v1alpha1 before v0.1.3 wrote peers as `namespaces: {namespaceSelector | sameLabels | notSameLabels}`. */
  readonly legacyPeers: boolean;
  /** `protocols` (v1alpha2) or `ports` (v1alpha1). */
  readonly portsField: "protocols" | "ports";
}

/** `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy (both tiers may Pass). */
export const CNP_V1ALPHA2: Dialect = {
  kind: "ClusterNetworkPolicy",
  apiVersion: "policy.networking.k8s.io/v1alpha2",
  maxItems: 25,
  actions: { Accept: "Accept", Deny: "Deny", Pass: "Pass" },
  egressPeers: ["namespaces", "pods", "nodes", "networks", "domainNames"],
  podsNeedNamespaceSelector: false,
  legacyPeers: false,
  portsField: "protocols",
};

/** `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy (experimental channel: nodes, domainNames, namedPort). */
export const ANP_V1ALPHA1: Dialect = {
  kind: "AdminNetworkPolicy",
  apiVersion: "policy.networking.k8s.io/v1alpha1",
  maxItems: 100,
  actions: { Allow: "Accept", Deny: "Deny", Pass: "Pass" },
  egressPeers: ["namespaces", "pods", "nodes", "networks", "domainNames"],
  podsNeedNamespaceSelector: true,
  legacyPeers: true,
  portsField: "ports",
};

/** `policy.networking.k8s.io/v1alpha1` BaselineAdminNetworkPolicy: no Pass, no domainNames, named `default`. */
export const BANP_V1ALPHA1: Dialect = {
  ...ANP_V1ALPHA1,
  kind: "BaselineAdminNetworkPolicy",
  actions: { Allow: "Accept", Deny: "Deny" },
  egressPeers: ["namespaces", "pods", "nodes", "networks"],
};

/** Every dialect, by kind. */
export const DIALECTS: Readonly<Record<ClusterPolicyKind, Dialect>> = {
  ClusterNetworkPolicy: CNP_V1ALPHA2,
  AdminNetworkPolicy: ANP_V1ALPHA1,
  BaselineAdminNetworkPolicy: BANP_V1ALPHA1,
};

export type Path = readonly PropertyKey[];

/**
 * How much of the CRDs' validation a refused rule costs (`ParseOptions.crdValidation`, decisions
 * #57-#58): `strict` refuses what the API server refuses; `warn` reads the few objects netpol-analyzer's
 * scenarios write against the v1alpha1 CRD — a `pods` without one of its required selectors, a named
 * port beside address peers — the way a Go client decodes them, with a warning each.
 */
export type CRDValidation = "strict" | "warn";

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The fields among `keys` that `o` sets (own, not `null`: `null` means absent, as in Go). */
export const setFields = (o: Record<string, unknown>, keys: readonly string[]): string[] =>
  keys.filter((k) => Object.hasOwn(o, k) && o[k] !== null && o[k] !== undefined);

/**
 * Reads one object by hand inside a zod transform: the CRDs' "exactly one of" rules and limits
 * are checked on the raw value before its fields, so that a bad field never hides them (zod skips
 * a parent's checks once a child has failed). Paths are from the object's root.
 */
export class Reader {
  failed = false;
  constructor(
    private readonly ctx: RefineContext,
    readonly crdValidation: CRDValidation = "strict",
  ) {}

  fail(code: string, message: string, path: Path): void {
    this.failed = true;
    fail(this.ctx, code, message, path);
  }

  /** `value` as a mapping, or an `invalid-type` issue. */
  object(value: unknown, path: Path): Record<string, unknown> | undefined {
    if (isRecord(value)) return value;
    this.fail("invalid-type", `expected an object, got ${describeValue(value)}`, path);
    return undefined;
  }

  /** `value` as a string, or an `invalid-type` issue. */
  string(value: unknown, path: Path): string | undefined {
    if (typeof value === "string") return value;
    this.fail("invalid-type", `expected a string, got ${describeValue(value)}`, path);
    return undefined;
  }

  /** Whether `key` is absent or `null` in `o` (absent, as Go decodes `null`). */
  absent(o: Record<string, unknown>, key: string): boolean {
    return !Object.hasOwn(o, key) || o[key] === undefined || o[key] === null;
  }

  /** A required field's value; `missing-field` when absent or `null`. */
  required(o: Record<string, unknown>, key: string, path: Path): unknown {
    const v = Object.hasOwn(o, key) ? o[key] : undefined;
    if (v === undefined || v === null)
      this.fail("missing-field", `required field ${quote(key)} is ${v === null ? "null" : "missing"}`, [
        ...path,
        key,
      ]);
    return v ?? undefined;
  }

  /** A port number 1–65535 (`what` names it in the message); `undefined` was reported by `required`. */
  port(value: unknown, path: Path, what: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "number") {
      this.fail("invalid-type", `expected an integer ${what}, got ${describeValue(value)}`, path);
      return undefined;
    }
    const bad = Number.isInteger(value) ? portNumberError(value) : "must be an integer";
    if (bad === undefined) return value;
    this.fail("invalid-port", `invalid ${what} ${value}: ${bad}`, path);
    return undefined;
  }

  /**
   * A list field: absent or `null` → `undefined` (`missing-field` when `required`); otherwise an
   * array of `min`..`max` items (`empty-list`, `too-many-items`), checked before the items are read.
   */
  list(
    o: Record<string, unknown>,
    key: string,
    path: Path,
    limits: { readonly min: number; readonly max: number; readonly required?: boolean; readonly of: string },
  ): readonly unknown[] | undefined {
    const v = limits.required === true ? this.required(o, key, path) : o[key];
    if (v === undefined || v === null) return undefined;
    const at = [...path, key];
    if (!Array.isArray(v)) {
      this.fail("invalid-type", `expected an array, got ${describeValue(v)}`, at);
      return undefined;
    }
    if (v.length < limits.min)
      this.fail(
        "empty-list",
        `${key} must list at least ${limits.min} ${limits.of}${limits.required === true ? "" : " (or be left out)"}`,
        at,
      );
    else if (v.length > limits.max)
      this.fail(
        "too-many-items",
        `${key} has ${v.length} ${limits.of}; at most ${limits.max} are allowed`,
        at,
      );
    return v;
  }

  /** Parse with a zod schema, forwarding its issues under `path`. */
  parse<T>(schema: z.ZodType<T, unknown>, value: unknown, path: Path): T | undefined {
    const r = schema.safeParse(value, { reportInput: true });
    if (r.success) return r.data;
    this.failed = true;
    for (const issue of r.error.issues)
      this.ctx.addIssue({ ...issue, path: [...path, ...issue.path] } as unknown as Parameters<
        RefineContext["addIssue"]
      >[0]);
    return undefined;
  }
}
