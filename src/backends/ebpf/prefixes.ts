// The address tries' entries: LPM prefixes of address intervals (np_peer4/6: address → peer class;
// np_node4/6 take the same prefixes), as key bytes and JSON.
import type { AddressInterval, Family } from "../../ir/read-render.ts";
import { cidrBlocks } from "../shared/addresses.ts";
import type { ByteText } from "../shared/byte-text.ts";
import type { MapEntries } from "./entries.ts";
import { dirName } from "./layout.ts";

/** An address as `bytes` (4 or 16) big-endian hex bytes. */
export function addressBytes(w: ByteText, value: bigint, bytes: number): ByteText {
  if (bytes === 4) return w.be32(Number(value));
  for (let i = 3; i >= 0; i--) {
    w.be32(Number((value >> BigInt(32 * i)) & 0xffffffffn));
    if (i > 0) w.sp();
  }
  return w;
}

/**
 * Intervals covering a family's whole space as LPM prefixes of direction `d`: the class with the
 * most intervals as one /0 entry, every other interval's CIDR cover on top of it (the longest
 * prefix wins, and the covers of distinct intervals never overlap). The gaps between pod
 * addresses, the bulk of the space, are thus never covered prefix by prefix.
 */
export function putClassPrefixes(
  entries: MapEntries,
  intervals: readonly AddressInterval[],
  family: Family,
  d: number,
): void {
  const count = new Map<number, number>();
  for (const i of intervals) count.set(i.cls, (count.get(i.cls) ?? 0) + 1);
  let background = intervals[0]!.cls;
  for (const [cls, n] of count) {
    const best = count.get(background)!;
    if (n > best || (n === best && cls < background)) background = cls;
  }
  const direction = `{"direction":"${dirName(d)}","cidr":"`;
  const bytes = family === 4 ? 4 : 16;
  const put = (value: bigint, prefix: number, address: string, cls: number): void => {
    addressBytes(
      entries
        .key()
        .le32(8 + prefix)
        .sp()
        .hex8(d)
        .sp(),
      value,
      bytes,
    ).str(" 00 00 00");
    entries.value().le32(cls);
    entries.data().str(direction).str(address).str("/").dec(prefix).str('","class":').dec(cls).str("}");
  };
  put(0n, 0, family === 4 ? "0.0.0.0" : "::", background);
  for (const i of intervals)
    if (i.cls !== background) forEachPrefix(i, family, (v, p, a) => put(v, p, a, i.cls));
}

/** An interval's LPM prefixes: first address (value, text) and prefix length; one address without allocating. */
export function forEachPrefix(
  i: AddressInterval,
  family: Family,
  fn: (value: bigint, prefix: number, address: string) => void,
): void {
  if (i.firstValue === i.lastValue) fn(i.firstValue, family === 4 ? 32 : 128, i.first);
  else for (const b of cidrBlocks(i.firstValue, i.lastValue, family)) fn(b.value, b.prefix, b.address);
}
