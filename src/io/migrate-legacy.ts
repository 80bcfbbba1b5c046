import type { Diagnostic } from "../model/types.ts";
import { type Manifest, manifestsToYaml } from "./convert-cluster-policies.ts";
import { ALPHA_ISOLATION_ANNOTATION, BETA_POLICY_ANNOTATION } from "./legacy-namespace.ts";
import { legacyFormOf } from "./legacy-read.ts";
import { type LegacyTranslation, legacyId } from "./legacy-translate.ts";
import { DEFAULT_NAMESPACE } from "./object-schemas.ts";
import { type ParseOptions, readCluster, type Source } from "./parse-cluster.ts";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_YAML_BYTES, readDocuments } from "./read-documents.ts";

// `netpol migrate` (docs/legacy-api.md): the whole input, with the seed's legacy API replaced by
// its networking.k8s.io/v1 translation — the one parseCluster evaluates (legacy-translate.ts).

/** What `migrateLegacy` made. */
export interface MigrateResult {
  /** The migrated input as multi-document YAML (YAML 1.1, as kubectl and `parseCluster` read it). */
  readonly yaml: string;
  /** The diagnostics of reading the input (`legacy-no-effect`, `legacy-isolation`, …). */
  readonly diagnostics: readonly Diagnostic[];
  /** Legacy policies translated, legacy policies left out (they had no effect), namespaces isolated. */
  readonly counts: { readonly translated: number; readonly dropped: number; readonly isolated: number };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const isList = (kind: unknown, value: Record<string, unknown>): boolean =>
  kind === "List" ||
  (typeof kind === "string" && kind.length > 4 && kind.endsWith("List") && Object.hasOwn(value, "items"));

/** A Namespace without the two isolation annotations (other annotations and labels kept). */
function withoutIsolation(value: Record<string, unknown>): Record<string, unknown> {
  const meta = value.metadata;
  if (!isRecord(meta) || !isRecord(meta.annotations)) return value;
  const rest = Object.entries(meta.annotations).filter(
    ([k]) => k !== ALPHA_ISOLATION_ANNOTATION && k !== BETA_POLICY_ANNOTATION,
  );
  const { annotations: _, ...others } = meta;
  return {
    ...value,
    metadata: rest.length === 0 ? others : { ...others, annotations: Object.fromEntries(rest) },
  };
}

/** Rewrites documents, each legacy object once: a later copy of it is dropped, as parseCluster merges it. */
class Rewriter {
  private readonly done = new Set<string>();
  constructor(private readonly t: LegacyTranslation) {}

  /** One document → its replacement values, and the default-deny policies to write after it. */
  document(value: unknown): { values: unknown[]; after: Manifest[] } {
    const after: Manifest[] = [];
    return { values: this.value(value, after, undefined), after };
  }

  private value(
    value: unknown,
    after: Manifest[],
    inherited?: { kind: unknown; apiVersion: unknown },
  ): unknown[] {
    if (!isRecord(value)) return [value];
    const kind = value.kind ?? inherited?.kind;
    const apiVersion = value.apiVersion ?? inherited?.apiVersion;
    if (isList(kind, value) && Array.isArray(value.items)) {
      const sub = kind === "List" ? undefined : { kind: String(kind).slice(0, -4), apiVersion };
      const items = value.items.flatMap((item) => this.value(item, after, sub));
      // A NetworkPolicyList of a legacy group now holds v1 policies: so is the list.
      const legacyList = sub !== undefined && legacyFormOf(sub.kind, apiVersion) !== undefined;
      return [{ ...value, ...(legacyList ? { apiVersion: "networking.k8s.io/v1" } : {}), items }];
    }
    const meta = isRecord(value.metadata) ? value.metadata : {};
    const name = typeof meta.name === "string" ? meta.name : "";
    const form = typeof kind === "string" ? legacyFormOf(kind, apiVersion) : undefined;
    if (form !== undefined) {
      const ns =
        typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : DEFAULT_NAMESPACE;
      const id = legacyId(form, ns, name);
      const manifest = this.t.byLegacy.get(id);
      if (this.done.has(id) || manifest === undefined || manifest === null) return [];
      this.done.add(id);
      return [manifest];
    }
    if (kind !== "Namespace" || apiVersion !== "v1") return [value];
    const deny = this.t.defaultDenies.get(name);
    if (deny !== undefined && !this.done.has(`Namespace\u0000${name}`)) {
      this.done.add(`Namespace\u0000${name}`);
      after.push(deny);
    }
    return [withoutIsolation(value)];
  }
}

/**
 * The whole input with the seed's legacy API migrated to `networking.k8s.io/v1`: each legacy
 * NetworkPolicy of an isolated namespace replaced by its translation, each of a namespace that is
 * not isolated left out (it had no effect), each isolated Namespace written without its isolation
 * annotations and followed by a default-deny ingress policy. Everything else is written back as
 * read (re-serialised: comments and formatting are not kept). Sources in name order, documents in
 * source order. Throws `InputError` for input that `parseCluster` rejects.
 *
 * @example
 * migrateLegacy([{ name: "in.yaml", text: manifests }]).yaml // "apiVersion: v1\nkind: Namespace\n…"
 */
export function migrateLegacy(sources: readonly Source[], options: ParseOptions = {}): MigrateResult {
  const { result, translation } = readCluster(sources, options);
  if (!result.ok) throw result.error;
  const limits = {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxYamlBytes: options.maxYamlBytes ?? DEFAULT_MAX_YAML_BYTES,
  };
  const rewriter = new Rewriter(translation);
  const out: unknown[] = [];
  const ordered = [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const source of ordered)
    for (const doc of readDocuments(source.name, source.text, limits).documents) {
      const { values, after } = rewriter.document(doc.value);
      out.push(...values, ...after);
    }
  const translated = [...translation.byLegacy.values()].filter((m) => m !== null).length;
  return {
    yaml: manifestsToYaml(out as Manifest[]),
    diagnostics: result.diagnostics,
    counts: {
      translated,
      dropped: translation.byLegacy.size - translated,
      isolated: translation.defaultDenies.size,
    },
  };
}
