// The CLI's options: which command takes which, and how their values are read (exit 2 on a mistake).
import { type Diagnostic, normalizeCIDR, type Protocol, resolveProfile } from "../index.ts";
import { portNameError } from "../io/name-validation.ts";
import type { CliEnv } from "./env.ts";
import { diagnosticLines } from "./print-diagnostics.ts";

/** A usage mistake: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {}

export const OPTIONS = {
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
  "pod-cidr": { type: "string" },
  "allow-unsupported": { type: "boolean" },
  "running-only": { type: "boolean" },
  "group-by": { type: "string" },
  by: { type: "string" },
  focus: { type: "string" },
  namespace: { type: "string" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  "all-diagnostics": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export type Options = {
  -readonly [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string;
};

/** Which options each command takes (besides --profile, --format, --quiet, --help). */
export const ALLOWED: Record<string, readonly (keyof Options)[]> = {
  matrix: ["port", "protocol", "group-by", "by", "pod-cidr"],
  list: ["focus", "namespace", "port", "protocol", "pod-cidr"],
  check: ["from", "to", "port", "protocol", "expect", "flows", "pod-cidr"],
  explain: ["from", "to", "port", "protocol", "pod-cidr"],
  convert: [],
  migrate: [],
  render: ["backend", "out", "node", "allow-unsupported"],
};

/**
 * Options every command takes, besides its own (convert and migrate compile nothing: no profile, no format;
 * render writes files: no format).
 */
export const COMMON = (command: string): readonly (keyof Options)[] =>
  command === "convert" || command === "migrate"
    ? ["quiet", "verbose", "all-diagnostics", "help"]
    : command === "render"
      ? ["profile", "running-only", "quiet", "verbose", "all-diagnostics", "help"]
      : ["profile", "format", "running-only", "quiet", "verbose", "all-diagnostics", "help"];

/** `--verbose` (or its older name `--all-diagnostics`): every diagnostic and every error printed. */
export const verboseOf = (opts: Options): boolean =>
  opts.verbose === true || opts["all-diagnostics"] === true;

export function protocolOf(text: string | undefined): Protocol {
  if (text === undefined) return "TCP";
  const p = text.toUpperCase();
  if (p === "TCP" || p === "UDP" || p === "SCTP") return p;
  throw new UsageError(`--protocol must be TCP, UDP or SCTP, got "${text}"`);
}

export function portOf(text: string | undefined): number | string {
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

/** `--pod-cidr 10.244.0.0/16,fd00::/48`: where address-less pods live (docs/decisions.md #46-#48). */
export function podCIDRsOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(",").map((t) => t.trim());
  for (const t of list)
    if (normalizeCIDR(t) === undefined)
      throw new UsageError(
        `--pod-cidr must be CIDRs separated by commas (10.244.0.0/16,fd00::/48), got "${t}"`,
      );
  return list;
}

export function formatOf(text: string | undefined): "text" | "json" {
  if (text === undefined || text === "text" || text === "json") return text ?? "text";
  throw new UsageError(`--format must be text or json, got "${text}"`);
}

export function required(opts: Options, name: "from" | "to"): string {
  const v = opts[name];
  if (v === undefined || v === "") throw new UsageError(`--${name} is required`);
  return v;
}

export function printDiagnostics(env: CliEnv, diagnostics: readonly Diagnostic[], opts: Options): void {
  for (const line of diagnosticLines(diagnostics, verboseOf(opts))) env.stderr(line);
}

/**
 * Every option value of a command checked before any input is read: a typo in `--port` must not
 * wait for a 60 MB dump to be parsed first (or read `/dev/zero` at all).
 */
export function validateOptions(command: string, opts: Options): void {
  if (opts.quiet === true && verboseOf(opts))
    throw new UsageError("--quiet and --verbose cannot be combined");
  if (opts.profile !== undefined) resolveProfile(opts.profile); // throws unknown-profile
  if (opts.protocol !== undefined) protocolOf(opts.protocol);
  if (opts.format !== undefined && command !== "list") formatOf(opts.format);
  const flows = command === "check" && opts.flows !== undefined;
  if ((command === "check" && !flows) || command === "explain") {
    required(opts, "from");
    required(opts, "to");
  }
  if (command === "matrix" || ((command === "check" || command === "explain") && !flows)) portOf(opts.port);
  const expect = opts.expect;
  if (expect !== undefined && expect !== "allow" && expect !== "deny")
    throw new UsageError(`--expect must be allow or deny, got "${expect}"`);
  const by = opts["group-by"];
  if (by !== undefined && by !== "owner") throw new UsageError(`--group-by must be owner, got "${by}"`);
  if (opts.by !== undefined && opts.by !== "workload" && opts.by !== "pod")
    throw new UsageError(`--by must be workload or pod, got "${opts.by}"`);
  if (by !== undefined && opts.by !== undefined)
    throw new UsageError("--by and --group-by cannot be combined");
}
