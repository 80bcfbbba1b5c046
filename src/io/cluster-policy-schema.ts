import * as z from "zod";
import type {
  ClusterAction,
  ClusterNetworkPolicy,
  ClusterPolicyRule,
  ClusterPolicySubject,
  ClusterTier,
} from "../model/types.ts";
import { type Direction, namespacedPods, readPeer } from "./cluster-policy-peers.ts";
import { readProtocol, readV1alpha1Port } from "./cluster-policy-ports.ts";
import {
  ANP_V1ALPHA1,
  BANP_V1ALPHA1,
  CNP_V1ALPHA2,
  type CRDValidation,
  type Dialect,
  type Path,
  Reader,
  setFields,
} from "./cluster-policy-read.ts";
import { describeValue, quote } from "./describe-value.ts";
import { dns1123SubdomainError } from "./name-validation.ts";
import { selectorSchema } from "./selector-schema.ts";

// ClusterNetworkPolicy v1alpha2 and AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1,
// validated as their CRDs do (network-policy-api v0.2.0 and v0.1.7, experimental channel) and read
// into the one model shape (`ClusterNetworkPolicy`, src/model/types.ts). Peers:
// cluster-policy-peers.ts; ports: cluster-policy-ports.ts.

/** `spec.subject`: exactly one of `namespaces`, `pods`. */
function readSubject(r: Reader, d: Dialect, raw: unknown, path: Path): ClusterPolicySubject | undefined {
  const o = r.object(raw, path);
  if (o === undefined) return undefined;
  const set = setFields(o, ["namespaces", "pods"]);
  if (set.length !== 1) {
    const got = set.length === 0 ? "neither" : "both";
    r.fail("invalid-subject", `subject sets exactly one of namespaces, pods; got ${got}`, path);
    return undefined;
  }
  if (set[0] === "namespaces") {
    const namespaces = r.parse(selectorSchema, o.namespaces, [...path, "namespaces"]);
    return namespaces === undefined ? undefined : { namespaces };
  }
  const pods = namespacedPods(r, d, o.pods, [...path, "pods"], false);
  return pods === undefined || pods === "fail-closed" ? undefined : { pods };
}

function readAction(
  r: Reader,
  d: Dialect,
  o: Record<string, unknown>,
  path: Path,
): ClusterAction | undefined {
  const v = r.required(o, "action", path);
  if (v === undefined) return undefined;
  const text = r.string(v, [...path, "action"]);
  if (text === undefined) return undefined;
  if (Object.hasOwn(d.actions, text)) return d.actions[text];
  const names = Object.keys(d.actions);
  const hint =
    text === "Allow" && d === CNP_V1ALPHA2
      ? " (Allow is the v1alpha1 spelling)"
      : text === "Accept" && d !== CNP_V1ALPHA2
        ? " (Accept is the v1alpha2 spelling)"
        : "";
  const list = `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  r.fail("invalid-action", `invalid action ${quote(text)}: must be ${list} (exact case)${hint}`, [
    ...path,
    "action",
  ]);
  return undefined;
}

/** One rule: `name` (≤ 100 characters), `action`, `from`/`to`, `protocols`/`ports`, and the CRD's cross-field rules. */
function readRule(
  r: Reader,
  d: Dialect,
  dir: Direction,
  raw: unknown,
  path: Path,
): ClusterPolicyRule | undefined {
  const o = r.object(raw, path);
  if (o === undefined) return undefined;
  let name: string | undefined;
  if (o.name !== undefined && o.name !== null) {
    name = r.string(o.name, [...path, "name"]);
    if (name !== undefined && name.length > 100)
      r.fail("invalid-name", `rule name is ${name.length} characters; at most 100 are allowed`, [
        ...path,
        "name",
      ]);
  }
  const action = readAction(r, d, o, path);
  const peersKey = dir === "ingress" ? "from" : "to";
  const peersRaw = r.list(o, peersKey, path, { min: 1, max: d.maxItems, required: true, of: "peers" });
  const peers = (peersRaw ?? []).map((p, i) => readPeer(r, d, dir, p, [...path, peersKey, i]));
  const portsKey = d.portsField;
  const portsRaw = r.list(o, portsKey, path, { min: 1, max: d.maxItems, of: "entries" });
  const readPort = portsKey === "protocols" ? readProtocol : readV1alpha1Port;
  const read = portsRaw?.map((p, i) => readPort(r, p, [...path, portsKey, i]));
  const ports = read === undefined || !isComplete(read) ? undefined : read;
  if (action === undefined || peersRaw === undefined || !isComplete(peers) || ports !== read)
    return undefined;
  peers.forEach((p, i) => {
    if (p.domainNames !== undefined && action !== "Accept")
      r.fail(
        "invalid-peer",
        `domainNames peers are only allowed in ${d === CNP_V1ALPHA2 ? "Accept" : "Allow"} rules`,
        [...path, peersKey, i, "domainNames"],
      );
  });
  // The CRD's CEL rule; read leniently, the named port matches the rule's pod peers only (decisions #58).
  if (
    r.crdValidation === "strict" &&
    peers.some((p) => p.nodes !== undefined || p.networks !== undefined || p.domainNames !== undefined)
  )
    ports?.forEach((p, i) => {
      if ("name" in p)
        r.fail(
          "invalid-port",
          "a named port cannot be used in a rule whose peers include nodes, networks or domainNames (they have no named ports)",
          [...path, portsKey, i],
        );
    });
  return {
    ...(name !== undefined && name !== "" ? { name } : {}),
    action,
    peers,
    ...(ports === undefined ? {} : { ports }),
  };
}

const isComplete = <T>(xs: T[]): xs is NonNullable<T>[] => xs.every((x) => x !== undefined && x !== null);

function readPriority(r: Reader, spec: Record<string, unknown>): number | undefined {
  const v = r.required(spec, "priority", ["spec"]);
  if (v === undefined) return undefined;
  if (typeof v !== "number") {
    r.fail("invalid-type", `expected an integer priority, got ${describeValue(v)}`, ["spec", "priority"]);
    return undefined;
  }
  if (Number.isInteger(v) && v >= 0 && v <= 1000) return v;
  r.fail("invalid-priority", `priority ${v} must be an integer from 0 to 1000`, ["spec", "priority"]);
  return undefined;
}

function readTier(r: Reader, spec: Record<string, unknown>): ClusterTier | undefined {
  const v = r.required(spec, "tier", ["spec"]);
  if (v === undefined) return undefined;
  const text = r.string(v, ["spec", "tier"]);
  if (text === "Admin" || text === "Baseline") return text;
  if (text !== undefined)
    r.fail("invalid-tier", `invalid tier ${quote(text)}: must be Admin or Baseline (exact case)`, [
      "spec",
      "tier",
    ]);
  return undefined;
}

function readName(r: Reader, d: Dialect, o: Record<string, unknown>): string | undefined {
  const metaRaw = r.required(o, "metadata", []);
  const meta = metaRaw === undefined ? undefined : r.object(metaRaw, ["metadata"]);
  if (meta === undefined) return undefined;
  const v = r.required(meta, "name", ["metadata"]);
  const name = v === undefined ? undefined : r.string(v, ["metadata", "name"]);
  if (name === undefined) return undefined;
  const bad = dns1123SubdomainError(name);
  if (bad !== undefined) r.fail("invalid-name", `invalid name ${quote(name)}: ${bad}`, ["metadata", "name"]);
  else if (d === BANP_V1ALPHA1 && name !== "default")
    r.fail(
      "invalid-name",
      `a BaselineAdminNetworkPolicy must be named "default" (the API allows only that one), got ${quote(name)}`,
      ["metadata", "name"],
    );
  return name;
}

/** A whole policy object of dialect `d`, into the model (BANP: tier Baseline, priority 1000, docs/decisions.md #24). */
function readPolicy(r: Reader, d: Dialect, raw: unknown): ClusterNetworkPolicy | undefined {
  const o = r.object(raw, []);
  if (o === undefined) return undefined;
  const name = readName(r, d, o);
  const specRaw = r.required(o, "spec", []);
  const spec = specRaw === undefined ? undefined : r.object(specRaw, ["spec"]);
  if (spec === undefined) return undefined;
  const tier = d === CNP_V1ALPHA2 ? readTier(r, spec) : d === ANP_V1ALPHA1 ? "Admin" : "Baseline";
  const priority = d === BANP_V1ALPHA1 ? 1000 : readPriority(r, spec);
  const subjectRaw = r.required(spec, "subject", ["spec"]);
  const subject = subjectRaw === undefined ? undefined : readSubject(r, d, subjectRaw, ["spec", "subject"]);
  const rules = (dir: Direction): (ClusterPolicyRule | undefined)[] =>
    (r.list(spec, dir, ["spec"], { min: 0, max: d.maxItems, of: "rules" }) ?? []).map((rule, i) =>
      readRule(r, d, dir, rule, ["spec", dir, i]),
    );
  const ingress = rules("ingress");
  const egress = rules("egress");
  if (r.failed || name === undefined || tier === undefined || priority === undefined || subject === undefined)
    return undefined;
  if (!isComplete(ingress) || !isComplete(egress)) return undefined;
  return { kind: d.kind, name, tier, priority, subject, ingress, egress };
}

const policySchema = (
  d: Dialect,
  validation: CRDValidation = "strict",
): z.ZodType<ClusterNetworkPolicy, unknown> =>
  z.unknown().transform((raw, ctx) => readPolicy(new Reader(ctx, validation), d, raw) ?? z.NEVER);

const LENIENT: Readonly<Record<ClusterNetworkPolicy["kind"], z.ZodType<ClusterNetworkPolicy, unknown>>> = {
  ClusterNetworkPolicy: policySchema(CNP_V1ALPHA2, "warn"),
  AdminNetworkPolicy: policySchema(ANP_V1ALPHA1, "warn"),
  BaselineAdminNetworkPolicy: policySchema(BANP_V1ALPHA1, "warn"),
};

/**
 * The schema of dialect `d` under `validation`: the exported strict ones, or the lenient reading of
 * decisions #57-#58 (`ParseOptions.crdValidation: "warn"`).
 *
 * @example
 * clusterPolicySchema(ANP_V1ALPHA1, "warn") // reads `pods: { namespaceSelector: {} }` as every pod of every namespace
 */
export function clusterPolicySchema(
  d: Dialect,
  validation: CRDValidation,
): z.ZodType<ClusterNetworkPolicy, unknown> {
  if (validation === "warn") return LENIENT[d.kind];
  return d === CNP_V1ALPHA2
    ? clusterNetworkPolicySchema
    : d === ANP_V1ALPHA1
      ? adminNetworkPolicySchema
      : baselineAdminNetworkPolicySchema;
}

/**
 * `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy, validated as its CRD does.
 *
 * @example
 * clusterNetworkPolicySchema.parse({ metadata: { name: "p" }, spec: { tier: "Admin", priority: 5, subject: { namespaces: {} } } })
 * // { kind: "ClusterNetworkPolicy", name: "p", tier: "Admin", priority: 5, subject: { namespaces: {} }, ingress: [], egress: [] }
 */
export const clusterNetworkPolicySchema: z.ZodType<ClusterNetworkPolicy, unknown> =
  policySchema(CNP_V1ALPHA2);

/** `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy: tier Admin, `Allow` read as `Accept`, `ports` as protocols. */
export const adminNetworkPolicySchema: z.ZodType<ClusterNetworkPolicy, unknown> = policySchema(ANP_V1ALPHA1);

/** `policy.networking.k8s.io/v1alpha1` BaselineAdminNetworkPolicy (named `default`): tier Baseline, priority 1000. */
export const baselineAdminNetworkPolicySchema: z.ZodType<ClusterNetworkPolicy, unknown> =
  policySchema(BANP_V1ALPHA1);
