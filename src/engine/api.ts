// PLACEHOLDER CONTRACT (being implemented by the lead in src/compile + src/engine).
// Helpers: code against these signatures; the real module is src/engine/policy-table.ts and
// src/compile/compile.ts, re-exported from src/index.ts.
import type { Decision, Explanation, Flow, Matrix } from "../model/flow.ts";
import type { Profile } from "../model/profile.ts";
import type { Cluster, Diagnostic, Protocol } from "../model/types.ts";

export interface CompileOptions {
  /** A profile or the name of a built-in one; default `conformance`. */
  readonly profile?: Profile | string;
}

export interface PolicyTableApi {
  readonly profile: Profile;
  readonly diagnostics: readonly Diagnostic[];
  /** true iff decide(flow).verdict === "allow". Throws InputError for an endpoint that names nothing. */
  allows(flow: Flow): boolean;
  decide(flow: Flow): Decision;
  explain(flow: Flow): Explanation;
  matrix(query: { readonly port: number | string; readonly protocol?: Protocol }): Matrix;
  /** Hot path: endpoint index of `ns/name` or an IP; port index of (protocol, number); then allowsIndex. */
  endpointIndex(ref: string): number;
  portIndex(protocol: Protocol, port: number): number;
  allowsIndex(src: number, dst: number, portIndex: number): boolean;
}

export declare function compile(cluster: Cluster, options?: CompileOptions): PolicyTableApi;
/** Canonical JSON of the compiled IR: byte-identical for the same cluster in any input order. */
export declare function serializeTable(table: PolicyTableApi): string;
