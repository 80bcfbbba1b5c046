// Rows: a port row (what one group says to one peer class, or to one same-namespace local class)
// interned once and written as np_verdicts entries — (row, protocol, port prefix) → verdict. The
// trie answers the longest matching prefix, so per protocol the verdict with the most ports-prefixes
// is one entry for all ports and the other segments' prefixes lie on top of it. Equal rows share
// an id across groups and directions: the entries grow with distinct rows and their port
// boundaries, never with the pairs that use them.
import type { PortSegment, Protocol, RenderVerdict, VerdictSegment } from "../../ir/read-render.ts";
import type { MapEntries } from "./entries.ts";
import { PROTOCOL_NUMBER, VERDICT_ALLOW, VERDICT_DENY, VERDICT_LOCAL } from "./layout.ts";

/** Row 0 denies everything and has no entries. */
export const DENY_ROW = 0;

const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];
const VERDICTS: readonly RenderVerdict[] = ["deny", "allow", "local"];
const CODE: Record<RenderVerdict, number> = {
  deny: VERDICT_DENY,
  allow: VERDICT_ALLOW,
  local: VERDICT_LOCAL,
};

export class Rows {
  private readonly ids = new Map<string, number>();

  /** `entries`: np_verdicts, written as rows are interned. */
  constructor(private readonly entries: MapEntries) {}

  /** The id of a global row (its segments; ports they leave out are denied). */
  global(segments: readonly VerdictSegment[]): number {
    return this.intern(segments);
  }

  /** The id of a local row: the ports it allows. */
  local(allowed: readonly PortSegment[]): number {
    return this.intern(allowed.map((s) => ({ ...s, verdict: "allow" as const })));
  }

  private intern(segments: readonly VerdictSegment[]): number {
    const perProtocol = PROTOCOLS.map((p) => fullSegments(segments, p));
    if (perProtocol.every((list) => list.length === 1 && list[0]!.verdict === "deny")) return DENY_ROW;
    const key = perProtocol
      .flat()
      .map((s) => `${s.protocol}:${s.first}-${s.last}:${s.verdict}`)
      .join(",");
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.ids.size + 1;
    this.ids.set(key, id);
    for (const list of perProtocol) {
      const covers = list.map((s) => portCover(s.first, s.last));
      const background = VERDICTS.reduce((best, v) =>
        countFor(list, covers, v) > countFor(list, covers, best) ? v : best,
      );
      const protocol = list[0]!.protocol;
      if (background !== "deny") this.push(id, protocol, { port: 0, bits: 0 }, background);
      list.forEach((s, i) => {
        if (s.verdict !== background) for (const p of covers[i]!) this.push(id, protocol, p, s.verdict);
      });
    }
    return id;
  }

  private push(
    row: number,
    protocol: Protocol,
    p: { port: number; bits: number },
    verdict: RenderVerdict,
  ): void {
    const last = p.port + 2 ** (16 - p.bits) - 1;
    this.entries
      .key()
      .le32(32 + 8 + p.bits)
      .sp()
      .be32(row)
      .sp()
      .hex8(PROTOCOL_NUMBER[protocol])
      .sp()
      .be16(p.port)
      .str(" 00");
    this.entries.value().le32(CODE[verdict]);
    const json = this.entries.data().str('{"row":').dec(row).str(',"protocol":"').str(protocol);
    json.str('","ports":"').dec(p.port);
    if (last !== p.port) json.str("-").dec(last);
    json.str('","verdict":"').str(verdict).str('"}');
  }
}

const countFor = (list: readonly VerdictSegment[], covers: readonly unknown[][], v: RenderVerdict): number =>
  list.reduce((n, s, i) => (s.verdict === v ? n + covers[i]!.length : n), 0);

/** A protocol's segments over every port 0–65535 (gaps denied), adjacent equal verdicts merged. */
function fullSegments(segments: readonly VerdictSegment[], protocol: Protocol): VerdictSegment[] {
  const out: VerdictSegment[] = [];
  const add = (first: number, last: number, verdict: RenderVerdict): void => {
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.verdict === verdict) out[out.length - 1] = { ...prev, last };
    else out.push({ protocol, first, last, verdict });
  };
  let next = 0;
  for (const s of segments.filter((x) => x.protocol === protocol).sort((a, b) => a.first - b.first)) {
    if (s.first > next) add(next, s.first - 1, "deny");
    add(s.first, s.last, s.verdict);
    next = s.last + 1;
  }
  if (next <= 65535) add(next, 65535, "deny");
  return out;
}

/** The fewest aligned port prefixes (`bits` of 16 significant) whose union is `[first, last]`. */
export function portCover(first: number, last: number): { port: number; bits: number }[] {
  const out: { port: number; bits: number }[] = [];
  let cur = first;
  while (cur <= last) {
    let size = 0;
    while (size < 16 && ((cur >> size) & 1) === 0 && cur + 2 ** (size + 1) - 1 <= last) size++;
    out.push({ port: cur, bits: 16 - size });
    cur += 2 ** size;
  }
  return out;
}
