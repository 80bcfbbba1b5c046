import * as z from "zod";
import type {
  IPBlock,
  LabelSelector,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  PolicyType,
  Protocol,
} from "../model/types.ts";
import { formatCIDR, isStrictSubset, parseCIDR } from "../net/cidr.ts";
import { describeValue, quote } from "./describe-value.ts";
import { portNameError, portNumberError } from "./name-validation.ts";
import { selectorSchema } from "./selector-schema.ts";
import { fail, type RefineContext } from "./zod-issues.ts";

// Mirrors k8s.io/kubernetes/pkg/apis/networking/validation (ValidateNetworkPolicySpec and friends)
// after the API server's defaulting (pkg/apis/networking/v1/defaults.go).

const PROTOCOLS: ReadonlySet<string> = new Set(["TCP", "UDP", "SCTP"]);

/** Check a protocol (exact case, as `ValidateNetworkPolicyPort`); absent → TCP. */
export function checkProtocol(ctx: RefineContext, protocol: string | null | undefined): Protocol {
  if (protocol === undefined || protocol === null) return "TCP";
  if (!PROTOCOLS.has(protocol))
    fail(
      ctx,
      "invalid-protocol",
      `unsupported protocol ${quote(protocol)}: must be TCP, UDP or SCTP (exact case)`,
      ["protocol"],
    );
  return protocol as Protocol;
}

/**
 * `NetworkPolicyPort`. `port` is an IntOrString: a JSON number is a port number, a JSON string is a
 * port *name* — so `port: "80"` is a name, and fails IANA_SVC_NAME as it does in Kubernetes.
 */
const portSchema = z
  .object({ protocol: z.string().nullish(), port: z.unknown().optional(), endPort: z.unknown().optional() })
  .transform((p, ctx): NetworkPolicyPort => {
    const protocol = checkProtocol(ctx, p.protocol);
    const port = p.port ?? undefined;
    const endPort = p.endPort ?? undefined;
    const out: { protocol: Protocol; port?: number | string; endPort?: number } = { protocol };
    if (typeof port === "number") {
      const bad = Number.isInteger(port) ? portNumberError(port) : "must be an integer";
      if (bad !== undefined) fail(ctx, "invalid-port", `invalid port ${port}: ${bad}`, ["port"]);
      out.port = port;
    } else if (typeof port === "string") {
      const bad = portNameError(port);
      if (bad !== undefined) fail(ctx, "invalid-port", `invalid port name ${quote(port)}: ${bad}`, ["port"]);
      out.port = port;
    } else if (port !== undefined) {
      fail(ctx, "invalid-type", `expected a port number or name, got ${describeValue(port)}`, ["port"]);
    }
    if (endPort !== undefined) {
      if (typeof endPort !== "number") {
        fail(ctx, "invalid-type", `expected an integer endPort, got ${describeValue(endPort)}`, ["endPort"]);
      } else if (typeof port !== "number") {
        const why = port === undefined ? "is not specified" : `is the name ${quote(String(port))}`;
        fail(ctx, "invalid-port", `endPort ${endPort} needs a numeric port, but port ${why}`, ["endPort"]);
      } else {
        const bad = Number.isInteger(endPort) ? portNumberError(endPort) : "must be an integer";
        if (bad !== undefined) fail(ctx, "invalid-port", `invalid endPort ${endPort}: ${bad}`, ["endPort"]);
        else if (endPort < port)
          fail(ctx, "invalid-port", `endPort ${endPort} must be greater than or equal to port ${port}`, [
            "endPort",
          ]);
        out.endPort = endPort;
      }
    }
    return out;
  });

/**
 * `IPBlock`: `cidr` and each `except` are CIDRs of one family (legacy forms normalised), and every
 * `except` is a strict subset of `cidr` (`ValidateIPBlock`).
 */
const ipBlockSchema = z
  .object({ cidr: z.string(), except: z.array(z.string()).nullish() })
  .transform((b, ctx): IPBlock => {
    const cidr = parseCIDR(b.cidr);
    if (cidr === undefined) fail(ctx, "invalid-cidr", `invalid CIDR ${quote(b.cidr)}`, ["cidr"]);
    const except: string[] = [];
    (b.except ?? []).forEach((text, i) => {
      const ex = parseCIDR(text);
      if (ex === undefined) fail(ctx, "invalid-cidr", `invalid CIDR ${quote(text)} in except`, ["except", i]);
      else if (cidr !== undefined && !isStrictSubset(ex, cidr)) {
        const why =
          ex.family !== cidr.family ? "is of another address family than" : "is not a strict subset of";
        fail(ctx, "invalid-except", `except ${quote(text)} ${why} cidr ${quote(b.cidr)}`, ["except", i]);
      } else except.push(formatCIDR(ex));
    });
    const normal = cidr === undefined ? b.cidr : formatCIDR(cidr);
    return b.except === undefined || b.except === null ? { cidr: normal } : { cidr: normal, except };
  });

const peerFields = z
  .object({
    podSelector: selectorSchema.nullish(),
    namespaceSelector: selectorSchema.nullish(),
    ipBlock: ipBlockSchema.nullish(),
  })
  .transform((p): NetworkPolicyPeer => {
    const out: { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: IPBlock } = {};
    if (p.podSelector) out.podSelector = p.podSelector;
    if (p.namespaceSelector) out.namespaceSelector = p.namespaceSelector;
    if (p.ipBlock) out.ipBlock = p.ipBlock;
    return out;
  });

/**
 * `NetworkPolicyPeer`: at least one field; `ipBlock` excludes the two selectors. Which fields are
 * set is checked on the raw value, before the fields themselves: zod skips a parent's checks once
 * a child has failed, and a bad `except` must not hide that the peer also sets `podSelector`.
 */
const peerSchema = z.unknown().transform((raw, ctx): NetworkPolicyPeer => {
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    const set = (k: string): boolean => Object.hasOwn(raw, k) && (raw as Record<string, unknown>)[k] != null;
    if (!set("podSelector") && !set("namespaceSelector") && !set("ipBlock"))
      fail(ctx, "invalid-peer", "a peer must set podSelector, namespaceSelector or ipBlock");
    else if (set("ipBlock") && (set("podSelector") || set("namespaceSelector")))
      fail(ctx, "invalid-peer", "a peer with ipBlock may not also set podSelector or namespaceSelector");
  }
  const fields = peerFields.safeParse(raw, { reportInput: true });
  if (fields.success) return fields.data;
  for (const issue of fields.error.issues)
    ctx.addIssue(issue as unknown as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

const ingressRuleSchema = z
  .object({ from: z.array(peerSchema).nullish(), ports: z.array(portSchema).nullish() })
  .transform((r): NetworkPolicyIngressRule => {
    const out: { from?: readonly NetworkPolicyPeer[]; ports?: readonly NetworkPolicyPort[] } = {};
    if (r.from !== undefined && r.from !== null) out.from = r.from;
    if (r.ports !== undefined && r.ports !== null) out.ports = r.ports;
    return out;
  });

const egressRuleSchema = z
  .object({ to: z.array(peerSchema).nullish(), ports: z.array(portSchema).nullish() })
  .transform((r): NetworkPolicyEgressRule => {
    const out: { to?: readonly NetworkPolicyPeer[]; ports?: readonly NetworkPolicyPort[] } = {};
    if (r.to !== undefined && r.to !== null) out.to = r.to;
    if (r.ports !== undefined && r.ports !== null) out.ports = r.ports;
    return out;
  });

/** `policyTypes`: each `Ingress` or `Egress`, at most two (checked apart from the rest of the spec). */
const policyTypesSchema = z
  .array(z.string())
  .nullish()
  .transform((given, ctx): readonly string[] => {
    (given ?? []).forEach((t, i) => {
      if (t !== "Ingress" && t !== "Egress")
        fail(
          ctx,
          "invalid-policy-type",
          `invalid policy type ${quote(t)}: must be Ingress or Egress (exact case)`,
          [i],
        );
    });
    if (given && given.length > 2)
      fail(ctx, "invalid-policy-type", `may not specify more than two policyTypes, got ${given.length}`);
    return given ?? [];
  });

/**
 * `NetworkPolicySpec`, defaulted: `policyTypes` absent or empty → `[Ingress]`, plus `Egress` iff
 * `egress` is non-empty; `ingress` / `egress` absent → `[]`. `podSelector` is required (the API
 * marks it so; an absent one is far more often a typo than "every pod"); `null` reads as `{}`.
 *
 * @example
 * networkPolicySpecSchema.parse({ podSelector: {} }).policyTypes // ["Ingress"]
 */
export const networkPolicySpecSchema: z.ZodType<NetworkPolicySpec, unknown> = z
  .object({
    // `podSelector: null` is stored by the API server as `{}` (read-kinds.ts notes it).
    podSelector: z.preprocess((v) => (v === null ? {} : v), selectorSchema),
    policyTypes: policyTypesSchema,
    ingress: z.array(ingressRuleSchema).nullish(),
    egress: z.array(egressRuleSchema).nullish(),
  })
  .transform((s): NetworkPolicySpec => {
    const ingress = s.ingress ?? [];
    const egress = s.egress ?? [];
    const given = s.policyTypes ?? [];
    let policyTypes: PolicyType[];
    if (given.length === 0) policyTypes = egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
    else policyTypes = (["Ingress", "Egress"] as const).filter((t) => given.includes(t));
    return { podSelector: s.podSelector, policyTypes, ingress, egress };
  });
