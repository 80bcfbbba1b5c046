import type { InputIssue } from "../model/input-error.ts";
import type { Diagnostic, NetworkPolicy } from "../model/types.ts";
import { type Note, noteIssue } from "./cluster-policy-notes.ts";
import { quote } from "./describe-value.ts";
import { isolationNotes, namespaceIsolationSchema } from "./legacy-namespace.ts";
import {
  ALPHA_API_VERSION,
  alphaPolicySchema,
  BETA_API_VERSION,
  betaPolicySchema,
  type LegacyForm,
} from "./legacy-schema.ts";
import {
  type LegacyCopy,
  type LegacyTranslation,
  legacyId,
  type NamespaceIsolation,
  translateLegacy,
} from "./legacy-translate.ts";
import type { Copy, Place } from "./merge-copies.ts";
import { networkPolicySchema } from "./object-schemas.ts";
import { toInputIssues } from "./zod-issues.ts";

// Reading the seed's API while parseCluster walks the input (docs/legacy-api.md): legacy
// NetworkPolicies into their normalised form, Namespace annotations into their isolation.

/** The legacy form of a `kind`/`apiVersion`, or `undefined` for any other object. */
export function legacyFormOf(kind: string, apiVersion: unknown): LegacyForm | undefined {
  if (kind !== "NetworkPolicy") return undefined;
  return apiVersion === ALPHA_API_VERSION ? "alpha" : apiVersion === BETA_API_VERSION ? "beta" : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Legal oddities of a legacy policy read without error: a protocol not in upper case, an empty list. */
function policyNotes(form: LegacyForm, raw: Record<string, unknown>): Note[] {
  const notes: Note[] = [];
  const spec = isRecord(raw.spec) ? raw.spec : {};
  const ports = (list: unknown, path: (string | number)[]): void => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      const protocol = isRecord(p) ? p.protocol : undefined;
      if (typeof protocol === "string" && protocol !== protocol.toUpperCase())
        notes.push({
          severity: "info",
          code: "legacy-protocol-case",
          path: [...path, i, "protocol"],
          message: `protocol ${quote(protocol)} read as ${protocol.toUpperCase()} (networking.k8s.io/v1 requires the exact case)`,
        });
    });
  };
  const empty = (list: unknown, path: (string | number)[]): void => {
    if (Array.isArray(list) && list.length === 0)
      notes.push({
        severity: "warning",
        code: "legacy-empty-list",
        path,
        message: `an empty ${String(path[path.length - 1])} is read as an absent one (every ${path[path.length - 1] === "from" ? "source" : "port"}), as the API server stores it (the 1.3 type comment said "matches no traffic")`,
      });
  };
  const rules: [unknown, (string | number)[]][] =
    form === "alpha"
      ? [[spec.allowIncoming, ["spec", "allowIncoming"]]]
      : Array.isArray(spec.ingress)
        ? spec.ingress.map((r, i) => [r, ["spec", "ingress", i]])
        : [];
  const known = (o: unknown, keys: readonly string[], path: (string | number)[]): void => {
    if (!isRecord(o)) return;
    for (const k of Object.keys(o))
      if (!keys.includes(k))
        notes.push({
          severity: "info",
          code: "unknown-field",
          path: [...path, k],
          message: `unknown field ${quote(k)} ignored (no such field in the ${form === "alpha" ? ALPHA_API_VERSION : BETA_API_VERSION} policy; check its spelling)`,
        });
  };
  const portsKey = form === "alpha" ? "toPorts" : "ports";
  known(spec, form === "alpha" ? ["podSelector", "allowIncoming"] : ["podSelector", "ingress"], ["spec"]);
  for (const [r, path] of rules) {
    if (!isRecord(r)) continue;
    known(r, ["from", portsKey], path);
    empty(r.from, [...path, "from"]);
    empty(r[portsKey], [...path, portsKey]);
    ports(r[portsKey], [...path, portsKey]);
    const peerKeys = form === "alpha" ? ["pods", "namespaces"] : ["podSelector", "namespaceSelector"];
    if (Array.isArray(r.from))
      for (const [i, x] of r.from.entries()) known(x, peerKeys, [...path, "from", i]);
    const list = r[portsKey];
    if (Array.isArray(list))
      for (const [i, x] of list.entries()) known(x, ["port", "protocol"], [...path, portsKey, i]);
  }
  return notes;
}

/** What parseCluster collects of the legacy API, for `translateLegacy`. */
export class LegacyCollector {
  readonly issues: InputIssue[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly copies: Map<string, LegacyCopy[]> = new Map();
  readonly namespaces: Map<string, NamespaceIsolation> = new Map();

  private note(notes: readonly Note[], object: string, place: Place): void {
    for (const n of notes) {
      const at = noteIssue(n, object, place.file);
      if (n.severity === "error") this.issues.push(at);
      else this.diagnostics.push({ ...at, severity: n.severity });
    }
  }

  /** A legacy NetworkPolicy (its apiVersion already checked by `legacyFormOf`). */
  readPolicy(form: LegacyForm, value: Record<string, unknown>, object: string, place: Place): void {
    const schema = form === "alpha" ? alphaPolicySchema : betaPolicySchema;
    const parsed = schema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      this.issues.push(...toInputIssues(parsed.error.issues, { file: place.file, object }));
      return;
    }
    this.note(policyNotes(form, value), object, place);
    const p = parsed.data;
    const id = legacyId(form, p.namespace, p.name);
    const copy: LegacyCopy = { policy: p, key: JSON.stringify(p), object, place };
    const list = this.copies.get(id);
    if (list === undefined) this.copies.set(id, [copy]);
    else list.push(copy);
  }

  /** The isolation annotations of a Namespace that has been read without error. */
  readNamespace(value: Record<string, unknown>, name: string, object: string, place: Place): void {
    const parsed = namespaceIsolationSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      this.issues.push(...toInputIssues(parsed.error.issues, { file: place.file, object }));
      return;
    }
    this.note(isolationNotes(value), object, place);
    const isolation = parsed.data;
    if (isolation.alpha === undefined && isolation.beta === undefined) return;
    // Copies of one Namespace: the canonically first place names it; any copy isolating isolates.
    const before = this.namespaces.get(name)?.isolation ?? {};
    const merged: { alpha?: boolean; beta?: boolean } = {};
    if (before.alpha !== undefined || isolation.alpha !== undefined)
      merged.alpha = before.alpha === true || isolation.alpha === true;
    if (before.beta !== undefined || isolation.beta !== undefined)
      merged.beta = before.beta === true || isolation.beta === true;
    this.namespaces.set(name, {
      isolation: merged,
      object,
      place: this.namespaces.get(name)?.place ?? place,
    });
  }

  /**
   * Translate what was read (legacy-translate.ts) once the whole input is: `add` receives each v1
   * policy it becomes, placed where its original was read; names of the input's v1 policies (the
   * NetworkPolicy copies among `copies`) are not reused.
   */
  translate(
    copies: ReadonlyMap<string, readonly Copy[]>,
    add: (policy: NetworkPolicy, object: string, place: Place) => void,
  ): LegacyTranslation {
    const taken = new Map<string, Set<string>>();
    for (const list of copies.values()) {
      const value = list[0]?.kind === "NetworkPolicy" ? (list[0].value as NetworkPolicy) : undefined;
      if (value === undefined) continue;
      if (!taken.has(value.namespace)) taken.set(value.namespace, new Set());
      taken.get(value.namespace)!.add(value.name);
    }
    const t = translateLegacy(this.copies, this.namespaces, (ns) => taken.get(ns) ?? new Set());
    // Built from validated legacy objects, a translation is valid v1: a failure here is a bug.
    for (const p of t.policies)
      add(networkPolicySchema.parse(p.manifest), `NetworkPolicy ${p.namespace}/${p.name}`, p.place);
    return t;
  }
}
