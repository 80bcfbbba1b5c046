import * as z from "zod";
import type { Flow } from "../model/flow.ts";
import { InputError } from "../model/input-error.ts";
import type { Protocol } from "../model/types.ts";
import { describeValue, quote } from "./describe-value.ts";
import { portNameError } from "./name-validation.ts";
import { checkProtocol } from "./network-policy-schema.ts";
import type { Source } from "./parse-cluster.ts";
import { DEFAULT_MAX_BYTES, readDocuments } from "./read-documents.ts";
import { fail, toInputIssues } from "./zod-issues.ts";

const endpoint = z.string().transform((s, ctx) => {
  if (s.trim() === "")
    fail(ctx, "invalid-endpoint", 'endpoint must be `namespace/name` of a pod or an IP address, got ""');
  return s;
});

const flowSchema = z
  .object({ from: endpoint, to: endpoint, port: z.unknown().optional(), protocol: z.string().nullish() })
  .transform((f, ctx): Flow => {
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
    const flow = { from: f.from, to: f.to, port: port as number | string };
    return f.protocol === undefined || f.protocol === null ? flow : { ...flow, protocol };
  });

const flowsSchema = z.array(flowSchema);

/**
 * Read a JSON array of flows (`{from, to, port, protocol?}`); throws one `InputError` with every
 * issue, each with a path such as `[3].port`.
 *
 * @example
 * parseFlows({ name: "flows.json", text: '[{"from": "shop/web", "to": "shop/api", "port": 8080}]' })
 */
export function parseFlows(source: Source): Flow[] {
  const file = source.name;
  const text = typeof source.text === "string" ? source.text : "";
  if (!text.trimStart().startsWith("[")) {
    const message = "expected a JSON array of flows ({from, to, port, protocol?})";
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
