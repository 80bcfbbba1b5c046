// The connectivity list (`netpol list`, docs/reports.md): per ordered pair of workloads and
// external address ranges, the connections allowed — computed per identity and per port class
// (ir/read-identities.ts), never per pod pair and port.
import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import {
  ALL_CONNECTIONS,
  type Connection,
  type ConnectionList,
  type Connections,
  type ListEndpoint,
  type PortRanges,
} from "../model/connections.ts";
import { InputError } from "../model/input-error.ts";
import { PROTOCOLS, type Protocol } from "../model/types.ts";
import { listMembers } from "./connlist-endpoints.ts";
import { pairMasks } from "./connlist-pairs.ts";
import type { PolicyTable } from "./policy-table.ts";

/** What to list (every filter narrows; none: everything). */
export interface ListOptions {
  /** Only the connections from or to this endpoint: `ns/name` or `ns/name[Kind]` of a workload, or a pod (its workload). */
  readonly focus?: string;
  /** Only the connections with an endpoint in this namespace. */
  readonly namespace?: string;
  /** Only this protocol's ports. */
  readonly protocol?: Protocol;
  /** Only this port (of every protocol, or of `protocol`): a pair is listed when it is allowed. */
  readonly port?: number;
  /** Called after each source endpoint: `done` of `total` sources. */
  readonly progress?: (done: number, total: number) => void;
}

/** The port classes `[offset, offset + count)` of each protocol, with their first ports. */
interface PortSpace {
  readonly K: number;
  readonly words: number;
  readonly classOf: (protocol: Protocol, port: number) => number;
  readonly ranges: (mask: Int32Array) => Connections | undefined;
}

function portSpace(ir: PolicyTableIR, options: ListOptions): PortSpace {
  const K = ir.portClassCount;
  const words = (K + 31) >>> 5;
  const protocols = options.protocol === undefined ? PROTOCOLS : [options.protocol];
  const filtered = options.protocol !== undefined || options.port !== undefined;
  const classOf = (protocol: Protocol, port: number): number => {
    const starts = ir.portClassStarts[protocol];
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= port) lo = mid;
      else hi = mid - 1;
    }
    return ir.portClassOffset[protocol] + lo;
  };
  const ranges = (mask: Int32Array): Connections | undefined => {
    const out: Partial<Record<Protocol, PortRanges>> = {};
    let full = 0;
    let any = false;
    for (const protocol of protocols) {
      const list: [number, number][] = [];
      if (options.port !== undefined) {
        const k = classOf(protocol, options.port);
        if ((mask[k >>> 5]! & (1 << (k & 31))) !== 0) list.push([options.port, options.port]);
      } else {
        const starts = ir.portClassStarts[protocol];
        const offset = ir.portClassOffset[protocol];
        for (let c = 0; c < starts.length; c++) {
          const k = offset + c;
          if ((mask[k >>> 5]! & (1 << (k & 31))) === 0) continue;
          const lo = Math.max(1, starts[c]!);
          const hi = c + 1 < starts.length ? starts[c + 1]! - 1 : 65535;
          if (hi < lo) continue;
          const last = list[list.length - 1];
          if (last !== undefined && last[1] + 1 === lo) last[1] = hi;
          else list.push([lo, hi]);
        }
      }
      if (list.length === 0) continue;
      any = true;
      if (list.length === 1 && list[0]![0] === 1 && list[0]![1] === 65535) full++;
      out[protocol] = list;
    }
    if (!any) return undefined;
    if (!filtered && full === PROTOCOLS.length) return ALL_CONNECTIONS;
    return out;
  };
  return { K, words, classOf, ranges };
}

/**
 * The connectivity list of a compiled table (`endpoints`: every workload and external range; with
 * a filter, those of the listed connections): every ordered pair of list endpoints (workloads,
 * pods without an owner, and the external address ranges of the profile's families) with the
 * connections allowed between some pod (or address) of the one and some of the other, self
 * pairs and pairs with nothing allowed left out; sorted by (src, dst). Throws `InputError`
 * (`unknown-endpoint`, `ambiguous-endpoint`, `unknown-namespace`) for a filter naming nothing.
 *
 * @example
 * const list = connectionList(table);
 * for (const c of list.connections()) console.log(`${c.src} => ${c.dst} : ${connectionsText(c.conns)}`);
 */
export function connectionList(table: PolicyTable, options: ListOptions = {}): ConnectionList {
  const ir = table.ir;
  const members = listMembers(ir);
  checkFilters(members.endpoints, options);
  const space = portSpace(ir, options);
  const focus = options.focus === undefined ? -1 : findEndpoint(members.endpoints, options.focus);
  const { pair, row: readRow, masks } = pairMasks(ir, members);
  const texts: (Connections | null)[] = [];
  const connsOf = (id: number): Connections | undefined => {
    if (id === 0) return undefined;
    let conns = texts[id];
    if (conns === undefined) texts[id] = conns = space.ranges(masks[id]!) ?? null;
    return conns ?? undefined;
  };
  const n = members.endpoints.length;
  const inNamespace = Uint8Array.from(members.endpoints, (e) =>
    e.type === "workload" && e.namespace === options.namespace ? 1 : 0,
  );
  const external = Uint8Array.from(members.endpoints, (e) => (e.type === "external" ? 1 : 0));
  // Two external ranges: no policy applies between them (nor is the traffic the cluster's).
  const wanted = (s: number, d: number): boolean =>
    s !== d &&
    external[s]! + external[d]! < 2 &&
    (focus < 0 || s === focus || d === focus) &&
    (options.namespace === undefined || inNamespace[s]! + inNamespace[d]! > 0);
  // Mask ids of one source row (so the list can stream); with a focus, only the focus's pairs.
  const ids = new Int32Array(n);
  const row = (s: number): Int32Array => {
    if (focus >= 0 && s !== focus) {
      ids.fill(0);
      ids[focus] = pair(s, focus);
    } else readRow(s, ids);
    return ids;
  };
  const all: ListEndpoint[] = members.endpoints;
  function* connections(): Generator<Connection> {
    for (let s = 0; s < n; s++) {
      const r = row(s);
      for (let d = 0; d < n; d++) {
        if (r[d] === 0 || !wanted(s, d)) continue;
        const conns = connsOf(r[d]!);
        if (conns !== undefined) yield { src: all[s]!.name, dst: all[d]!.name, conns };
      }
      options.progress?.(s + 1, n);
    }
  }
  // Filtered, a list shows the endpoints of its connections only (a first pass finds them).
  const filtered =
    focus >= 0 ||
    options.namespace !== undefined ||
    options.port !== undefined ||
    options.protocol !== undefined;
  let endpoints = all;
  if (filtered) {
    const seen = new Set<string>();
    for (const c of connections()) seen.add(c.src).add(c.dst);
    endpoints = all.filter((e) => seen.has(e.name));
  }
  return { profile: ir.profile.name, endpoints, connections };
}

/** Index of the endpoint a focus names: its name, `ns/name` without the kind, or a pod of it. */
function findEndpoint(endpoints: readonly ListEndpoint[], ref: string): number {
  const lower = ref.toLowerCase();
  const exact = endpoints.findIndex((e) => e.name === ref || e.name.toLowerCase() === lower);
  if (exact >= 0) return exact;
  const bare = endpoints.flatMap((e, i) =>
    e.type === "workload" && (`${e.namespace}/${e.workload}` === ref || e.pods.includes(ref)) ? [i] : [],
  );
  if (bare.length === 1) return bare[0]!;
  if (bare.length > 1)
    throw new InputError([
      {
        code: "ambiguous-endpoint",
        message: `${ref} names ${bare.length} endpoints: ${bare.map((i) => endpoints[i]!.name).join(", ")}`,
        path: "focus",
      },
    ]);
  throw new InputError([
    {
      code: "unknown-endpoint",
      message: `no workload, pod or address range ${ref} in the list`,
      path: "focus",
    },
  ]);
}

function checkFilters(endpoints: readonly ListEndpoint[], options: ListOptions): void {
  const ns = options.namespace;
  if (ns !== undefined && !endpoints.some((e) => e.type === "workload" && e.namespace === ns))
    throw new InputError([
      { code: "unknown-namespace", message: `no endpoint in namespace ${ns}`, path: "namespace" },
    ]);
  const port = options.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw new InputError([
      { code: "invalid-port", message: `port must be an integer 1–65535, got ${port}`, path: "port" },
    ]);
}
