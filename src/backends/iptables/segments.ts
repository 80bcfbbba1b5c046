// Port segments as iptables rule parts: which segments a cell must say (those that differ from the
// group's default: the rest falls through to the default rules), the verdict a segment list ends
// with (the one covering most segments, so the fewest rules are written), and protocol + port
// matches grouped with multiport (at most 15 ports a rule, a range counting two).
import type { PortSegment, RenderVerdict, VerdictSegment } from "../../ir/read-render.ts";

const PROTOCOLS = ["TCP", "UDP", "SCTP"] as const;

/** The parts of `cell` whose verdict differs from `base` (both cover every port of every protocol). */
export function differingSegments(
  cell: readonly VerdictSegment[],
  base: readonly VerdictSegment[],
): VerdictSegment[] {
  const out: VerdictSegment[] = [];
  for (const protocol of PROTOCOLS) {
    const a = cell.filter((s) => s.protocol === protocol);
    const b = base.filter((s) => s.protocol === protocol);
    let j = 0;
    for (const s of a) {
      let port = s.first;
      while (port <= s.last) {
        while (j < b.length && b[j]!.last < port) j++;
        const other = b[j];
        const end = other === undefined ? s.last : Math.min(s.last, other.last);
        if (other === undefined || other.verdict !== s.verdict) push(out, { ...s, first: port, last: end });
        port = end + 1;
      }
    }
  }
  return out;
}

function push(out: VerdictSegment[], s: VerdictSegment): void {
  const prev = out[out.length - 1];
  if (prev?.protocol === s.protocol && prev.verdict === s.verdict && prev.last + 1 === s.first)
    out[out.length - 1] = { ...prev, last: s.last };
  else out.push(s);
}

const VERDICT_ORDER: readonly RenderVerdict[] = ["deny", "allow", "local"];

/** The verdict most segments have (ties: deny, allow, local): the list's closing rule. */
export function fallbackVerdict(segments: readonly VerdictSegment[]): RenderVerdict {
  let best: RenderVerdict = "deny";
  let bestCount = -1;
  for (const v of VERDICT_ORDER) {
    const n = segments.filter((s) => s.verdict === v).length;
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Segments (of one verdict) as protocol + port matches, in protocol order (all of TCP, UDP and SCTP:
 * one empty match, only they reach the policy chains): a whole protocol needs no
 * port (`-p sctp`), one segment a plain `-p tcp -m tcp --dport 80`, several a multiport list of at
 * most 15 ports (`-p udp -m multiport --dports 53,5353`).
 */
export function portMatches(segments: readonly PortSegment[]): string[] {
  const whole = (p: string): boolean =>
    segments.some((s) => s.protocol === p && s.first === 0 && s.last === 65535);
  if (PROTOCOLS.every(whole)) return [""]; // every policed protocol: no match needed
  const out: string[] = [];
  for (const protocol of PROTOCOLS) {
    const p = protocol.toLowerCase();
    const mine = segments.filter((s) => s.protocol === protocol);
    if (mine.length === 0) continue;
    if (mine.length === 1 && mine[0]!.first === 0 && mine[0]!.last === 65535) {
      out.push(`-p ${p}`);
      continue;
    }
    if (mine.length === 1) {
      out.push(`-p ${p} -m ${p} --dport ${portText(mine[0]!)}`);
      continue;
    }
    let chunk: string[] = [];
    let used = 0;
    const flush = (): void => {
      if (chunk.length > 0) out.push(`-p ${p} -m multiport --dports ${chunk.join(",")}`);
      chunk = [];
      used = 0;
    };
    for (const s of mine) {
      const cost = s.first === s.last ? 1 : 2;
      if (used + cost > 15) flush();
      chunk.push(portText(s));
      used += cost;
    }
    flush();
  }
  return out;
}

const portText = (s: PortSegment): string => (s.first === s.last ? `${s.first}` : `${s.first}:${s.last}`);

/** Segments grouped by verdict (in VERDICT_ORDER), skipping `except`. */
export function byVerdict(
  segments: readonly VerdictSegment[],
  except?: RenderVerdict,
): [RenderVerdict, VerdictSegment[]][] {
  return VERDICT_ORDER.filter((v) => v !== except)
    .map((v): [RenderVerdict, VerdictSegment[]] => [v, segments.filter((s) => s.verdict === v)])
    .filter(([, list]) => list.length > 0);
}
