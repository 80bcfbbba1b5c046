// One pass over the parsed documents: each object checked by its kind's schema and kept as a copy
// (merged later by mergeCopies), Lists walked, skipped kinds and notes reported (parseCluster).
import type { InputIssue } from "../model/input-error.ts";
import type { Diagnostic, Namespace, Pod } from "../model/types.ts";
import { type Note, noteIssue } from "./cluster-policy-notes.ts";
import type { CRDValidation } from "./cluster-policy-read.ts";
import { describeValue, quote, typeName } from "./describe-value.ts";
import { CLUSTER_SCOPED_KINDS, READ_POLICY_KINDS, UNEVALUATED_POLICY_KINDS } from "./kinds.ts";
import { LegacyCollector, legacyFormOf } from "./legacy-read.ts";
import type { Copy, Place } from "./merge-copies.ts";
import { DEFAULT_NAMESPACE } from "./object-schemas.ts";
import { READ, READ_LENIENT, type ReadKind, type ReadValue } from "./read-kinds.ts";
import { formatPath, toInputIssues } from "./zod-issues.ts";

/** Where a value sits: file, document, and the path of `items` inside Lists. */
export interface Where {
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

export class Collector {
  readonly issues: InputIssue[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Every copy of each object (kind, namespace, name), merged by `mergeCopies` at the end. */
  readonly copies: Map<string, Copy[]> = new Map();
  /** The seed's legacy API (docs/legacy-api.md), translated once the whole input is read. */
  readonly legacy: LegacyCollector = new LegacyCollector();
  /** How each kind is read: as the API server validates it, or with the lenient CRD reading (decisions #57-#58). */
  private readonly read: Readonly<Record<string, ReadKind>>;

  constructor(options: { readonly crdValidation?: CRDValidation } = {}) {
    this.read = options.crdValidation === "warn" ? READ_LENIENT : READ;
  }

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
    const read = Object.hasOwn(this.read, kind) ? this.read[kind] : undefined;
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
      // A misspelt field is often why the schema failed (`from: [{podselector: {}}]` is "a peer
      // must set podSelector…"): its unknown-field error, with the did-you-mean, goes first.
      for (const n of this.unknownFieldErrors(read, value))
        this.issues.push(noteIssue(n, object, where.file));
      this.issues.push(...toInputIssues(parsed.error.issues, { file: where.file, object }));
      return;
    }
    const notes = read.notes?.(value) ?? [];
    const errors = notes.filter((n) => n.severity === "error");
    if (errors.length > 0) {
      for (const n of errors) this.issues.push(noteIssue(n, object, where.file));
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
   * The unknown-field errors of an object its schema refused, those with a near known name only (a
   * typo the refusal likely comes from; on an invalid object the others may be noise). The notes
   * walk raw input defensively.
   */
  private unknownFieldErrors(read: ReadKind, value: Record<string, unknown>): Note[] {
    try {
      return (read!.notes?.(value) ?? []).filter(
        (n) => n.severity === "error" && n.code === "unknown-field" && n.message.includes("did you mean"),
      );
    } catch {
      return []; // the schema's own issues are reported regardless
    }
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
