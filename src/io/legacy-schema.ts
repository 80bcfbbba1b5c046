import * as z from "zod";
import type { NetworkPolicyPeer, NetworkPolicyPort, Protocol } from "../model/types.ts";
import { describeValue, quote } from "./describe-value.ts";
import type { LegacyPolicy, LegacyRule } from "./legacy-types.ts";
import {
  dns1123LabelError,
  dns1123SubdomainError,
  portNameError,
  portNumberError,
} from "./name-validation.ts";
import { DEFAULT_NAMESPACE } from "./object-schemas.ts";
import { labelsSchema, selectorSchema } from "./selector-schema.ts";
import { fail, type RefineContext } from "./zod-issues.ts";

// The seed's own API (docs/legacy-api.md): the 1.2 alpha NetworkPolicy of
// `net.alpha.kubernetes.io/v1alpha1` (a ThirdPartyResource; SIG-Networking blog, 2016-04-18) and
// the 1.3–1.6 `extensions/v1beta1` NetworkPolicy (kubernetes docs/proposals/network-policy.md),
// read into one normalised form whose rules are v1 ingress rules already: both only add allowed
// ingress, in namespaces that their annotation isolates.

export type { LegacyForm, LegacyPolicy, LegacyRule } from "./legacy-types.ts";
export { ALPHA_API_VERSION, BETA_API_VERSION } from "./legacy-types.ts";

const metadataSchema = z
  .object({ name: z.string(), namespace: z.string().nullish(), labels: labelsSchema.optional() })
  .transform((m, ctx) => {
    const bad = dns1123SubdomainError(m.name);
    if (bad !== undefined) fail(ctx, "invalid-name", `invalid name ${quote(m.name)}: ${bad}`, ["name"]);
    const written = m.namespace !== undefined && m.namespace !== null && m.namespace !== "";
    const namespace = written ? (m.namespace as string) : DEFAULT_NAMESPACE;
    const badNs = written ? dns1123LabelError(namespace) : undefined;
    if (badNs !== undefined)
      fail(ctx, "invalid-name", `invalid namespace ${quote(namespace)}: ${badNs}`, ["namespace"]);
    const base = { name: m.name, namespace, namespaceWritten: written };
    return m.labels === undefined ? base : { ...base, labels: m.labels };
  });

/**
 * A legacy protocol: TCP or UDP (SCTP came in 1.12). Any case is read — the 1.4 user guide's own
 * example writes `tcp`, and 1.3–1.6 validation did not check it — with a note (legacy-notes.ts).
 */
function legacyProtocol(ctx: RefineContext, protocol: string | null | undefined): Protocol {
  if (protocol === undefined || protocol === null) return "TCP";
  const upper = protocol.toUpperCase();
  if (upper !== "TCP" && upper !== "UDP")
    fail(ctx, "invalid-protocol", `unsupported protocol ${quote(protocol)}: must be TCP or UDP`, [
      "protocol",
    ]);
  return upper === "UDP" ? "UDP" : "TCP";
}

/** `{port, protocol}` (beta `ports[]`, alpha `toPorts[]`): a number or a port name; absent = every port. */
const portSchema = z
  .object({ protocol: z.string().nullish(), port: z.unknown().optional(), endPort: z.unknown().optional() })
  .transform((p, ctx): NetworkPolicyPort => {
    const protocol = legacyProtocol(ctx, p.protocol);
    if (p.endPort !== undefined && p.endPort !== null)
      fail(
        ctx,
        "invalid-legacy-field",
        "endPort is a field of networking.k8s.io/v1 (1.22+), not of this API",
        ["endPort"],
      );
    const port = p.port ?? undefined;
    if (port === undefined) return { protocol };
    if (typeof port === "number") {
      const bad = Number.isInteger(port) ? portNumberError(port) : "must be an integer";
      if (bad !== undefined) fail(ctx, "invalid-port", `invalid port ${port}: ${bad}`, ["port"]);
    } else if (typeof port === "string") {
      const bad = portNameError(port);
      if (bad !== undefined) fail(ctx, "invalid-port", `invalid port name ${quote(port)}: ${bad}`, ["port"]);
    } else fail(ctx, "invalid-type", `expected a port number or name, got ${describeValue(port)}`, ["port"]);
    return { protocol, port: port as number | string };
  });

/** A list that may be absent or `null` (Go's nil); empty reads as absent (docs/decisions.md #43). */
const optionalList = <T>(item: z.ZodType<T, unknown>) =>
  z
    .array(item)
    .nullish()
    .transform((l) => (l === undefined || l === null || l.length === 0 ? undefined : l));

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const isSet = (o: Record<string, unknown>, k: string): boolean => Object.hasOwn(o, k) && o[k] != null;

/** Exactly one of the given keys set on a raw peer (checked before its fields, as peerSchema does). */
function checkOne(ctx: RefineContext, raw: unknown, keys: readonly [string, string], later: string[]): void {
  if (!isRecord(raw)) return;
  const newer = later.filter((k) => isSet(raw, k));
  for (const k of newer)
    fail(ctx, "invalid-legacy-field", `${k} is a field of networking.k8s.io/v1 (1.7+), not of this API`, [k]);
  if (newer.length > 0) return;
  const n = keys.filter((k) => isSet(raw, k)).length;
  if (n !== 1)
    fail(
      ctx,
      "invalid-peer",
      n === 0
        ? `a peer must set ${keys[0]} or ${keys[1]}`
        : `a peer sets exactly one of ${keys[0]} and ${keys[1]}, not both`,
    );
}

/** A beta `NetworkPolicyPeer` (1.3: "exactly one of the following must be specified"). */
const betaPeerSchema = z
  .unknown()
  .superRefine((raw, ctx) => checkOne(ctx, raw, ["podSelector", "namespaceSelector"], ["ipBlock"]))
  .pipe(z.object({ podSelector: selectorSchema.nullish(), namespaceSelector: selectorSchema.nullish() }))
  .transform(
    (p): NetworkPolicyPeer =>
      p.podSelector ? { podSelector: p.podSelector } : { namespaceSelector: p.namespaceSelector! },
  );

/** An alpha peer: `pods` (a label map over the policy's namespace) or `namespaces` (over namespaces). */
const alphaPeerSchema = z
  .unknown()
  .superRefine((raw, ctx) => checkOne(ctx, raw, ["pods", "namespaces"], []))
  .pipe(z.object({ pods: labelsSchema.optional(), namespaces: labelsSchema.optional() }))
  .transform(
    (p): NetworkPolicyPeer =>
      p.pods !== undefined
        ? { podSelector: { matchLabels: p.pods } }
        : { namespaceSelector: { matchLabels: p.namespaces! } },
  );

const rule = (
  from: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
): LegacyRule => ({
  ...(from === undefined ? {} : { from }),
  ...(ports === undefined ? {} : { ports }),
});

/** Fields of the 1.7+ v1beta1 spec that the 1.3–1.6 API (namespace isolation) did not have. */
function checkBetaSpec(ctx: RefineContext, raw: unknown): void {
  if (!isRecord(raw)) return;
  for (const k of ["policyTypes", "egress"])
    if (isSet(raw, k))
      fail(
        ctx,
        "invalid-legacy-field",
        `${k} is a field of the 1.7+ API, whose semantics are networking.k8s.io/v1's: write this policy as networking.k8s.io/v1`,
        [k],
      );
}

/**
 * `extensions/v1beta1` NetworkPolicy as Kubernetes 1.3–1.6 defined it: `podSelector` a
 * LabelSelector (absent or `null` = every pod of the namespace, as Go decodes it and the
 * proposal's `allow-all` example writes it), `ingress[].from[]` peers of exactly one of
 * `podSelector` / `namespaceSelector`, `ingress[].ports[]` of `{port, protocol}`.
 *
 * @example
 * betaPolicySchema.parse({ metadata: { name: "a", namespace: "myns" }, spec: { ingress: [{}] } }).rules // [{}]
 */
export const betaPolicySchema: z.ZodType<LegacyPolicy, unknown> = z
  .object({
    metadata: metadataSchema,
    spec: z
      .unknown()
      .superRefine((raw, ctx) => checkBetaSpec(ctx, raw))
      .pipe(
        z.object({
          podSelector: selectorSchema.nullish(),
          ingress: optionalList(
            z.object({ from: optionalList(betaPeerSchema), ports: optionalList(portSchema) }),
          ),
        }),
      ),
  })
  .transform(
    (o): LegacyPolicy => ({
      form: "beta",
      ...o.metadata,
      podSelector: o.spec.podSelector ?? {},
      rules: (o.spec.ingress ?? []).map((r) => rule(r.from, r.ports)),
    }),
  );

/**
 * `net.alpha.kubernetes.io/v1alpha1` NetworkPolicy (the 1.2 ThirdPartyResource): `podSelector` a
 * plain label map (absent = every pod of the namespace), one `allowIncoming` of `from[]` peers and
 * `toPorts[]` (absent = every port); no `allowIncoming` allows nothing.
 *
 * @example
 * alphaPolicySchema.parse({ metadata: { name: "pol1", namespace: "tenant-a" }, spec: { podSelector: { segment: "backend" } } }).rules // []
 */
export const alphaPolicySchema: z.ZodType<LegacyPolicy, unknown> = z
  .object({
    metadata: metadataSchema,
    spec: z.object({
      podSelector: labelsSchema.optional(),
      allowIncoming: z
        .object({ from: optionalList(alphaPeerSchema), toPorts: optionalList(portSchema) })
        .nullish(),
    }),
  })
  .transform((o): LegacyPolicy => {
    const allow = o.spec.allowIncoming;
    return {
      form: "alpha",
      ...o.metadata,
      podSelector: o.spec.podSelector === undefined ? {} : { matchLabels: o.spec.podSelector },
      rules: allow === undefined || allow === null ? [] : [rule(allow.from, allow.toPorts)],
    };
  });
