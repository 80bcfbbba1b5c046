// Address helpers every backend needs: the minimal CIDR cover of an inclusive range, and interval
// text in the forms the tools read.
import type { AddressInterval, Family } from "../../ir/read-render.ts";
import { formatIP } from "../../net/ip.ts";

/**
 * The fewest CIDRs whose union is exactly `[first, last]` (largest aligned blocks, left to right).
 *
 * @example
 * cidrCover(167772161n, 167772166n, 4); // ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"]
 */
export function cidrCover(first: bigint, last: bigint, family: Family): string[] {
  return cidrBlocks(first, last, family).map((b) => b.cidr);
}

/** `cidrCover` with each block's first address (value and text) and prefix length beside it. */
export function cidrBlocks(
  first: bigint,
  last: bigint,
  family: Family,
): { value: bigint; prefix: number; address: string; cidr: string }[] {
  const bits = family === 4 ? 32 : 128;
  const out: { value: bigint; prefix: number; address: string; cidr: string }[] = [];
  let cur = first;
  while (cur <= last) {
    let size = 0; // host bits of the block starting at cur
    while (size < bits && ((cur >> BigInt(size)) & 1n) === 0n && cur + (1n << BigInt(size + 1)) - 1n <= last)
      size++;
    const address = formatIP({ family, value: cur });
    out.push({ value: cur, prefix: bits - size, address, cidr: `${address}/${bits - size}` });
    cur += 1n << BigInt(size);
  }
  return out;
}

/** An interval as CIDRs. */
export function intervalCIDRs(i: AddressInterval, family: Family): string[] {
  return cidrCover(i.firstValue, i.lastValue, family);
}

/** An interval as nftables / bpf-map text: `a` for one address, else `a-b`. */
export function intervalText(i: AddressInterval): string {
  return i.firstValue === i.lastValue ? i.first : `${i.first}-${i.last}`;
}
