// `render(table, backend, options)`: check the backend's capabilities against what the table uses,
// then let it write its artifacts, checked (paths relative and distinct) and sorted by path.
import { IR_VERSION, KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Artifact, Backend, Feature } from "./contract.ts";
import { usedFeatures } from "./features.ts";

export interface RenderOptions {
  /** Render one node's pods as subjects (remote pods stay peers); absent: the whole cluster. */
  readonly node?: string;
  /**
   * What to do when the table uses a feature the backend lacks: `error` (default) throws an
   * `UnsupportedFeatureError`; `warn` renders anyway (the backend's documented fallback, e.g.
   * domainNames matching nothing) and lists the gaps in `warnings`.
   */
  readonly unsupported?: "error" | "warn";
}

export interface RenderResult {
  readonly backend: string;
  readonly artifacts: readonly Artifact[];
  readonly warnings: readonly string[];
}

/** A table uses what a backend cannot render; `features` lists each with the rules that use it. */
export class UnsupportedFeatureError extends Error {
  readonly backend: string;
  readonly features: readonly {
    readonly feature: Feature;
    readonly count: number;
    readonly examples: readonly string[];
  }[];
  constructor(backend: string, features: UnsupportedFeatureError["features"]) {
    super(
      `backend ${backend} cannot render: ${features.map((f) => describeGap(f)).join("; ")} (render with unsupported: "warn" to render anyway)`,
    );
    this.name = "UnsupportedFeatureError";
    this.backend = backend;
    this.features = features;
  }
}

function describeGap(f: UnsupportedFeatureError["features"][number]): string {
  const more = f.count > f.examples.length ? `, … and ${f.count - f.examples.length} more` : "";
  return `${f.feature} (${f.examples.join(", ")}${more})`;
}

/** Something a render was asked that no table can satisfy (a node it does not know, a bad artifact). */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderError";
  }
}

/**
 * Render a compiled table (or its IR) with a backend.
 *
 * @example
 * const { artifacts } = render(compile(cluster), nftablesBackend);
 * // artifacts: [{ path: "README", … }, { path: "netpol.nft", content: "table inet netpol …" }]
 */
export function render(
  table: { readonly ir: PolicyTableIR } | PolicyTableIR,
  backend: Backend,
  options: RenderOptions = {},
): RenderResult {
  const ir = "ir" in table ? table.ir : table;
  if (ir.version !== IR_VERSION)
    throw new RenderError(`IR version ${ir.version}: this library renders version ${IR_VERSION}`);
  if (options.node !== undefined && !ir.nodes.includes(options.node))
    throw new RenderError(
      `node ${JSON.stringify(options.node)} is not in the cluster (nodes: ${[...ir.nodes].sort().slice(0, 10).join(", ") || "none"}${ir.nodes.length > 10 ? ", …" : ""})`,
    );
  const supported = new Set(backend.capabilities.features);
  const gaps = [...usedFeatures(ir, options.node)]
    .filter(([f]) => !supported.has(f))
    .map(([feature, u]) => ({ feature, ...u }));
  if (gaps.length > 0 && options.unsupported !== "warn")
    throw new UnsupportedFeatureError(backend.name, gaps);
  const artifacts = [...backend.render(ir, options.node === undefined ? {} : { node: options.node })];
  checkArtifacts(backend.name, artifacts);
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    backend: backend.name,
    artifacts,
    warnings: [
      ...gaps.map((g) => `backend ${backend.name} does not render ${describeGap(g)}`),
      ...addressLess(ir),
    ],
  };
}

/**
 * A datapath matches packets by address: an endpoint without one — a workload's pod template, a
 * pod without `status.podIPs` (manifests from git) — gets no rules, so say so (rendered from
 * manifests alone, the rules enforce nothing for them).
 */
function addressLess(ir: PolicyTableIR): string[] {
  const names: string[] = [];
  for (let i = 0; i < ir.pods.length; i++)
    if (ir.kind[i] === KIND_POD && ir.podAddresses[i]!.length === 0) names.push(ir.pods[i]!);
  if (names.length === 0) return [];
  const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? `, … and ${names.length - 3} more` : "");
  return [
    `${names.length} of ${ir.pods.length} endpoints have no address (workload templates, or pods without status.podIPs: ${shown}); no rule can match their packets — render from a live cluster's dump`,
  ];
}

function checkArtifacts(backend: string, artifacts: readonly Artifact[]): void {
  const seen = new Set<string>();
  for (const a of artifacts) {
    const bad =
      typeof a.path !== "string" ||
      typeof a.content !== "string" ||
      a.path === "" ||
      a.path.startsWith("/") ||
      a.path.split(/[\\/]/).some((part) => part === ".." || part === "" || part === ".") ||
      seen.has(a.path);
    if (bad)
      throw new RenderError(
        `backend ${backend}: artifact path ${JSON.stringify(a.path)} is not a distinct relative path`,
      );
    seen.add(a.path);
  }
}

/** What `renderDelta` gives: the update artifacts, or `reload` when only a full load will do. */
export interface RenderDelta {
  readonly backend: string;
  /** True when the backend has no delta for this change (or none at all): load `after` whole. */
  readonly reload: boolean;
  readonly artifacts: readonly Artifact[];
  /** The full render of the new table (what `reload` loads, and what the delta leads to). */
  readonly after: RenderResult;
}

/**
 * The update from one table's rendering to another's (an incremental change, docs/decisions.md
 * #65): the backend's `delta` of the two renders — set elements and map entries to add and remove
 * — or `reload: true` when the structure changed.
 *
 * @example
 * const d = renderDelta(state.table, applyChange(state, change).table, nftablesBackend);
 * // d.reload ? load d.after.artifacts : apply d.artifacts ("netpol.delta.nft")
 */
export function renderDelta(
  before: { readonly ir: PolicyTableIR } | PolicyTableIR,
  after: { readonly ir: PolicyTableIR } | PolicyTableIR,
  backend: Backend,
  options: RenderOptions = {},
): RenderDelta {
  const was = render(before, backend, options);
  const now = render(after, backend, options);
  const delta = backend.delta?.(was.artifacts, now.artifacts);
  return {
    backend: backend.name,
    reload: delta === undefined,
    artifacts: delta === undefined ? [] : [...delta],
    after: now,
  };
}
