import * as z from "zod";
import type { Flow, Verdict } from "../model/flow.ts";
import { InputError } from "../model/input-error.ts";
import type { Protocol } from "../model/types.ts";
import { describeValue, quote } from "./describe-value.ts";
import { portNameError } from "./name-validation.ts";
import { checkProtocol } from "./network-policy-schema.ts";
import type { Source } from "./parse-cluster.ts";
import { readDocuments } from "./read-documents.ts";
import { DEFAULT_MAX_BYTES } from "./read-limits.ts";
import { fail, toInputIssues } from "./zod-issues.ts";

const endpoint = z.string().transform((s, ctx) => {
  if (s.trim() === "")
    fail(ctx, "invalid-endpoint", 'endpoint must be `namespace/name` of a pod or an IP address, got ""');
  return s;
});

/** A flow read from a flows file: the query, and optionally the verdict it is expected to get. */
export interface FlowCase extends Flow {
  /** With `netpol check --flows`, a result that differs makes the exit code 1. */
  readonly expect?: Verdict;
}

const KNOWN: ReadonlySet<string> = new Set(["from", "to", "port", "protocol", "expect"]);

const flowSchema = z
  .object({
    from: endpoint,
    to: endpoint,
    port: z.unknown().optional(),
    protocol: z.string().nullish(),
    expect: z.unknown().optional(),
  })
  .catchall(z.unknown())
  .transform((f, ctx): FlowCase => {
    // The format is ours, not Kubernetes': a misspelt key ("proto") must not silently mean TCP.
    for (const key of Object.keys(f))
      if (!KNOWN.has(key))
        fail(
          ctx,
          "unknown-field",
          `unknown field ${quote(key)} (a flow has from, to, port, protocol, expect)`,
          [key],
        );
    const expect = f.expect;
    if (expect !== undefined && expect !== "allow" && expect !== "deny" && expect !== "unknown")
      fail(ctx, "invalid-type", `expect must be "allow", "deny" or "unknown", got ${describeValue(expect)}`, [
        "expect",
      ]);
    const protocol: Protocol = checkProtocol(ctx, f.protocol);
    const port = f.port;
    if (typeof port === "number") {
      // decisions.md #9: a numeric flow port is an integer 0–65535.
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        fail(ctx, "invalid-port", `invalid port ${port}: must be an integer between 0 and 65535`, ["port"]);
    } else if (typeof port === "string") {
      const bad = portNameError(port);
      if (bad !== undefined) fail(ctx, "invalid-port", `invalid port name ${quote(port)}: ${bad}`, ["port"]);
    } else if (port === undefined || port === null) {
      fail(ctx, "missing-field", "required field port is missing", ["port"]);
    } else {
      fail(ctx, "invalid-type", `expected a port number or name, got ${describeValue(port)}`, ["port"]);
    }
    const flow: FlowCase = { from: f.from, to: f.to, port: port as number | string };
    const withProtocol = f.protocol === undefined || f.protocol === null ? flow : { ...flow, protocol };
    return expect === undefined ? withProtocol : { ...withProtocol, expect: expect as Verdict };
  });

const flowsSchema = z.array(flowSchema);

/**
 * Read a JSON array of flows (`{from, to, port, protocol?, expect?}`); throws one `InputError`
 * with every issue (unknown keys included), each with a path such as `[3].port`.
 *
 * @example
 * parseFlows({ name: "flows.json", text: '[{"from": "shop/web", "to": "shop/api", "port": 8080}]' })
 */
export function parseFlows(source: Source): FlowCase[] {
  const file = source.name;
  const text = typeof source.text === "string" ? source.text : "";
  if (!text.trimStart().startsWith("[")) {
    const message = "expected a JSON array of flows ({from, to, port, protocol?, expect?})";
    throw new InputError([{ code: "invalid-type", file, message }]);
  }
  const read = readDocuments(file, text, { maxBytes: DEFAULT_MAX_BYTES, maxYamlBytes: 0 });
  if (read.issues.length > 0) throw new InputError(read.issues);
  const parsed = flowsSchema.safeParse(read.documents[0]?.value, { reportInput: true });
  if (!parsed.success) {
    throw new InputError(toInputIssues(parsed.error.issues, { file }));
  }
  return parsed.data;
}
