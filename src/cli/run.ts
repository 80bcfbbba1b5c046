import { parseArgs } from "node:util";
import { builtinBackend, builtinBackendNames } from "../backends/builtin.ts";
import {
  type Backend,
  compile,
  type Diagnostic,
  type Flow,
  type FlowCase,
  formatIssue,
  InputError,
  type InputIssue,
  type PolicyTable,
  type Protocol,
  parseCluster,
  parseFlows,
  RenderError,
  UnsupportedFeatureError,
} from "../index.ts";
import { portNameError } from "../io/name-validation.ts";
import { convert } from "./convert.ts";
import { formatCheck, formatExplanation, writeMatrixJson, writeMatrixText } from "./format-text.ts";
import { diagnosticLines } from "./print-diagnostics.ts";
import { readFlowsInput, readInputs } from "./read-inputs.ts";
import {
  outProblem,
  type RenderRequest,
  renderSummary,
  renderToDirectory,
  WriteError,
} from "./render-command.ts";

/** Where the CLI reads and writes; the real process in `main.ts`, buffers in tests. */
export interface CliEnv {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole of standard input (called at most once, only when an argument is `-`). */
  readStdin(): string;
  /** The backends `render --backend` knows by name (default: the built-in ones); tests add their own. */
  readonly backends?: Readonly<Record<string, Backend>>;
}

const BACKEND_LIST: string = builtinBackendNames().join(", ") || "none built in yet";

export const USAGE: string = `netpol — Kubernetes network policy, decided exactly (netpol-engine)

Usage:
  netpol matrix  <inputs...> --port <number|name> [--protocol TCP|UDP|SCTP] [--profile <name>] [--format text|json]
  netpol check   <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name>
                 [--protocol TCP] [--profile <name>] [--format text|json] [--expect allow|deny]
  netpol check   <inputs...> --flows <file|->        (a JSON array of {from, to, port, protocol?, expect?})
  netpol explain <inputs...> --from <ns/pod|IP> --to <ns/pod|IP> --port <number|name>
                 [--protocol TCP] [--profile <name>] [--format text|json]
  netpol convert <inputs...>     AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1 as
                                 ClusterNetworkPolicy v1alpha2 YAML (v1alpha2 input passed through)
  netpol render  <inputs...> --backend <name> --out <dir> [--node <name>] [--profile <name>]
                 [--allow-unsupported]   the rules of a backend (${BACKEND_LIST}) written into <dir>
                                 with a README on loading them; --node: only that node's pods as subjects

Inputs: YAML (multi-document) or JSON files, directories (recursive), or - for stdin.
Profiles: conformance (default), ipblock-external.
Options: --quiet suppresses diagnostics on stderr; --all-diagnostics prints every one (by default
         each kind's first 5, then a count of the rest).
Exit codes: 0 success, 1 an --expect (or a flow's expect) that did not hold, 2 bad input or usage.
`;

/** A usage mistake: exit 2 with the message and a pointer to --help. */
class UsageError extends Error {}

const OPTIONS = {
  port: { type: "string" },
  protocol: { type: "string" },
  profile: { type: "string" },
  format: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  flows: { type: "string" },
  expect: { type: "string" },
  backend: { type: "string" },
  out: { type: "string" },
  node: { type: "string" },
  "allow-unsupported": { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  "all-diagnostics": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Options = {
  -readonly [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string;
};

/** Which options each command takes (besides --profile, --format, --quiet, --help). */
const ALLOWED: Record<string, readonly (keyof Options)[]> = {
  matrix: ["port", "protocol"],
  check: ["from", "to", "port", "protocol", "expect", "flows"],
  explain: ["from", "to", "port", "protocol"],
  convert: [],
  render: ["backend", "out", "node", "allow-unsupported"],
};

/**
 * Options every command takes, besides its own (convert compiles nothing: no profile, no format;
 * render writes files: no format).
 */
const COMMON = (command: string): readonly (keyof Options)[] =>
  command === "convert"
    ? ["quiet", "all-diagnostics", "help"]
    : command === "render"
      ? ["profile", "quiet", "all-diagnostics", "help"]
      : ["profile", "format", "quiet", "all-diagnostics", "help"];

function protocolOf(text: string | undefined): Protocol {
  if (text === undefined) return "TCP";
  const p = text.toUpperCase();
  if (p === "TCP" || p === "UDP" || p === "SCTP") return p;
  throw new UsageError(`--protocol must be TCP, UDP or SCTP, got "${text}"`);
}

function portOf(text: string | undefined): number | string {
  if (text === undefined || text === "") throw new UsageError("--port is required");
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    if (n < 1 || n > 65535) throw new UsageError(`--port must be 1-65535 or a port name, got ${text}`);
    return n;
  }
  // The same rule as a port name in a manifest: `HTTP`, `+80` or `1e3` can name no container port,
  // so they are a typo to report, not an `unknown` verdict.
  const bad = portNameError(text);
  if (bad !== undefined) throw new UsageError(`--port must be 1-65535 or a port name, got "${text}": ${bad}`);
  return text;
}

function formatOf(text: string | undefined): "text" | "json" {
  if (text === undefined || text === "text" || text === "json") return text ?? "text";
  throw new UsageError(`--format must be text or json, got "${text}"`);
}

function required(opts: Options, name: "from" | "to"): string {
  const v = opts[name];
  if (v === undefined || v === "") throw new UsageError(`--${name} is required`);
  return v;
}

function printDiagnostics(env: CliEnv, diagnostics: readonly Diagnostic[], opts: Options): void {
  for (const line of diagnosticLines(diagnostics, opts["all-diagnostics"] === true)) env.stderr(line);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function load(env: CliEnv, inputs: readonly string[], opts: Options, stdin: () => string): PolicyTable {
  if (inputs.length === 0) throw new UsageError("no input files given");
  const sources = readInputs(inputs, stdin);
  const { cluster, diagnostics } = parseCluster(sources);
  const table = compile(cluster, opts.profile === undefined ? {} : { profile: opts.profile });
  if (opts.quiet !== true) printDiagnostics(env, [...diagnostics, ...table.diagnostics], opts);
  return table;
}

/**
 * The matrix, streamed: `table.matrix()` builds every pair's object, which for 10 000 pods (10⁸
 * pairs) exhausts the heap, and its JSON is past V8's longest string from ~3 000 pods. Row by row
 * (`matrixRows`), memory stays at one row.
 */
function matrix(env: CliEnv, table: PolicyTable, opts: Options): number {
  const rows = table.matrixRows({ port: portOf(opts.port), protocol: protocolOf(opts.protocol) });
  const write = (text: string): void => env.stdout(text);
  if (formatOf(opts.format) === "text") writeMatrixText(rows, write);
  else writeMatrixJson(rows, write);
  return 0;
}

/** What an expectation that did not hold reports: `expected allow, got deny: a → b TCP/80`. */
function missText(expected: string, got: string, f: Flow): string {
  return `expected ${expected}, got ${got}: ${f.from} → ${f.to} ${f.protocol ?? "TCP"}/${f.port}`;
}

function checkFlows(env: CliEnv, table: PolicyTable, flowsArg: string, stdin: () => string): number {
  const source = readFlowsInput(flowsArg, stdin);
  const flows = parseFlows(source!);
  // Every flow that names no endpoint is reported, not only the first.
  const issues: InputIssue[] = [];
  const lines: string[] = [];
  const missed: string[] = [];
  flows.forEach((f: FlowCase, i) => {
    try {
      const d = table.decide(f);
      if (f.expect !== undefined && d.verdict !== f.expect)
        missed.push(`[${i}] ${missText(f.expect, d.verdict, f)}`);
      const result = {
        from: f.from,
        to: f.to,
        port: f.port,
        protocol: f.protocol ?? "TCP",
        verdict: d.verdict,
        ...(d.reason === undefined ? {} : { reason: d.reason }),
      };
      lines.push(JSON.stringify(result));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const x of e.issues)
        issues.push({ ...x, file: source!.name, path: `[${i}]${x.path ? `.${x.path}` : ""}` });
    }
  });
  if (issues.length > 0) throw new InputError(issues);
  env.stdout(`[${lines.length === 0 ? "" : `\n${lines.join(",\n")}\n`}]\n`);
  for (const m of missed) env.stderr(`netpol: ${m}\n`);
  return missed.length === 0 ? 0 : 1;
}

function check(env: CliEnv, table: PolicyTable, opts: Options, explainOnly: boolean): number {
  const flow: Flow = {
    from: required(opts, "from"),
    to: required(opts, "to"),
    port: portOf(opts.port),
    protocol: protocolOf(opts.protocol),
  };
  const expect = opts.expect;
  if (expect !== undefined && expect !== "allow" && expect !== "deny")
    throw new UsageError(`--expect must be allow or deny, got "${expect}"`);
  const e = table.explain(flow);
  const format = formatOf(opts.format);
  if (explainOnly) env.stdout(format === "json" ? json(e) : formatExplanation(e, flow.port));
  else if (format === "json")
    env.stdout(
      json({
        from: flow.from,
        to: flow.to,
        port: flow.port,
        protocol: flow.protocol,
        verdict: e.verdict,
        explanation: e,
      }),
    );
  else env.stdout(formatCheck(e, flow.port));
  if (expect !== undefined && e.verdict !== expect) {
    env.stderr(`netpol: ${missText(expect, e.verdict, flow)}\n`);
    return 1;
  }
  return 0;
}

/** `render`'s options, checked before any input is read. */
function renderRequest(env: CliEnv, opts: Options): RenderRequest {
  const name = opts.backend;
  if (name === undefined || name === "") throw new UsageError("--backend is required");
  const known = env.backends ?? undefined;
  const backend =
    known === undefined ? builtinBackend(name) : Object.hasOwn(known, name) ? known[name] : undefined;
  if (backend === undefined) {
    const names = known === undefined ? builtinBackendNames() : Object.keys(known).sort();
    throw new UsageError(
      `unknown backend "${name}" (${names.length === 0 ? "no backend is built in yet" : `known: ${names.join(", ")}`})`,
    );
  }
  const out = opts.out;
  if (out === undefined || out === "") throw new UsageError("--out is required");
  const problem = outProblem(out);
  if (problem !== undefined) throw new UsageError(problem);
  if (opts.node === "") throw new UsageError("--node needs a node name");
  return { backend, out, node: opts.node, allowUnsupported: opts["allow-unsupported"] === true };
}

function renderCommand(env: CliEnv, table: PolicyTable, request: RenderRequest): number {
  const nodes = table.ir.nodes;
  if (request.node !== undefined && !nodes.includes(request.node))
    throw new UsageError(
      `--node "${request.node}" is not a node of the cluster (${nodes.length === 0 ? "it has no nodes" : `nodes: ${nodes.slice(0, 10).join(", ")}${nodes.length > 10 ? ", …" : ""}`})`,
    );
  let written: ReturnType<typeof renderToDirectory>;
  try {
    written = renderToDirectory(table, request);
  } catch (e) {
    if (e instanceof UnsupportedFeatureError) {
      env.stderr(
        `netpol: error: ${e.message.replace(/ \(render with unsupported: "warn" to render anyway\)$/, "")}\n` +
          `netpol: pass --allow-unsupported to render anyway (what the backend cannot render is then left out, as its documentation says)\n`,
      );
      return 2;
    }
    if (e instanceof RenderError || e instanceof WriteError) {
      env.stderr(`netpol: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  for (const w of written.result.warnings) env.stderr(`netpol: warning: ${w}\n`);
  env.stdout(renderSummary(request, written.files.length, written.bytes));
  return 0;
}

/** Run the CLI; returns the exit code (0 ok, 1 an --expect failed, 2 bad input or usage). */
export function run(argv: readonly string[], env: CliEnv): number {
  let stdinRead = false;
  const stdin = (): string => {
    if (stdinRead) throw new UsageError("standard input (-) can be read only once");
    stdinRead = true;
    return env.readStdin();
  };
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      env.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    // Own keys only: `netpol constructor` must not find Object.prototype's.
    const allowed = Object.hasOwn(ALLOWED, command) ? ALLOWED[command] : undefined;
    if (allowed === undefined)
      throw new UsageError(`unknown command "${command}" (matrix, check, explain, convert, render)`);
    let parsed: { values: Options; positionals: string[]; tokens: { kind: string; name?: string }[] };
    try {
      parsed = parseArgs({
        args: [...rest],
        options: OPTIONS,
        allowPositionals: true,
        strict: true,
        tokens: true,
      }) as typeof parsed;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    // parseArgs keeps the last of a repeated option; `--from a --from b` is a mistake, not a choice.
    const given = new Set<string>();
    for (const t of parsed.tokens)
      if (
        t.kind === "option" &&
        t.name !== undefined &&
        OPTIONS[t.name as keyof Options]?.type === "string"
      ) {
        if (given.has(t.name)) throw new UsageError(`--${t.name} is given more than once`);
        given.add(t.name);
      }
    const opts = parsed.values;
    if (opts.help === true) {
      env.stdout(USAGE);
      return 0;
    }
    for (const key of Object.keys(opts) as (keyof Options)[])
      if (![...COMMON(command), ...allowed].includes(key))
        throw new UsageError(`--${key} is not an option of ${command}`);
    if (command === "check" && opts.flows !== undefined) {
      for (const k of ["from", "to", "port", "expect"] as const)
        if (opts[k] !== undefined) throw new UsageError(`--flows cannot be combined with --${k}`);
      if (opts.flows === "-" && parsed.positionals.includes("-"))
        throw new UsageError("standard input (-) cannot hold both the manifests and the flows");
    }
    if (command === "convert") {
      if (parsed.positionals.length === 0) throw new UsageError("no input files given");
      const { cluster, diagnostics } = parseCluster(readInputs(parsed.positionals, stdin));
      const shown = opts.quiet === true ? [] : diagnosticLines(diagnostics, opts["all-diagnostics"] === true);
      return convert(env, cluster, shown, opts.quiet === true);
    }
    // render's options are checked before the (possibly large) input is read.
    const request = command === "render" ? renderRequest(env, opts) : undefined;
    const table = load(env, parsed.positionals, opts, stdin);
    if (request !== undefined) return renderCommand(env, table, request);
    if (command === "matrix") return matrix(env, table, opts);
    if (command === "check" && opts.flows !== undefined) return checkFlows(env, table, opts.flows, stdin);
    return check(env, table, opts, command === "explain");
  } catch (e) {
    if (e instanceof UsageError) {
      env.stderr(`netpol: ${e.message}\nRun "netpol --help" for usage.\n`);
      return 2;
    }
    if (e instanceof InputError) {
      for (const issue of e.issues) env.stderr(`netpol: error: ${formatIssue(issue)}\n`);
      return 2;
    }
    const err = e as Error;
    env.stderr(`netpol: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.NETPOL_DEBUG) env.stderr(`${err?.stack ?? ""}\n`);
    return 2;
  }
}
