import { PROTOCOLS, type Protocol } from "../model/types.ts";

/** An inclusive port range of one protocol. */
export interface PortRange {
  readonly protocol: Protocol;
  readonly lo: number;
  readonly hi: number;
}

/** Port classes: per protocol, 0–65535 cut at every boundary any rule uses. */
export interface PortClasses {
  readonly starts: Readonly<Record<Protocol, readonly number[]>>;
  readonly offset: Readonly<Record<Protocol, number>>;
  readonly count: number;
  /** Combined class index of a port. A rule's range [lo, hi] is the classes `classOf(lo) … classOf(hi)`. */
  classOf(protocol: Protocol, port: number): number;
}

/** Cut each protocol's port space at the boundaries of `ranges`. */
export function buildPortClasses(ranges: Iterable<PortRange>): PortClasses {
  const cuts: Record<Protocol, Set<number>> = { TCP: new Set([0]), UDP: new Set([0]), SCTP: new Set([0]) };
  for (const r of ranges) {
    cuts[r.protocol].add(r.lo);
    if (r.hi < 65535) cuts[r.protocol].add(r.hi + 1);
  }
  const starts = {} as Record<Protocol, number[]>;
  const offset = {} as Record<Protocol, number>;
  let count = 0;
  for (const p of PROTOCOLS) {
    starts[p] = [...cuts[p]].sort((a, b) => a - b);
    offset[p] = count;
    count += starts[p].length;
  }
  const local = (protocol: Protocol, port: number): number => {
    const s = starts[protocol];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= port) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    starts,
    offset,
    count,
    classOf: (protocol, port) => offset[protocol] + local(protocol, port),
  };
}
