// netpol list --format csv: the exact text, RFC 4180 fields read back, and streaming.
import { describe, expect, it } from "vitest";
import type { Connection } from "../../src/model/connections.ts";
import { connectionsText } from "../../src/model/connections.ts";
import { formatCsv } from "../../src/report/format-csv.ts";
import { conn, listOf, tricky, trickyConnections, web, workload } from "./lists.ts";

/** RFC 4180 records (§2): fields split on `,`, quoted ones with `""` for a quote; CRLF or LF ends a record. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (text[i] === '"') break;
        else field += text[i];
      }
      i++;
    } else {
      while (i < text.length && !/[,\r\n]/.test(text[i]!)) field += text[i++];
      if (field.includes('"')) throw new Error(`a quote in the unquoted field ${field}`);
    }
    record.push(field);
    if (text[i] === ",") i++;
    else {
      if (text[i] === "\r") i++;
      if (i < text.length && text[i] !== "\n") throw new Error(`junk after field at ${i}`);
      i++;
      records.push(record);
      record = [];
    }
  }
  return records;
}

describe("formatCsv", () => {
  it("writes the header and a line per connection, quoting where RFC 4180 asks", () => {
    expect([...formatCsv(tricky)].join("")).toBe(
      [
        "src,dst,conn",
        '"0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255",app/web[Deployment],TCP 443',
        '"::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",app/web[Deployment],TCP 443',
        '"app/o""d\\d|*_`<b>&[x][Pod]",kube-system/coredns[Deployment],"TCP 53,UDP 53"',
        'app/web[Deployment],"app/o""d\\d|*_`<b>&[x][Pod]",All Connections',
        'app/web[Deployment],kube-system/coredns[Deployment],"SCTP 1-9002,9004-65535,TCP 80,8080-8081,UDP 53"',
        'kube-system/coredns[Deployment],"0.0.0.0-9.255.255.255,11.0.0.0-255.255.255.255",All Connections',
        `kube-system/coredns[Deployment],app/web[Deployment],"TCP ${connectionsText(trickyConnections[6]!.conns).slice(4)}"`,
        "",
      ].join("\n"),
    );
  });

  it("reads back, field for field, as the list's names and connection texts", () => {
    const lines = [...formatCsv(tricky)];
    expect(lines.every((l) => l.endsWith("\n"))).toBe(true);
    expect(readCsv(lines.join(""))).toEqual([
      ["src", "dst", "conn"],
      ...trickyConnections.map((c) => [c.src, c.dst, connectionsText(c.conns)]),
    ]);
  });

  it("quotes line breaks and quotes inside a field", () => {
    const odd = workload("a", 'x\r\ny"\nz', "Pod");
    const text = [...formatCsv(listOf([odd, web], [conn(odd, web, "All Connections")]))].join("");
    expect(text).toBe('src,dst,conn\n"a/x\r\ny""\nz[Pod]",app/web[Deployment],All Connections\n');
    expect(readCsv(text)[1]).toEqual([odd.name, web.name, "All Connections"]);
  });

  it("streams: a line per connection as it is read, never the whole list", () => {
    let read = 0;
    const endless = {
      profile: "kubernetes",
      endpoints: [web],
      *connections(): Iterable<Connection> {
        for (;;) {
          read++;
          yield conn(web, web, { TCP: [[read, read]] });
        }
      },
    };
    const chunks = formatCsv(endless)[Symbol.iterator]();
    const first = [chunks.next().value, chunks.next().value, chunks.next().value];
    expect(first).toEqual([
      "src,dst,conn\n",
      "app/web[Deployment],app/web[Deployment],TCP 1\n",
      "app/web[Deployment],app/web[Deployment],TCP 2\n",
    ]);
    expect(read).toBe(2);
  });

  it("writes the header only for an empty list", () => {
    expect([...formatCsv(listOf([], []))]).toEqual(["src,dst,conn\n"]);
  });
});
