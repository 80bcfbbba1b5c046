import { makeCluster } from "../model/cluster.ts";
import { InputError } from "../model/input-error.ts";
import { sortDiagnostics } from "../model/sort-diagnostics.ts";
import type { Cluster, Diagnostic } from "../model/types.ts";
import { Collector } from "./collect-objects.ts";
import { describeValue } from "./describe-value.ts";
import type { LegacyTranslation } from "./legacy-translate.ts";
import { mergeCopies } from "./merge-copies.ts";
import { readDocuments } from "./read-documents.ts";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_YAML_BYTES } from "./read-limits.ts";
import { resolveEndpoints } from "./workloads.ts";

/** One input text: `name` is its file path, or `<stdin>`. */
export interface Source {
  readonly name: string;
  readonly text: string;
}

/** Limits for reading sources. */
export interface ParseOptions {
  /** Largest source accepted, in UTF-8 bytes (default 256 MiB). */
  readonly maxBytes?: number;
  /** Largest YAML source accepted (default: `maxBytes`' default, 256 MiB; lower it to keep YAML smaller than JSON). */
  readonly maxYamlBytes?: number;
  /** Leave out pods in phase `Pending` that have no address yet (finished pods always are, unless `keepFinishedPods`). */
  readonly runningOnly?: boolean;
  /**
   * Keep pods in phase `Succeeded` or `Failed` as endpoints, without their (released) addresses,
   * as netpol-analyzer lists them (decisions #59); by default they are left out (#55).
   */
  readonly keepFinishedPods?: boolean;
  /**
   * `strict` (default): admin/baseline policies are refused where their CRDs refuse them. `warn`:
   * a v1alpha1 `pods` without its required `namespaceSelector` / `podSelector` is read as `{}`,
   * and a named port in a rule beside `nodes` / `networks` / `domainNames` peers (a CEL rule of
   * the CRDs) matches the rule's pod peers only — each with a warning, as netpol-analyzer reads
   * such manifests (decisions #57-#58).
   */
  readonly crdValidation?: "strict" | "warn";
}

/** A cluster read from manifests, with the legal oddities noticed on the way. */
export interface ParsedCluster {
  readonly cluster: Cluster;
  readonly diagnostics: readonly Diagnostic[];
}

/** The result of `safeParseCluster`: the cluster, or the one error carrying every issue. */
export type SafeParseResult =
  | { ok: true; cluster: Cluster; diagnostics: readonly Diagnostic[] }
  | { ok: false; error: InputError };

/** safeParseCluster, and the legacy translation made on the way (`netpol migrate` writes it). */
export function readCluster(
  sources: readonly Source[],
  options: ParseOptions = {},
): { result: SafeParseResult; translation: LegacyTranslation } {
  const limits = {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxYamlBytes: options.maxYamlBytes ?? DEFAULT_MAX_YAML_BYTES,
  };
  const c = new Collector(options.crdValidation === "warn" ? { crdValidation: "warn" } : {});
  for (const source of sources) {
    const file = source.name;
    if (typeof source.text !== "string") {
      c.issues.push({
        code: "invalid-type",
        file,
        message: `source text must be a string, got ${describeValue(source.text)}`,
      });
      continue;
    }
    try {
      const read = readDocuments(file, source.text, limits);
      c.issues.push(...read.issues);
      for (const doc of read.documents) c.visit(doc.value, { file, document: doc.index, listPath: [] });
    } catch (e) {
      // Defence in depth: a stack overflow anywhere in parsing is bad input, not a crash.
      if (!(e instanceof RangeError)) throw e;
      c.issues.push({ code: "too-deep", file, message: "input nested too deeply to read" });
    }
  }
  const translation = c.legacy.translate(c.copies, (v, object, place) =>
    c.add("NetworkPolicy", v, object, place),
  );
  const merged = mergeCopies(c.copies);
  // Sources in name order (stable: a source's own issues keep their document order), so that the
  // same files given in another order report the same.
  const all = [...c.issues, ...c.legacy.issues, ...translation.issues, ...merged.issues].sort((a, b) =>
    (a.file ?? "") < (b.file ?? "") ? -1 : (a.file ?? "") > (b.file ?? "") ? 1 : 0,
  );
  if (all.length > 0) return { result: { ok: false, error: new InputError(all) }, translation };
  const endpoints = resolveEndpoints(merged.pods, merged.workloads, {
    runningOnly: options.runningOnly === true,
    keepFinishedPods: options.keepFinishedPods === true,
  });
  const diagnostics = [
    ...c.diagnostics,
    ...c.legacy.diagnostics,
    ...translation.diagnostics,
    ...merged.diagnostics,
    ...endpoints.diagnostics,
  ];
  const cluster = makeCluster({ ...merged, pods: endpoints.pods });
  return {
    result: { ok: true, cluster, diagnostics: sortDiagnostics(diagnostics) },
    translation,
  };
}

/**
 * Read Kubernetes manifests (YAML or JSON, `List`s, several documents per source) into a canonical
 * `Cluster`, applying the API server's defaulting and validation, without throwing. The seed's
 * legacy API is read too and evaluated as its networking.k8s.io/v1 translation (docs/legacy-api.md).
 *
 * @example
 * const r = safeParseCluster([{ name: "ns.yaml", text: "kind: Namespace\napiVersion: v1\nmetadata: {name: prod}\n" }]);
 * if (r.ok) r.cluster.namespaces[0]?.name; // "prod"
 */
export function safeParseCluster(sources: readonly Source[], options: ParseOptions = {}): SafeParseResult {
  return readCluster(sources, options).result;
}

/**
 * Read Kubernetes manifests into a canonical `Cluster` (see `safeParseCluster`); throws one
 * `InputError` listing every issue across all sources.
 *
 * @example
 * const { cluster, diagnostics } = parseCluster([{ name: "<stdin>", text: manifests }]);
 */
export function parseCluster(sources: readonly Source[], options: ParseOptions = {}): ParsedCluster {
  const r = safeParseCluster(sources, options);
  if (!r.ok) throw r.error;
  return { cluster: r.cluster, diagnostics: r.diagnostics };
}
