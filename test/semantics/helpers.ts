// Shared helpers of the semantics suite (docs/semantics.md): every case is a small YAML manifest,
// read with parseCluster, compiled, and decided by BOTH the compiled table and the reference
// evaluator, which must each give the expected verdict.
import { describe, expect, it } from "vitest";
import {
  type Cluster,
  compile,
  type Decision,
  type Diagnostic,
  evaluate,
  type Flow,
  type PolicyTable,
  type Profile,
  parseCluster,
  type Verdict,
} from "../../src/index.ts";

/** Strip the common indentation of a template literal, so that YAML can be written indented in code. */
export function dedent(text: string): string {
  const lines = text
    .replace(/^\n/, "")
    .replace(/\n[ \t]*$/, "")
    .split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join("\n");
}

/** Multi-document YAML from documents (each dedented). */
export function yaml(...docs: string[]): string {
  return docs.map((d) => dedent(d)).join("\n---\n");
}

const flow = (value: unknown): string => JSON.stringify(value);

/** A Namespace object (`labels` as written; the engine injects `kubernetes.io/metadata.name`). */
export function namespace(name: string, labels: Record<string, string> = {}): string {
  return yaml(`
    apiVersion: v1
    kind: Namespace
    metadata:
      name: ${flow(name)}
      labels: ${flow(labels)}
  `);
}

/** A NetworkPolicy in `ns` selecting `app: target` for ingress, `ingress` its value as flow-style YAML. */
export function ingressPolicy(name: string, target: string, ingress: string, ns = "x"): string {
  return yaml(`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: ${name}, namespace: ${ns}}
    spec:
      podSelector: {matchLabels: {app: ${target}}}
      ingress: ${ingress}
  `);
}

/** `deny-all` in `ns`: every pod of it isolated in both directions, no rules. */
export function denyAll(ns: string): string {
  return yaml(`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: deny-all, namespace: ${ns}}
    spec:
      podSelector: {}
      policyTypes: [Ingress, Egress]
  `);
}

export interface PodOptions {
  readonly labels?: Record<string, string>;
  /** The labels as literal flow-style YAML (keys written exactly as in a manifest, e.g. prototype member names). */
  readonly labelsYaml?: string;
  /** `status.podIPs` (the first is also `status.podIP`); none = an address-less pod. */
  readonly ips?: readonly string[];
  /** `spec.containers[0].ports`. */
  readonly ports?: readonly { name?: string; containerPort: number; protocol?: string }[];
  readonly hostNetwork?: boolean;
  /** `status.hostIP`: the pod's node address. */
  readonly hostIP?: string;
  readonly nodeName?: string;
}

/**
 * A Pod object. `ref` is `namespace/name`, or a bare `name` for a pod written without
 * `metadata.namespace` (which the API server puts in `default`).
 */
export function pod(ref: string, o: PodOptions = {}): string {
  const slash = ref.indexOf("/");
  const ns = slash < 0 ? undefined : ref.slice(0, slash);
  const name = slash < 0 ? ref : ref.slice(slash + 1);
  const lines = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    `  name: ${flow(name)}`,
    ...(ns === undefined ? [] : [`  namespace: ${flow(ns)}`]),
    `  labels: ${o.labelsYaml ?? flow(o.labels ?? {})}`,
    "spec:",
    ...(o.nodeName === undefined ? [] : [`  nodeName: ${o.nodeName}`]),
    ...(o.hostNetwork === true ? ["  hostNetwork: true"] : []),
    "  containers:",
    "    - name: c",
    "      image: agnhost",
    ...(o.ports === undefined ? [] : [`      ports: ${flow(o.ports)}`]),
  ];
  const ips = o.ips ?? [];
  if (ips.length > 0 || o.hostIP !== undefined) {
    lines.push("status:");
    if (o.hostIP !== undefined) lines.push(`  hostIP: ${flow(o.hostIP)}`);
    if (ips.length > 0) {
      lines.push(`  podIP: ${flow(ips[0])}`);
      lines.push(`  podIPs: ${flow(ips.map((ip) => ({ ip })))}`);
    }
  }
  return lines.join("\n");
}

/** A manifest read and compiled; tables are compiled lazily, once per profile. */
export interface Loaded {
  readonly cluster: Cluster;
  /** parseCluster's diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  table(profile?: ProfileArg): PolicyTable;
}

export type ProfileArg = Profile | string;

/** Read a manifest with parseCluster (as the CLI does) and compile it on demand. */
export function load(text: string, file = "case.yaml"): Loaded {
  const { cluster, diagnostics } = parseCluster([{ name: file, text }]);
  const tables = new Map<ProfileArg, PolicyTable>();
  return {
    cluster,
    diagnostics,
    table(profile: ProfileArg = "conformance") {
      let t = tables.get(profile);
      if (t === undefined) tables.set(profile, (t = compile(cluster, { profile })));
      return t;
    },
  };
}

/** Memoise a loader, so that a scenario's manifest is parsed once but inside a test (errors fail tests, not collection). */
export function lazy(make: () => Loaded): () => Loaded {
  let l: Loaded | undefined;
  return () => (l ??= make());
}

/** The compiled table's and the reference evaluator's decisions for one flow. */
export function decideBoth(
  l: Loaded,
  f: Flow,
  profile: ProfileArg = "conformance",
): { engine: Decision; reference: Decision } {
  return { engine: l.table(profile).decide(f), reference: evaluate(l.cluster, f, profile) };
}

/**
 * Assert that the compiled table AND the reference evaluator both give `verdict` for `f`
 * (one assertion, so that a failure shows which side disagrees). For `unknown`, both must give a
 * reason, matching `reason` when one is given. Returns both decisions for further checks.
 */
export function expectVerdict(
  l: Loaded,
  f: Flow,
  verdict: Verdict,
  profile: ProfileArg = "conformance",
  reason?: RegExp,
): { engine: Decision; reference: Decision } {
  const both = decideBoth(l, f, profile);
  expect(
    { engine: both.engine.verdict, reference: both.reference.verdict },
    describeFlow(f, profile),
  ).toEqual({
    engine: verdict,
    reference: verdict,
  });
  if (verdict === "unknown") {
    for (const side of ["engine", "reference"] as const) {
      const why = both[side].reason;
      expect(why, `${side} reason`).toBeTypeOf("string");
      if (reason !== undefined) expect(why, `${side} reason`).toMatch(reason);
    }
  }
  return both;
}

export function describeFlow(f: Flow, profile: ProfileArg = "conformance"): string {
  const p = typeof profile === "string" ? profile : profile.name;
  return `${f.from} → ${f.to} ${f.protocol ?? "TCP"}/${String(f.port)} [${p}]`;
}

/** One row of a flow table. */
export interface FlowCase {
  readonly from: string;
  readonly to: string;
  readonly port: number | string;
  readonly protocol?: "TCP" | "UDP" | "SCTP";
  readonly verdict: Verdict;
  readonly profile?: ProfileArg;
  /** For `unknown`: what both reasons must say. */
  readonly reason?: RegExp;
  /** Why this row is expected (shown in the test name). */
  readonly why?: string;
}

/**
 * A scenario: one manifest and a table of flows, each its own test named after the flow and why.
 * Both the engine and the reference evaluator must give each row's verdict.
 */
export function scenario(title: string, manifest: string, cases: readonly FlowCase[]): () => Loaded {
  const get = lazy(() => load(manifest));
  describe(title, () => {
    for (const c of cases) {
      const f: Flow = {
        from: c.from,
        to: c.to,
        port: c.port,
        ...(c.protocol === undefined ? {} : { protocol: c.protocol }),
      };
      const name = `${describeFlow(f, c.profile)} is ${c.verdict}${c.why === undefined ? "" : ` (${c.why})`}`;
      it(name, () => {
        expectVerdict(get(), f, c.verdict, c.profile, c.reason);
      });
    }
  });
  return get;
}

/** The same rows under another profile. */
export function underProfile(profile: ProfileArg, cases: readonly FlowCase[]): FlowCase[] {
  return cases.map((c) => ({ ...c, profile }));
}
