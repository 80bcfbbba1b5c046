import { makeCluster } from "../model/cluster.ts";
import { InputError, type InputIssue } from "../model/input-error.ts";
import { sortDiagnostics } from "../model/sort-diagnostics.ts";
import type { Cluster, Diagnostic, Namespace, Pod } from "../model/types.ts";
import { describeValue, quote, typeName } from "./describe-value.ts";
import { CLUSTER_SCOPED_KINDS, READ_POLICY_KINDS, UNEVALUATED_POLICY_KINDS } from "./kinds.ts";
import { LegacyCollector, legacyFormOf } from "./legacy-read.ts";
import type { LegacyTranslation } from "./legacy-translate.ts";
import { type Copy, mergeCopies, type Place } from "./merge-copies.ts";
import { DEFAULT_NAMESPACE } from "./object-schemas.ts";
import { readDocuments } from "./read-documents.ts";
import { READ, type ReadValue } from "./read-kinds.ts";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_YAML_BYTES } from "./read-limits.ts";
import { resolveEndpoints } from "./workloads.ts";
import { formatPath, toInputIssues } from "./zod-issues.ts";

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
  /** Leave out pods in phase `Pending` that have no address yet (finished pods always are). */
  readonly runningOnly?: boolean;
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

/** Where a value sits: file, document, and the path of `items` inside Lists. */
interface Where {
  readonly file: string;
  readonly document: number;
  readonly listPath: readonly (string | number)[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** JSON with object keys sorted: equal for equal content whatever the key order. Model depth is bounded. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

function placeOf(where: Where): string {
  const list = where.listPath.length > 0 ? ` ${formatPath(where.listPath)}` : "";
  return `document ${where.document}${list}`;
}

/** `Kind namespace/name` (`Kind name` for a cluster-scoped kind), or `Kind in document N items[i]` when unnamed. */
function objectLabel(kind: string, value: Record<string, unknown>, where: Where): string {
  const meta = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === "string" && meta.name !== "" ? meta.name : undefined;
  if (name === undefined) return `${kind} in ${placeOf(where)}`;
  if (CLUSTER_SCOPED_KINDS.has(kind)) return `${kind} ${name}`;
  // A namespace of the wrong type is not `default`: name it as read (YAML `namespace: yes` → `true`).
  const raw = meta.namespace;
  const ns =
    raw === undefined || raw === null || raw === ""
      ? DEFAULT_NAMESPACE
      : typeof raw === "object"
        ? "?"
        : String(raw);
  return `${kind} ${ns}/${name}`;
}

class Collector {
  readonly issues: InputIssue[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Every copy of each object (kind, namespace, name), merged by `mergeCopies` at the end. */
  readonly copies = new Map<string, Copy[]>();
  /** The seed's legacy API (docs/legacy-api.md), translated once the whole input is read. */
  readonly legacy = new LegacyCollector();

  visit(value: unknown, where: Where, inherited?: { kind: string; apiVersion: unknown }): void {
    const place = placeOf(where);
    if (!isRecord(value)) {
      this.issues.push({
        code: "not-an-object",
        file: where.file,
        object: place,
        message: `expected a Kubernetes object, got ${describeValue(value)}`,
      });
      return;
    }
    const kind = value.kind ?? inherited?.kind;
    if (kind === undefined || kind === null || kind === "") {
      this.issues.push({
        code: "missing-kind",
        file: where.file,
        object: place,
        path: "kind",
        message: "object has no kind",
      });
      return;
    }
    if (typeof kind !== "string") {
      const message = `kind must be a string, got ${describeValue(kind)}`;
      this.issues.push({ code: "invalid-type", file: where.file, object: place, path: "kind", message });
      return;
    }
    const apiVersion = value.apiVersion ?? inherited?.apiVersion;
    if (kind === "List" || (kind.length > 4 && kind.endsWith("List") && Object.hasOwn(value, "items"))) {
      this.visitList(kind, value, apiVersion, where);
      return;
    }
    const object = objectLabel(kind, value, where);
    const form = legacyFormOf(kind, apiVersion);
    if (form !== undefined) {
      this.legacy.readPolicy(form, value, object, placeFor(where));
      return;
    }
    const read = Object.hasOwn(READ, kind) ? READ[kind] : undefined;
    if (
      read === undefined ||
      (apiVersion !== undefined && apiVersion !== null && apiVersion !== read.apiVersion)
    ) {
      const which =
        read === undefined ? `kind ${kind}` : `${kind} of apiVersion ${quote(String(apiVersion))}`;
      const only = read === undefined ? "" : ` (only ${read.apiVersion} is read)`;
      const policy = UNEVALUATED_POLICY_KINDS.has(kind) || READ_POLICY_KINDS.has(kind);
      this.diagnostics.push({
        severity: policy ? "warning" : "info",
        code: "ignored-kind",
        object,
        file: where.file,
        message: policy
          ? `ignored ${which}${only}: its rules are not evaluated, so flows it denies may be reported as allowed`
          : `ignored ${which}${only}`,
      });
      return;
    }
    if (typeof apiVersion !== "string") {
      const got =
        apiVersion === undefined || apiVersion === null
          ? "missing"
          : `${typeName(apiVersion)} ${describeValue(apiVersion)}`;
      this.issues.push({
        code: apiVersion === undefined || apiVersion === null ? "missing-field" : "invalid-type",
        file: where.file,
        object,
        path: "apiVersion",
        message: `apiVersion is ${got}; ${kind} needs apiVersion ${read.apiVersion}`,
      });
      return;
    }
    const parsed = read.schema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      this.issues.push(...toInputIssues(parsed.error.issues, { file: where.file, object }));
      return;
    }
    const notes = read.notes?.(value) ?? [];
    const errors = notes.filter((n) => n.severity === "error");
    if (errors.length > 0) {
      for (const n of errors)
        this.issues.push({
          code: n.code,
          file: where.file,
          object,
          path: formatPath(n.path),
          message: n.message,
        });
      return;
    }
    for (const n of notes)
      if (n.severity !== "error")
        this.diagnostics.push({
          ...n,
          severity: n.severity,
          path: formatPath(n.path),
          object,
          file: where.file,
        });
    if (kind === "Pod") this.checkPortNames(parsed.data as Pod, object, where);
    if ("template" in parsed.data) this.checkPortNames(parsed.data.template, object, where);
    if (kind === "Namespace")
      this.legacy.readNamespace(value, (parsed.data as Namespace).name, object, placeFor(where));
    this.add(kind, parsed.data, object, placeFor(where));
  }

  /**
   * Two containers of one pod may both name a port `http` (validation checks names per container
   * only); a named port in a policy then resolves to the first in declaration order (as
   * kube-network-policies does). Legal but ambiguous: a diagnostic when the numbers differ.
   */
  private checkPortNames(pod: Pod, object: string, where: Where): void {
    const first = new Map<string, number>();
    for (const p of pod.ports) {
      if (p.name === undefined) continue;
      const key = `${p.name}/${p.protocol}`;
      const seen = first.get(key);
      if (seen === undefined) first.set(key, p.containerPort);
      else if (seen !== p.containerPort)
        this.diagnostics.push({
          severity: "warning",
          code: "ambiguous-port-name",
          object,
          path: "spec.containers",
          file: where.file,
          message: `two containers name a ${p.protocol} port ${quote(p.name)} (${seen} and ${p.containerPort}); policies naming it use ${seen}, the first declared`,
        });
    }
  }

  private visitList(kind: string, value: Record<string, unknown>, apiVersion: unknown, where: Where): void {
    const items = value.items ?? [];
    if (!Array.isArray(items)) {
      const message = `${kind} items must be an array, got ${describeValue(items)}`;
      this.issues.push({
        code: "invalid-type",
        file: where.file,
        object: placeOf(where),
        path: formatPath([...where.listPath, "items"]),
        message,
      });
      return;
    }
    // Typed lists (PodList, …) as the API prints them leave kind and apiVersion off their items.
    const inherited = kind === "List" ? undefined : { kind: kind.slice(0, -4), apiVersion };
    items.forEach((item, i) => {
      this.visit(item, { ...where, listPath: [...where.listPath, "items", i] }, inherited);
    });
  }

  add(kind: string, value: ReadValue, object: string, place: Place): void {
    const ns = "namespace" in value ? value.namespace : "";
    const id = `${kind}\u0000${ns}\u0000${value.name}`;
    const copy: Copy = { kind, value, key: canonicalJson(value), object, place };
    const list = this.copies.get(id);
    if (list === undefined) this.copies.set(id, [copy]);
    else list.push(copy);
  }
}

function placeFor(where: Where): Place {
  const items = where.listPath.filter((x): x is number => typeof x === "number");
  return { file: where.file, document: where.document, items, text: `${where.file} (${placeOf(where)})` };
}

/** safeParseCluster, and the legacy translation made on the way (`netpol migrate` writes it). */
export function readCluster(
  sources: readonly Source[],
  options: ParseOptions = {},
): { result: SafeParseResult; translation: LegacyTranslation } {
  const limits = {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxYamlBytes: options.maxYamlBytes ?? DEFAULT_MAX_YAML_BYTES,
  };
  const c = new Collector();
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
