// The connectivity list (`netpol list`, `connectionList`): who may reach whom, on which ports.
// Plain data shared by the engine that computes it and the report formats that print it.
import type { Family, Protocol } from "./types.ts";

/** Inclusive port ranges `[first, last]`, ascending and disjoint, within 1–65535. */
export type PortRanges = readonly (readonly [number, number])[];

/** What a pair may do: every port of every protocol, or per protocol the ports allowed. */
export type Connections = "All Connections" | Readonly<Partial<Record<Protocol, PortRanges>>>;

/** The text for "everything", as netpol-analyzer prints it. */
export const ALL_CONNECTIONS = "All Connections";

/** One endpoint of the list: a workload (or a pod without an owner), or a set of external address ranges. */
export type ListEndpoint = WorkloadEndpoint | ExternalEndpoint;

export interface WorkloadEndpoint {
  readonly type: "workload";
  /** `namespace/name[Kind]`: the top owner (Deployment, …), or the pod itself (`[Pod]`). */
  readonly name: string;
  readonly namespace: string;
  readonly workload: string;
  readonly kind: string;
  /** The pods it stands for (`namespace/name`); empty for a workload known only by its template. */
  readonly pods: readonly string[];
}

export interface ExternalEndpoint {
  readonly type: "external";
  /** The ranges as text, `a.b.c.d-e.f.g.h`, several joined by `,`. */
  readonly name: string;
  readonly family: Family;
  /** Inclusive `[first, last]` address ranges (canonical text), ascending. */
  readonly ranges: readonly (readonly [string, string])[];
}

/** One line of the list: `src` may reach `dst` with `conns` (never empty). */
export interface Connection {
  readonly src: string;
  readonly dst: string;
  readonly conns: Connections;
}

/**
 * The list: its endpoints (sorted by name: every workload and external range, or with a filter
 * those of the connections listed), and the connections sorted by (src, dst). `connections()` computes them a source at a time, so a consumer can stream them.
 */
export interface ConnectionList {
  readonly profile: string;
  readonly endpoints: readonly ListEndpoint[];
  connections(): Iterable<Connection>;
}

/**
 * The connection text netpol-analyzer prints: `All Connections`, or protocols in name order each
 * with its ranges, `SCTP 1-9002,9004-65535,TCP 80,UDP 53`.
 *
 * @example
 * connectionsText({ TCP: [[80, 80], [8080, 8081]] }); // "TCP 80,8080-8081"
 */
export function connectionsText(conns: Connections): string {
  if (conns === ALL_CONNECTIONS) return ALL_CONNECTIONS;
  const parts: string[] = [];
  for (const protocol of ["SCTP", "TCP", "UDP"] as const) {
    const ranges = conns[protocol];
    if (ranges === undefined || ranges.length === 0) continue;
    parts.push(`${protocol} ${ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(",")}`);
  }
  return parts.join(",");
}
