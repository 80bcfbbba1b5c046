import type { Family } from "../model/types.ts";

/** An inclusive address range of one family. */
export interface AddressRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * Address classes: each family's address space cut at every boundary of every ipBlock `cidr` and
 * `except`, and around every node address (so that a node's address is a class of its own, which
 * the own-node rule needs). Classes are numbered IPv4 first, in address order.
 */
export interface AddressClasses {
  readonly classes: readonly AddressRange[];
  /** Index of the class containing the address. */
  classOf(family: Family, value: bigint): number;
  /** The same for an IPv4 address given as a number (no BigInt on the per-pod path). */
  classOfV4(value: number): number;
}

const MAX: Record<Family, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

export function buildAddressClasses(ranges: Iterable<AddressRange>): AddressClasses {
  const cuts: Record<Family, Set<bigint>> = { 4: new Set([0n]), 6: new Set([0n]) };
  for (const r of ranges) {
    cuts[r.family].add(r.first);
    if (r.last < MAX[r.family]) cuts[r.family].add(r.last + 1n);
  }
  const classes: AddressRange[] = [];
  const startsOf: Record<Family, bigint[]> = { 4: [], 6: [] };
  const base: Record<Family, number> = { 4: 0, 6: 0 };
  for (const family of [4, 6] as const) {
    const s = [...cuts[family]].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    base[family] = classes.length;
    startsOf[family] = s;
    s.forEach((first, i) => {
      classes.push({ family, first, last: i + 1 < s.length ? s[i + 1]! - 1n : MAX[family] });
    });
  }
  // IPv4 bounds fit a double exactly.
  const v4Starts = Float64Array.from(startsOf[4], Number);
  return {
    classes,
    classOf(family, value) {
      const s = startsOf[family];
      let lo = 0;
      let hi = s.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (s[mid]! <= value) lo = mid;
        else hi = mid - 1;
      }
      return base[family] + lo;
    },
    classOfV4(value) {
      let lo = 0;
      let hi = v4Starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (v4Starts[mid]! <= value) lo = mid;
        else hi = mid - 1;
      }
      return base[4] + lo;
    },
  };
}
