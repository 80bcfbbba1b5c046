// The CLI's options: which command takes which, and how their values are read (exit 2 on a mistake).
import { type Diagnostic, normalizeCIDR, type Protocol } from "../index.ts";
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
  quiet: { type: "boolean", short: "q" },
  "all-diagnostics": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export type Options = {
  -readonly [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string;
};

/** Which options each command takes (besides --profile, --format, --quiet, --help). */
export const ALLOWED: Record<string, readonly (keyof Options)[]> = {
  matrix: ["port", "protocol", "pod-cidr"],
  check: ["from", "to", "port", "protocol", "expect", "flows", "pod-cidr"],
  explain: ["from", "to", "port", "protocol", "pod-cidr"],
  convert: [],
  render: ["backend", "out", "node", "allow-unsupported"],
};

/**
 * Options every command takes, besides its own (convert compiles nothing: no profile, no format;
 * render writes files: no format).
 */
export const COMMON = (command: string): readonly (keyof Options)[] =>
  command === "convert"
    ? ["quiet", "all-diagnostics", "help"]
    : command === "render"
      ? ["profile", "quiet", "all-diagnostics", "help"]
      : ["profile", "format", "quiet", "all-diagnostics", "help"];

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
  for (const line of diagnosticLines(diagnostics, opts["all-diagnostics"] === true)) env.stderr(line);
}
