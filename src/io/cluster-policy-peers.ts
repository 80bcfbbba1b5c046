import type { ClusterPolicyPeer, LabelSelector, NamespacedPods } from "../model/types.ts";
import { formatCIDR, parseCIDR } from "../net/cidr.ts";
import { type Dialect, isRecord, type Path, type Reader, setFields } from "./cluster-policy-read.ts";
import { quote } from "./describe-value.ts";
import { selectorSchema } from "./selector-schema.ts";

// The peers of admin/baseline rules (and the `pods` shape subjects share), as their CRDs define
// them, including the v0.1.1/v0.1.2 `NamespacedPeer` form of v1alpha1.

export type Direction = "ingress" | "egress";

/** Every field a peer of any kind and direction may have (ingress: `namespaces`, `pods`). */
export const PEER_FIELDS: readonly string[] = ["namespaces", "pods", "nodes", "networks", "domainNames"];
export const INGRESS_PEER_FIELDS: readonly string[] = ["namespaces", "pods"];
/** The v0.1.1/v0.1.2 `NamespacedPeer` (replaced by a plain LabelSelector in v0.1.3). */
export const LEGACY_NAMESPACES_FIELDS: readonly string[] = [
  "namespaceSelector",
  "sameLabels",
  "notSameLabels",
];

/** Whether a `namespaces` value is written in the v0.1.1/v0.1.2 `NamespacedPeer` form. */
export const isLegacyNamespaces = (v: unknown): boolean =>
  isRecord(v) && LEGACY_NAMESPACES_FIELDS.some((k) => Object.hasOwn(v, k));

/** `DomainName` (the CRD's pattern, with its `A-z` typo read as `A-Z`); at most one `*.` prefix. */
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

type FailClosed = "fail-closed";

/**
 * v0.1.1 `NamespacedPeer`: exactly one of `namespaceSelector`, `sameLabels`, `notSameLabels`. The
 * last two compare namespaces with the subject's and were removed in v0.1.3: such a peer is read
 * as one with no recognised field (fail closed; cluster-policy-notes.ts warns).
 */
function legacyNamespaces(r: Reader, raw: unknown, path: Path): LabelSelector | FailClosed | undefined {
  const o = r.object(raw, path);
  if (o === undefined) return undefined;
  if (setFields(o, ["matchLabels", "matchExpressions"]).length > 0) {
    const why = "mixes a label selector with the v0.1.1 fields namespaceSelector/sameLabels/notSameLabels";
    r.fail("invalid-peer", why, path);
    return undefined;
  }
  const set = setFields(o, LEGACY_NAMESPACES_FIELDS);
  if (set.length !== 1) {
    r.fail(
      "invalid-peer",
      "set exactly one of namespaceSelector, sameLabels, notSameLabels (v0.1.1 form)",
      path,
    );
    return undefined;
  }
  const key = set[0]!;
  if (key === "namespaceSelector") return r.parse(selectorSchema, o[key], [...path, key]);
  const keys = r.list(o, key, path, { min: 0, max: 100, of: "label keys" }) ?? [];
  keys.forEach((k, i) => {
    r.string(k, [...path, key, i]);
  });
  return "fail-closed";
}

/** `NamespacedPod` (`pods` of a subject or peer); in legacy peers `namespaces` may stand for `namespaceSelector`. */
export function namespacedPods(
  r: Reader,
  d: Dialect,
  raw: unknown,
  path: Path,
  legacy: boolean,
): NamespacedPods | FailClosed | undefined {
  const o = r.object(raw, path);
  if (o === undefined) return undefined;
  let namespaceSelector: LabelSelector | FailClosed | undefined;
  if (legacy && o.namespaces !== undefined && o.namespaces !== null) {
    if (setFields(o, ["namespaceSelector"]).length > 0) {
      r.fail("invalid-peer", "pods sets both namespaces (the v0.1.1 form) and namespaceSelector", path);
      return undefined;
    }
    namespaceSelector = legacyNamespaces(r, o.namespaces, [...path, "namespaces"]);
  } else if (setFields(o, ["namespaceSelector"]).length > 0) {
    namespaceSelector = r.parse(selectorSchema, o.namespaceSelector, [...path, "namespaceSelector"]);
  } else if (d.podsNeedNamespaceSelector && r.crdValidation === "strict") {
    r.required(o, "namespaceSelector", path);
    namespaceSelector = undefined;
  } else namespaceSelector = {}; // v1alpha2: "if empty, it selects all Namespaces" (v1alpha1 lenient: decisions #57)
  // Lenient (decisions #57): an absent podSelector is what Go decodes the non-pointer field to, {}.
  const pv =
    r.crdValidation === "warn" && r.absent(o, "podSelector") ? {} : r.required(o, "podSelector", path);
  const podSelector = pv === undefined ? undefined : r.parse(selectorSchema, pv, [...path, "podSelector"]);
  if (namespaceSelector === "fail-closed") return podSelector === undefined ? undefined : "fail-closed";
  if (namespaceSelector === undefined || podSelector === undefined) return undefined;
  return { namespaceSelector, podSelector };
}

/** A set of strings (`x-kubernetes-list-type: set`): an exact repeat is `duplicate-value`, as the API server says. */
function stringSet(r: Reader, items: readonly unknown[], path: Path): (string | undefined)[] {
  const seen = new Set<string>();
  return items.map((item, i) => {
    const s = r.string(item, [...path, i]);
    if (s === undefined) return undefined;
    if (seen.has(s)) r.fail("duplicate-value", `${quote(s)} is listed twice`, [...path, i]);
    seen.add(s);
    return s;
  });
}

/** `networks`: 1–25 CIDRs of either family (≤ 43 characters), normalised, repeats after normalising dropped. */
function networks(r: Reader, o: Record<string, unknown>, path: Path): readonly string[] | undefined {
  const items = r.list(o, "networks", path, { min: 1, max: 25, of: "CIDRs" });
  if (items === undefined) return undefined;
  const at = [...path, "networks"];
  const out: string[] = [];
  stringSet(r, items, at).forEach((text, i) => {
    if (text === undefined) return;
    const cidr = text.length > 43 ? undefined : parseCIDR(text);
    if (cidr === undefined) r.fail("invalid-cidr", `invalid CIDR ${quote(text)}`, [...at, i]);
    else if (!out.includes(formatCIDR(cidr))) out.push(formatCIDR(cidr));
  });
  return out;
}

/** `domainNames`: 1–25 DNS names, optionally `*.`-prefixed (egress, Accept rules only). */
function domainNames(r: Reader, o: Record<string, unknown>, path: Path): readonly string[] | undefined {
  const items = r.list(o, "domainNames", path, { min: 1, max: 25, of: "domain names" });
  if (items === undefined) return undefined;
  const at = [...path, "domainNames"];
  const out: string[] = [];
  stringSet(r, items, at).forEach((name, i) => {
    if (name === undefined) return;
    if (name.length <= 256 && DOMAIN_NAME.test(name)) out.push(name);
    else
      r.fail(
        "invalid-domain-name",
        `invalid domain name ${quote(name)}: dot-separated labels of letters, digits, '-' and '_', optionally starting with "*."`,
        [...at, i],
      );
  });
  return out;
}

/**
 * One peer: exactly one field, from those its direction and kind know. A peer that sets none of
 * them but something else (a field of a newer or older API version) is the fail-closed empty peer
 * `{}`; a field of the other direction or another kind is an error.
 */
export function readPeer(
  r: Reader,
  d: Dialect,
  dir: Direction,
  raw: unknown,
  path: Path,
): ClusterPolicyPeer | undefined {
  const o = r.object(raw, path);
  if (o === undefined) return undefined;
  const allowed = dir === "ingress" ? INGRESS_PEER_FIELDS : d.egressPeers;
  const set = setFields(o, PEER_FIELDS);
  const foreign = set.filter((f) => !allowed.includes(f));
  if (foreign.length > 0) {
    r.fail(
      "invalid-peer",
      `${d.kind} ${dir} peers cannot set ${foreign.join(", ")} (only ${allowed.join(", ")})`,
      path,
    );
    return undefined;
  }
  if (set.length > 1) {
    r.fail(
      "invalid-peer",
      `a peer sets exactly one of ${allowed.join(", ")}; this one sets ${set.join(" and ")}`,
      path,
    );
    return undefined;
  }
  if (set.length === 0) {
    if (setFields(o, Object.keys(o)).length === 0) {
      r.fail("invalid-peer", `a peer must set one of ${allowed.join(", ")}`, path);
      return undefined;
    }
    return {}; // only fields this version does not know: fail closed
  }
  const key = set[0]!;
  const at = [...path, key];
  if (key === "namespaces") {
    if (!(d.legacyPeers && isLegacyNamespaces(o[key]))) {
      const namespaces = r.parse(selectorSchema, o[key], at);
      return namespaces === undefined ? undefined : { namespaces };
    }
    const legacy = legacyNamespaces(r, o[key], at);
    return legacy === undefined ? undefined : legacy === "fail-closed" ? {} : { namespaces: legacy };
  }
  if (key === "pods") {
    const pods = namespacedPods(r, d, o[key], at, d.legacyPeers);
    return pods === undefined ? undefined : pods === "fail-closed" ? {} : { pods };
  }
  if (key === "nodes") {
    const nodes = r.parse(selectorSchema, o[key], at);
    return nodes === undefined ? undefined : { nodes };
  }
  const list = key === "networks" ? networks(r, o, path) : domainNames(r, o, path);
  return list === undefined ? undefined : key === "networks" ? { networks: list } : { domainNames: list };
}
