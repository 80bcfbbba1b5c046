import type { InputIssue } from "../model/input-error.ts";
import type { Diagnostic, NetworkPolicyPeer, NetworkPolicyPort } from "../model/types.ts";
import { type Manifest, selector } from "./convert-cluster-policies.ts";
import { quote } from "./describe-value.ts";
import {
  ALPHA_API_VERSION,
  ALPHA_ISOLATION_ANNOTATION,
  BETA_API_VERSION,
  BETA_POLICY_ANNOTATION,
  type Isolation,
  type LegacyForm,
  type LegacyPolicy,
  type LegacyRule,
} from "./legacy-types.ts";
import { comparePlaces, type Place } from "./merge-copies.ts";

// The one translation of the seed's API into networking.k8s.io/v1 (docs/legacy-api.md), used by
// parseCluster (evaluation) and by `netpol migrate` alike: per isolated namespace a default-deny
// ingress policy, per legacy policy of an isolated namespace the same allow rules as a v1 policy
// (which, selecting only pods that the default deny isolates already, adds exactly what the
// legacy policy allowed). A policy of a namespace that is not isolated had no effect: nothing.

/** One read copy of a legacy policy. */
export interface LegacyCopy {
  readonly policy: LegacyPolicy;
  /** Canonical JSON of `policy`. */
  readonly key: string;
  /** `NetworkPolicy ns/name`. */
  readonly object: string;
  readonly place: Place;
}

/** The isolation read from a Namespace object. */
export interface NamespaceIsolation {
  readonly isolation: Isolation;
  readonly object: string;
  readonly place: Place;
}

/** A translated v1 policy manifest, and where what it came from was read. */
export interface Translated {
  readonly manifest: Manifest;
  readonly namespace: string;
  readonly name: string;
  readonly place: Place;
}

/** The translation: v1 manifests to evaluate, and per legacy object / namespace what migrate writes. */
export interface LegacyTranslation {
  readonly policies: readonly Translated[];
  /** `legacyId(...)` → the v1 manifest that replaces it, or `null`: it had no effect. */
  readonly byLegacy: ReadonlyMap<string, Manifest | null>;
  /** Namespace name → its default-deny manifest (isolated namespaces only). */
  readonly defaultDenies: ReadonlyMap<string, Manifest>;
  readonly issues: readonly InputIssue[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Name of the default-deny policy written for an isolated namespace (another is chosen if taken). */
export const DEFAULT_DENY_NAME = "legacy-default-deny";

/** The key of a legacy object: its form, namespace and name. */
export const legacyId = (form: LegacyForm, namespace: string, name: string): string =>
  `${form}\u0000${namespace}\u0000${name}`;

/** Whether a namespace is isolated: either annotation says so. */
export const isIsolated = (i: Isolation | undefined): boolean => i?.alpha === true || i?.beta === true;

const API_VERSION = { alpha: ALPHA_API_VERSION, beta: BETA_API_VERSION } as const;

const plain = (labels: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(labels));

const peer = (p: NetworkPolicyPeer): Manifest =>
  p.podSelector !== undefined
    ? { podSelector: selector(p.podSelector) }
    : { namespaceSelector: selector(p.namespaceSelector ?? {}) };

const port = (p: NetworkPolicyPort): Manifest => ({
  protocol: p.protocol,
  ...(p.port === undefined ? {} : { port: p.port }),
});

const ingressRule = (r: LegacyRule): Manifest => ({
  ...(r.from === undefined ? {} : { from: r.from.map(peer) }),
  ...(r.ports === undefined ? {} : { ports: r.ports.map(port) }),
});

function policyManifest(
  name: string,
  namespace: string | undefined,
  spec: Manifest,
  labels?: Manifest,
): Manifest {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      ...(labels === undefined ? {} : { labels }),
    },
    spec,
  };
}

/** The first copy of each legacy object in canonical order; later copies reported as for other kinds. */
function firstCopies(
  copies: ReadonlyMap<string, readonly LegacyCopy[]>,
  issues: InputIssue[],
  diagnostics: Diagnostic[],
): LegacyCopy[] {
  const out: LegacyCopy[] = [];
  for (const list of copies.values()) {
    const [first, ...rest] = [...list].sort((a, b) => comparePlaces(a.place, b.place));
    for (const c of rest) {
      const base = { code: "duplicate-object", object: c.object, file: c.place.file };
      if (c.key === first!.key)
        diagnostics.push({
          ...base,
          severity: "info",
          message: `identical copy of ${c.object} (first in ${first!.place.text}) merged`,
        });
      else
        issues.push({
          ...base,
          message: `${c.object} is defined twice with different content: in ${first!.place.text} and in ${c.place.text}`,
        });
    }
    out.push(first!);
  }
  const rank = (c: LegacyCopy): string => `${c.policy.namespace}\u0000${c.policy.name}\u0000${c.policy.form}`;
  return out.sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}

function isolationDiagnostics(name: string, ns: NamespaceIsolation, deny: string): Diagnostic[] {
  const { alpha, beta } = ns.isolation;
  const at = { object: ns.object, file: ns.place.file };
  const out: Diagnostic[] = [];
  if (alpha !== undefined && beta !== undefined && alpha !== beta)
    out.push({
      ...at,
      severity: "warning",
      code: "legacy-isolation-conflict",
      message: `${ALPHA_ISOLATION_ANNOTATION} says ${alpha ? "on" : "off"} but ${BETA_POLICY_ANNOTATION} ${beta ? "isolates" : "does not isolate"}: the namespace is taken as isolated`,
    });
  if (alpha === true || beta === true)
    out.push({
      ...at,
      severity: "info",
      code: "legacy-isolation",
      path: `metadata.annotations[${JSON.stringify(alpha === true ? ALPHA_ISOLATION_ANNOTATION : BETA_POLICY_ANNOTATION)}]`,
      message: `namespace ${quote(name)} is isolated by the legacy annotation: read as the default-deny ingress NetworkPolicy ${name}/${deny}`,
    });
  return out;
}

/**
 * Translate the legacy policies and namespace isolation read from the input. `taken` gives the
 * names of the input's v1 NetworkPolicies per namespace: a translated policy keeps its name unless
 * it is taken (then `name-2`, `name-3`, … with a `legacy-renamed` note), so nothing collides.
 *
 * @example
 * translateLegacy(new Map(), new Map(), () => new Set()).policies // []
 */
export function translateLegacy(
  copies: ReadonlyMap<string, readonly LegacyCopy[]>,
  namespaces: ReadonlyMap<string, NamespaceIsolation>,
  taken: (namespace: string) => ReadonlySet<string>,
): LegacyTranslation {
  const issues: InputIssue[] = [];
  const diagnostics: Diagnostic[] = [];
  const used = new Map<string, Set<string>>();
  const freeName = (ns: string, base: string): string => {
    let names = used.get(ns);
    if (names === undefined) used.set(ns, (names = new Set(taken(ns))));
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base.slice(0, 253 - `-${i}`.length)}-${i}`;
    names.add(name);
    return name;
  };
  const policies: Translated[] = [];
  const defaultDenies = new Map<string, Manifest>();
  for (const [name, ns] of [...namespaces].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!isIsolated(ns.isolation)) {
      diagnostics.push(...isolationDiagnostics(name, ns, ""));
      continue;
    }
    const deny = freeName(name, DEFAULT_DENY_NAME);
    const manifest = policyManifest(deny, name, { podSelector: {}, policyTypes: ["Ingress"] });
    defaultDenies.set(name, manifest);
    policies.push({ manifest, namespace: name, name: deny, place: ns.place });
    diagnostics.push(...isolationDiagnostics(name, ns, deny));
  }
  const byLegacy = new Map<string, Manifest | null>();
  for (const c of firstCopies(copies, issues, diagnostics)) {
    const p = c.policy;
    const id = legacyId(p.form, p.namespace, p.name);
    const at = { object: c.object, file: c.place.file };
    if (!isIsolated(namespaces.get(p.namespace)?.isolation)) {
      byLegacy.set(id, null);
      diagnostics.push({
        ...at,
        severity: "warning",
        code: "legacy-no-effect",
        message: `namespace ${quote(p.namespace)} is not isolated (no ${ALPHA_ISOLATION_ANNOTATION}: "on" nor ${BETA_POLICY_ANNOTATION} DefaultDeny annotation on its Namespace), so this ${API_VERSION[p.form]} policy has no effect and migrate leaves it out${p.form === "beta" ? " (on Kubernetes 1.7+, where the annotation is gone, it would isolate the pods it selects)" : ""}`,
      });
      continue;
    }
    const name = freeName(p.namespace, p.name);
    if (name !== p.name)
      diagnostics.push({
        ...at,
        severity: "info",
        code: "legacy-renamed",
        message: `its networking.k8s.io/v1 translation (of the ${API_VERSION[p.form]} policy) is named ${quote(name)}: ${quote(p.name)} is taken in namespace ${quote(p.namespace)}`,
      });
    const spec = {
      podSelector: selector(p.podSelector),
      policyTypes: ["Ingress"],
      ingress: p.rules.map(ingressRule),
    };
    const labels = p.labels === undefined ? undefined : plain(p.labels);
    const manifest = policyManifest(name, p.namespaceWritten ? p.namespace : undefined, spec, labels);
    byLegacy.set(id, manifest);
    policies.push({ manifest, namespace: p.namespace, name, place: c.place });
  }
  return { policies, byLegacy, defaultDenies, issues, diagnostics };
}
