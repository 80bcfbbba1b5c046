import type { ClusterPolicyPort, Protocol } from "../model/types.ts";
import { type Path, type Reader, setFields } from "./cluster-policy-read.ts";
import { describeValue, quote } from "./describe-value.ts";

// The ports of an admin/baseline rule, read into one normalised shape (`ClusterPolicyPort`):
// v1alpha2 `protocols` (NPEP-187) and v1alpha1 `ports`.

const PROTOCOL_KEYS = { tcp: "TCP", udp: "UDP", sctp: "SCTP" } as const;

/** A named port: any non-empty string (the CRDs set no pattern; a name no pod declares matches nothing). */
function namedPort(r: Reader, value: unknown, path: Path): ClusterPolicyPort | undefined {
  const name = r.string(value, path);
  if (name === undefined) return undefined;
  if (name === "") {
    r.fail("invalid-port", "a named port must not be empty", path);
    return undefined;
  }
  return { name };
}

/**
 * v1alpha2 `ClusterNetworkPolicyProtocol`: exactly one of `tcp`, `udp`, `sctp` (each with a
 * `destinationPort`, `{number}` or `{range: {start, end}}` with start < end — the CRD's
 * `minProperties: 1` makes `tcp: {}` invalid) or `destinationNamedPort`.
 *
 * @example
 * // { tcp: { destinationPort: { range: { start: 80, end: 90 } } } } → { protocol: "TCP", start: 80, end: 90 }
 */
export function readProtocol(r: Reader, raw: unknown, path: Path): ClusterPolicyPort | undefined {
  const o = r.object(raw, path);
  if (o === undefined) return undefined;
  const set = setFields(o, ["tcp", "udp", "sctp", "destinationNamedPort"]);
  if (set.length !== 1) {
    const got = set.length === 0 ? "none" : set.join(" and ");
    r.fail("invalid-port", `set exactly one of tcp, udp, sctp, destinationNamedPort; got ${got}`, path);
    return undefined;
  }
  const key = set[0]!;
  if (key === "destinationNamedPort") return namedPort(r, o[key], [...path, key]);
  const protocol: Protocol = PROTOCOL_KEYS[key as keyof typeof PROTOCOL_KEYS];
  const at = [...path, key];
  const p = r.object(o[key], at);
  if (p === undefined) return undefined;
  const dp = p.destinationPort;
  if (dp === undefined || dp === null) {
    r.fail("invalid-port", `${key} must set destinationPort (write a range 1-65535 for every port)`, at);
    return undefined;
  }
  const dpAt = [...at, "destinationPort"];
  const d = r.object(dp, dpAt);
  if (d === undefined) return undefined;
  const which = setFields(d, ["number", "range"]);
  if (which.length !== 1) {
    const got = which.length === 0 ? "none" : "both";
    r.fail("invalid-port", `destinationPort sets exactly one of number, range; got ${got}`, dpAt);
    return undefined;
  }
  if (which[0] === "number") {
    const n = r.port(d.number, [...dpAt, "number"], "port");
    return n === undefined ? undefined : { protocol, start: n, end: n };
  }
  const rangeAt = [...dpAt, "range"];
  const range = r.object(d.range, rangeAt);
  if (range === undefined) return undefined;
  const start = r.port(r.required(range, "start", rangeAt), [...rangeAt, "start"], "start");
  const end = r.port(r.required(range, "end", rangeAt), [...rangeAt, "end"], "end");
  if (start === undefined || end === undefined) return undefined;
  if (start >= end) {
    r.fail(
      "invalid-port",
      `start ${start} must be less than end ${end} (a single port is {number: ${start}})`,
      [...rangeAt, "start"],
    );
    return undefined;
  }
  return { protocol, start, end };
}

/** A v1alpha1 `protocol`: absent → TCP (the CRD's default), else TCP, UDP or SCTP, exact case. */
function protocolOf(r: Reader, o: Record<string, unknown>, path: Path): Protocol | undefined {
  const v = o.protocol;
  if (v === undefined || v === null) return "TCP";
  if (v === "TCP" || v === "UDP" || v === "SCTP") return v;
  if (typeof v !== "string")
    r.fail("invalid-type", `expected a protocol name, got ${describeValue(v)}`, [...path, "protocol"]);
  else
    r.fail("invalid-protocol", `unsupported protocol ${quote(v)}: must be TCP, UDP or SCTP (exact case)`, [
      ...path,
      "protocol",
    ]);
  return undefined;
}

/**
 * v1alpha1 `AdminNetworkPolicyPort`: exactly one of `portNumber {protocol, port}`,
 * `portRange {protocol, start, end}` (protocol defaults to TCP) or `namedPort`. The API documents
 * start < end without enforcing it; start = end is read as that one port, start > end (a range
 * matching nothing) is an error (docs/decisions.md #26).
 *
 * @example
 * // { portNumber: { port: 53, protocol: "UDP" } } → { protocol: "UDP", start: 53, end: 53 }
 */
export function readV1alpha1Port(r: Reader, raw: unknown, path: Path): ClusterPolicyPort | undefined {
  const o = r.object(raw, path);
  if (o === undefined) return undefined;
  const set = setFields(o, ["portNumber", "portRange", "namedPort"]);
  if (set.length !== 1) {
    const got = set.length === 0 ? "none" : set.join(" and ");
    r.fail("invalid-port", `set exactly one of portNumber, portRange, namedPort; got ${got}`, path);
    return undefined;
  }
  const key = set[0]!;
  const at = [...path, key];
  if (key === "namedPort") return namedPort(r, o[key], at);
  const p = r.object(o[key], at);
  if (p === undefined) return undefined;
  const protocol = protocolOf(r, p, at);
  if (key === "portNumber") {
    const n = r.port(r.required(p, "port", at), [...at, "port"], "port");
    return n === undefined || protocol === undefined ? undefined : { protocol, start: n, end: n };
  }
  const start = r.port(r.required(p, "start", at), [...at, "start"], "start");
  const end = r.port(r.required(p, "end", at), [...at, "end"], "end");
  if (start === undefined || end === undefined || protocol === undefined) return undefined;
  if (start > end) {
    r.fail("invalid-port", `start ${start} must not be greater than end ${end}`, [...at, "start"]);
    return undefined;
  }
  return { protocol, start, end };
}
