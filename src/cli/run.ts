import { parseArgs } from "node:util";
import { builtinBackend, builtinBackendNames } from "../backends/builtin.ts";
import {
  compile,
  InputError,
  NETPOL_ANALYZER_PROFILE,
  type PolicyTable,
  parseCluster,
  RenderError,
  UnsupportedFeatureError,
} from "../index.ts";
import { migrateLegacy } from "../io/migrate-legacy.ts";
import { check, checkFlows } from "./check-command.ts";
import { convert } from "./convert.ts";
import type { CliEnv } from "./env.ts";
import { writeMatrixJson, writeMatrixText } from "./format-text.ts";
import { commandHelp } from "./help.ts";
import { listCommand, validateListOptions } from "./list-command.ts";
import { migrate } from "./migrate.ts";
import {
  ALLOWED,
  COMMON,
  formatOf,
  OPTIONS,
  type Options,
  podCIDRsOf,
  portOf,
  printDiagnostics,
  protocolOf,
  UsageError,
  validateOptions,
  verboseOf,
} from "./options.ts";
import { diagnosticLines, errorLines } from "./print-diagnostics.ts";
import { readInputs } from "./read-inputs.ts";
import {
  outProblem,
  type RenderRequest,
  renderSummary,
  renderToDirectory,
  WriteError,
} from "./render-command.ts";
import { USAGE } from "./usage.ts";
import { packageVersion } from "./version.ts";

export type { CliEnv } from "./env.ts";
export { USAGE } from "./usage.ts";

function load(env: CliEnv, inputs: readonly string[], opts: Options, stdin: () => string): PolicyTable {
  if (inputs.length === 0) throw new UsageError("no input files given");
  const podCIDRs = podCIDRsOf(opts["pod-cidr"]); // a usage mistake before any input is read
  const sources = readInputs(inputs, stdin);
  // netpol-analyzer reads what the API server would refuse or drop (decisions #57–#59): its profile
  // reads the same input, so that its scenarios are answered as it answers them.
  const analyzer = opts.profile === NETPOL_ANALYZER_PROFILE.name;
  const { cluster, diagnostics } = parseCluster(sources, {
    runningOnly: opts["running-only"] === true,
    ...(analyzer ? { crdValidation: "warn" as const, keepFinishedPods: true } : {}),
  });
  const table = compile(cluster, {
    ...(opts.profile === undefined ? {} : { profile: opts.profile }),
    ...(podCIDRs === undefined ? {} : { podCIDRs }),
  });
  if (opts.quiet !== true) printDiagnostics(env, [...diagnostics, ...table.diagnostics], opts);
  return table;
}

/**
 * The matrix, streamed: `table.matrix()` builds every pair's object, which for 10 000 pods (10⁸
 * pairs) exhausts the heap, and its JSON is past V8's longest string from ~3 000 pods. Row by row
 * (`matrixRows`), memory stays at one row.
 */
function matrix(env: CliEnv, table: PolicyTable, opts: Options): number {
  const query = { port: portOf(opts.port), protocol: protocolOf(opts.protocol) };
  const grouped = opts["group-by"] === "owner" || opts.by === "workload";
  const rows = grouped ? table.matrixRowsByOwner(query) : table.matrixRows(query);
  const write = (text: string): void => env.stdout(text);
  if (formatOf(opts.format) === "text") writeMatrixText(rows, write);
  else writeMatrixJson(rows, write);
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

/** What went wrong, on stderr; the exit code. */
function failed(env: CliEnv, e: unknown, verbose: boolean): number {
  if (e instanceof UsageError) {
    env.stderr(`netpol: ${e.message}\nRun "netpol --help" for usage.\n`);
    return 2;
  }
  if (e instanceof InputError) {
    for (const line of errorLines(e.issues, verbose)) env.stderr(line);
    return 2;
  }
  const err = e as Error;
  env.stderr(`netpol: internal error: ${err?.message ?? String(e)}\n`);
  if (process.env.NETPOL_DEBUG) env.stderr(`${err?.stack ?? ""}\n`);
  return 2;
}

/**
 * Run the CLI; returns the exit code (0 ok, 1 an --expect failed, 2 bad input or usage). Every
 * command but `list --format svg` (Graphviz as WebAssembly loads asynchronously) finishes here;
 * that one answers through `runAsync`, and here exits 2 saying so.
 */
export function run(argv: readonly string[], env: CliEnv): number {
  const code = dispatch(argv, env);
  if (typeof code === "number") return code;
  void code.catch(() => 0);
  env.stderr("netpol: internal error: --format svg answers asynchronously (call runAsync)\n");
  return 2;
}

/** `run`, for every command including `list --format svg`: what the `netpol` executable calls. */
export async function runAsync(argv: readonly string[], env: CliEnv): Promise<number> {
  return dispatch(argv, env);
}

function dispatch(argv: readonly string[], env: CliEnv): number | Promise<number> {
  let stdinRead = false;
  const stdin = (): string => {
    if (stdinRead) throw new UsageError("standard input (-) can be read only once");
    stdinRead = true;
    return env.readStdin();
  };
  let verbose = false; // every error printed, once the options say so
  try {
    const [command, ...rest] = argv;
    if (command === "--version") {
      if (rest.length > 0) throw new UsageError("--version takes no arguments");
      env.stdout(`${packageVersion()}\n`);
      return 0;
    }
    if (command === "help" && rest.length > 0) {
      // `netpol help check` is `netpol check --help`.
      const text = rest.length === 1 ? commandHelp(rest[0]!) : undefined;
      if (text === undefined)
        throw new UsageError(
          `no help for "${rest.join(" ")}" (matrix, list, check, explain, convert, migrate, render)`,
        );
      env.stdout(text);
      return 0;
    }
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      env.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    // Own keys only: `netpol constructor` must not find Object.prototype's.
    const allowed = Object.hasOwn(ALLOWED, command) ? ALLOWED[command] : undefined;
    if (allowed === undefined)
      throw new UsageError(
        `unknown command "${command}" (matrix, list, check, explain, convert, migrate, render)`,
      );
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
    verbose = verboseOf(opts);
    if (opts.help === true) {
      env.stdout(commandHelp(command) ?? USAGE);
      return 0;
    }
    for (const key of Object.keys(opts) as (keyof Options)[])
      if (![...COMMON(command), ...allowed].includes(key))
        throw new UsageError(`--${key} is not an option of ${command}`);
    if (command === "check" && opts.flows !== undefined) {
      // Each flow names its own endpoints, port, protocol and expectation, and the answer is JSON.
      for (const k of ["from", "to", "port", "protocol", "expect"] as const)
        if (opts[k] !== undefined)
          throw new UsageError(`--flows cannot be combined with --${k} (each flow gives its own ${k})`);
      if (opts.format !== undefined && opts.format !== "json")
        throw new UsageError(`--flows answers in JSON only; --format ${opts.format} cannot be used with it`);
      if (opts.flows === "-" && parsed.positionals.includes("-"))
        throw new UsageError("standard input (-) cannot hold both the manifests and the flows");
    }
    validateOptions(command, opts); // before any input is read
    if (command === "list") validateListOptions(opts);
    if (command === "convert") {
      if (parsed.positionals.length === 0) throw new UsageError("no input files given");
      const { cluster, diagnostics } = parseCluster(readInputs(parsed.positionals, stdin));
      const shown = opts.quiet === true ? [] : diagnosticLines(diagnostics, verboseOf(opts));
      return convert(env, cluster, shown, opts.quiet === true);
    }
    if (command === "migrate") {
      if (parsed.positionals.length === 0) throw new UsageError("no input files given");
      const result = migrateLegacy(readInputs(parsed.positionals, stdin));
      const shown = opts.quiet === true ? [] : diagnosticLines(result.diagnostics, verboseOf(opts));
      return migrate(env, result, shown, opts.quiet === true);
    }
    // render's options too are checked before the (possibly large) input is read.
    const request = command === "render" ? renderRequest(env, opts) : undefined;
    const table = load(env, parsed.positionals, opts, stdin);
    if (request !== undefined) return renderCommand(env, table, request);
    if (command === "matrix") return matrix(env, table, opts);
    if (command === "list") {
      const code = listCommand(env, table, opts);
      return typeof code === "number" ? code : code.catch((e: unknown) => failed(env, e, verbose));
    }
    if (command === "check" && opts.flows !== undefined) return checkFlows(env, table, opts.flows, stdin);
    return check(env, table, opts, command === "explain");
  } catch (e) {
    return failed(env, e, verbose);
  }
}
