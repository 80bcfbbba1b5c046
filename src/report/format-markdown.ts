// `netpol list --format md`: netpol-analyzer's Markdown table (src, dst, conn).
import { type ConnectionList, connectionsText } from "../model/connections.ts";

/**
 * The list as a GitHub-flavoured Markdown table, a chunk per line (each ends with `\n`): the header
 * row `| src | dst | conn |`, the separator row, then one row per connection in the list's order.
 * Cells are escaped (`escapeCell`), so a name renders as the text it is. Connections are read one
 * at a time, never collected.
 *
 * @example
 * [...formatMarkdown(list)].join("");
 * // | src | dst | conn |
 * // |-----|-----|------|
 * // | shop/api\[Deployment\] | shop/db\[StatefulSet\] | TCP 5432 |
 */
export function* formatMarkdown(list: ConnectionList): Iterable<string> {
  yield "| src | dst | conn |\n";
  yield "|-----|-----|------|\n";
  for (const c of list.connections())
    yield `| ${escapeCell(c.src)} | ${escapeCell(c.dst)} | ${escapeCell(connectionsText(c.conns))} |\n`;
}

// A table cell is inline content (GFM §4.10), so only inline syntax can change what it shows: the
// backslash itself, `|` (ends the cell, even inside a code span), code spans, emphasis and
// strikethrough, links and images (`[`, `]`), raw HTML and autolinks (`<`, `>`) and entity
// references (`&`). Each is backslash-escaped (CommonMark §2.4: any ASCII punctuation may be).
// A line break would end the row: it becomes `<br>`.
const INLINE = /[\\|`*_~[\]<>&]/g;

/** A cell's text with every character of Markdown inline syntax escaped; line breaks as `<br>`. */
function escapeCell(text: string): string {
  return text.replace(INLINE, "\\$&").replace(/\r\n|\r|\n/g, "<br>");
}
