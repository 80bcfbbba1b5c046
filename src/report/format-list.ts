// The connectivity list as text (netpol-analyzer's `src => dst : conns` lines) and as JSON, both
// streamed: one chunk per connection, so a big list never sits in memory whole.
import { type Connection, type ConnectionList, connectionsText } from "../model/connections.ts";

/** An endpoint's name as netpol-analyzer prints it: external ranges carry `[External]`. */
function textName(external: ReadonlySet<string>, name: string): string {
  return external.has(name) ? `${name}[External]` : name;
}

const externalNames = (list: ConnectionList): Set<string> =>
  new Set(list.endpoints.filter((e) => e.type === "external").map((e) => e.name));

/**
 * `src => dst : conns`, one line per connection, in the list's (src, dst) order.
 *
 * @example
 * [...formatText(list)].join(""); // "0.0.0.0-255.255.255.255[External] => shop/api[Deployment] : TCP 8080\n…"
 */
export function* formatText(list: ConnectionList): Generator<string> {
  const external = externalNames(list);
  for (const c of list.connections())
    yield `${textName(external, c.src)} => ${textName(external, c.dst)} : ${connectionsText(c.conns)}\n`;
}

/** One connection as JSON: `{"src", "dst", "conns"}` (conns `"All Connections"` or per-protocol ranges). */
export const connectionJson = (c: Connection): string =>
  JSON.stringify({ src: c.src, dst: c.dst, conns: c.conns });

/**
 * `{"profile": …, "connections": [{src, dst, conns}, …]}`, one connection per line.
 *
 * @example
 * JSON.parse([...formatJson(list)].join("")).connections[0]; // { src: "…", dst: "…", conns: "All Connections" }
 */
export function* formatJson(list: ConnectionList): Generator<string> {
  yield `{"profile":${JSON.stringify(list.profile)},"connections":[`;
  let first = true;
  for (const c of list.connections()) {
    yield `${first ? "\n" : ",\n"}${connectionJson(c)}`;
    first = false;
  }
  yield "\n]}\n";
}
