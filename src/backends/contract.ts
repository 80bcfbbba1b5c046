// The backend contract (docs/backends.md): a backend is a value `{ name, capabilities, render }`
// that turns the IR into files. It reads the IR only through `ir/` (the render view and the
// reader), `net/` and `backends/shared/` — never the model, the compiler or another backend — so a
// third party can write one in its own package against these types.
import type { PolicyTableIR } from "../ir/policy-table-ir.ts";

/**
 * What a table may ask of a datapath. A backend lists those it renders; `render` compares them
 * with what the table uses (`usedFeatures`).
 */
export type Feature =
  | "ipv4"
  | "ipv6"
  | "sctp"
  | "port-ranges"
  | "cluster-tiers"
  | "deny-rules"
  | "node-scope"
  | "domain-names"
  | "shared-addresses";

export const FEATURES: readonly Feature[] = [
  "ipv4",
  "ipv6",
  "sctp",
  "port-ranges",
  "cluster-tiers",
  "deny-rules",
  "node-scope",
  "domain-names",
  "shared-addresses",
];

export interface BackendCapabilities {
  /** The features the backend renders faithfully. */
  readonly features: readonly Feature[];
}

/** One output file: a relative path (no `..`, no leading `/`) and its text. */
export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/** What `render` hands a backend. */
export interface BackendRenderOptions {
  /** Render only the pods scheduled on this node as subjects (a name in `ir.nodes`); absent: the whole cluster. */
  readonly node?: string;
}

export interface Backend {
  readonly name: string;
  /** One line for listings and READMEs. */
  readonly description?: string;
  readonly capabilities: BackendCapabilities;
  /** The artifacts for the table; deterministic (same IR → same bytes). */
  render(ir: PolicyTableIR, options: BackendRenderOptions): readonly Artifact[];
  /**
   * Optional: the artifacts that turn a datapath loaded with `before` into one loaded with
   * `after` (two renders of this backend) by updating members — set elements, map entries —
   * without loading the rest again; `undefined` when only a full load will do (the structure
   * changed). `renderDelta` calls it (docs/backends.md, "Deltas").
   */
  delta?(before: readonly Artifact[], after: readonly Artifact[]): readonly Artifact[] | undefined;
}
