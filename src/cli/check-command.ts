// `netpol check` and `netpol explain`: one flow (with --expect), or a --flows file of them.
import {
  type Flow,
  type FlowCase,
  InputError,
  type InputIssue,
  type PolicyTable,
  parseFlows,
} from "../index.ts";
import type { CliEnv } from "./env.ts";
import { formatCheck, formatExplanation } from "./format-text.ts";
import { formatOf, type Options, portOf, protocolOf, required, UsageError } from "./options.ts";
import { readFlowsInput } from "./read-inputs.ts";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** What an expectation that did not hold reports: `expected allow, got deny: a → b TCP/80`. */
function missText(expected: string, got: string, f: Flow): string {
  return `expected ${expected}, got ${got}: ${f.from} → ${f.to} ${f.protocol ?? "TCP"}/${f.port}`;
}

export function checkFlows(env: CliEnv, table: PolicyTable, flowsArg: string, stdin: () => string): number {
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

export function check(env: CliEnv, table: PolicyTable, opts: Options, explainOnly: boolean): number {
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
