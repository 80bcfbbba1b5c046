// `netpol list --format csv`: netpol-analyzer's columns (src, dst, conn), RFC 4180 fields.
import { type ConnectionList, connectionsText } from "../model/connections.ts";

/**
 * The list as CSV, a chunk per line (each ends with `\n`): the header `src,dst,conn`, then one line
 * per connection in the list's order. Fields are quoted as RFC 4180 §2 asks (a connection text
 * with several ports always is: it contains commas). Connections are read one at a time, never
 * collected.
 *
 * @example
 * [...formatCsv(list)].join("");
 * // src,dst,conn
 * // shop/api[Deployment],shop/db[StatefulSet],"TCP 5432,9090"
 */
export function* formatCsv(list: ConnectionList): Iterable<string> {
  yield "src,dst,conn\n";
  for (const c of list.connections())
    yield `${csvField(c.src)},${csvField(c.dst)},${csvField(connectionsText(c.conns))}\n`;
}

/** A field as RFC 4180 §2 (6, 7) writes it: quoted when it holds `,`, `"`, CR or LF, inner quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
