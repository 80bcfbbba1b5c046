// netpol list --format md: the exact table, escaped cells that read back as the names, streaming.
import { describe, expect, it } from "vitest";
import { type Connection, connectionsText } from "../../src/model/connections.ts";
import { formatMarkdown } from "../../src/report/format-markdown.ts";
import { conn, listOf, tricky, trickyConnections, web, workload } from "./lists.ts";

/** A GFM table row's cells: split at unescaped `|`, trimmed, backslash escapes and `<br>` undone. */
function cells(row: string): string[] {
  const parts = row.split(/(?<!\\)\|/);
  expect(parts[0]).toBe("");
  expect(parts.at(-1)).toBe("");
  return parts.slice(1, -1).map((cell) =>
    cell
      .trim()
      .replaceAll("<br>", "\n")
      .replace(/\\([!-/:-@[-`{-~])/g, "$1"),
  );
}

describe("formatMarkdown", () => {
  it("writes the header, the separator and a row per connection, escaping inline syntax", () => {
    expect([...formatMarkdown(tricky)].join("")).toBe(
      [
        "| src | dst | conn |",
        "|-----|-----|------|",
        "| 0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255 | app/web\\[Deployment\\] | TCP 443 |",
        "| ::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | app/web\\[Deployment\\] | TCP 443 |",
        '| app/o"d\\\\d\\|\\*\\_\\`\\<b\\>\\&\\[x\\]\\[Pod\\] | kube-system/coredns\\[Deployment\\] | TCP 53,UDP 53 |',
        '| app/web\\[Deployment\\] | app/o"d\\\\d\\|\\*\\_\\`\\<b\\>\\&\\[x\\]\\[Pod\\] | All Connections |',
        "| app/web\\[Deployment\\] | kube-system/coredns\\[Deployment\\] | SCTP 1-9002,9004-65535,TCP 80,8080-8081,UDP 53 |",
        "| kube-system/coredns\\[Deployment\\] | 0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255 | All Connections |",
        `| kube-system/coredns\\[Deployment\\] | app/web\\[Deployment\\] | ${connectionsText(trickyConnections[6]!.conns)} |`,
        "",
      ].join("\n"),
    );
  });

  it("has three cells a row, reading back as the names and connection texts", () => {
    const rows = [...formatMarkdown(tricky)];
    expect(rows.every((r) => r.endsWith("\n") && !r.slice(0, -1).includes("\n"))).toBe(true);
    expect(rows.map((r) => cells(r.slice(0, -1)))).toEqual([
      ["src", "dst", "conn"],
      ["-----", "-----", "------"],
      ...trickyConnections.map((c) => [c.src, c.dst, connectionsText(c.conns)]),
    ]);
  });

  it("keeps a row on one line when a name has a line break", () => {
    const odd = workload("a", "x\ny\r\nz", "Pod");
    const rows = [...formatMarkdown(listOf([odd, web], [conn(odd, web, "All Connections")]))];
    expect(rows[2]).toBe("| a/x<br>y<br>z\\[Pod\\] | app/web\\[Deployment\\] | All Connections |\n");
  });

  it("streams: a row per connection as it is read, never the whole list", () => {
    let read = 0;
    const endless = {
      profile: "kubernetes",
      endpoints: [web],
      *connections(): Iterable<Connection> {
        for (;;) {
          read++;
          yield conn(web, web, "All Connections");
        }
      },
    };
    const rows = formatMarkdown(endless)[Symbol.iterator]();
    for (let i = 0; i < 3; i++) rows.next();
    expect(read).toBe(1);
  });
});
