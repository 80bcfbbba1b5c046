import type { Family } from "../model/types.ts";

/** A parsed address: family and its value as an unsigned integer (32 or 128 bits). */
export interface IPAddress {
  readonly family: Family;
  readonly value: bigint;
}

const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Longer text is never read as an address (leading zeros make legal text arbitrarily long). */
export const MAX_ADDRESS_TEXT = 256;

/**
 * Parse an IPv4 dotted quad. Leading zeros (`010.0.0.1`, `0010.0.0.1`) are the legacy form
 * Kubernetes still accepts on old objects; they are read as decimal (never octal) and any number of
 * them is allowed, like Go's pre-1.17 parser that k8s.io/utils `ParseIPSloppy` forks.
 */
function parseV4(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a virtual "." ends the last part
    if (c === 46) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (part > 255) return undefined;
      digits++;
    } else return undefined;
  }
  return parts === 4 ? value : undefined;
}

/**
 * An IPv4 dotted quad as a number in [0, 2³²), −1 when the text is not one: the allocation-free
 * form `parseIP` uses, for hot loops over many addresses (the compiler's pod IPs).
 */
export function parseIPv4Number(text: string): number {
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_ADDRESS_TEXT) return -1;
  return parseV4(text) ?? -1;
}

function parseV6(text: string): bigint | undefined {
  if (text.length > MAX_ADDRESS_TEXT || text.includes("%")) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const tail = parseV4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    tailV4 = BigInt(tail);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const split = (s: string): string[] | undefined => (s === "" ? [] : s.split(":"));
  const left = split(halves[0]!);
  const right = halves.length === 2 ? split(halves[1]!) : [];
  if (!left || !right) return undefined;
  const groups = [...left, ...right];
  if (!groups.every((g) => V6_GROUP.test(g))) return undefined;
  const missing = 8 - groups.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

/** Parse an IPv4 or IPv6 address; `undefined` when it is not one. IPv4-mapped IPv6 stays IPv6. */
export function parseIP(text: string): IPAddress | undefined {
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_ADDRESS_TEXT) return undefined;
  if (!text.includes(":")) {
    const v = parseV4(text);
    return v === undefined ? undefined : { family: 4, value: BigInt(v) };
  }
  const v = parseV6(text);
  return v === undefined ? undefined : { family: 6, value: v };
}

/** Canonical text: dotted quad, or RFC 5952 compressed lowercase IPv6. */
export function formatIP(ip: IPAddress): string {
  if (ip.family === 4) {
    const v = Number(ip.value);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  // IPv4-mapped (::ffff:0:0/96): RFC 5952 §5 recommends the mixed notation, as Go prints it.
  if (ip.value >> 32n === 0xffffn) return `::ffff:${formatIP({ family: 4, value: ip.value & 0xffffffffn })}`;
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  // Longest run of >= 2 zero groups, first one on ties (RFC 5952 §4.2).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/**
 * Normalise an address's text; `undefined` when it is not an address.
 *
 * @example
 * normalizeIP("2001:DB8:0:0:0:0:0:1"); // "2001:db8::1"
 * normalizeIP("010.0.0.1"); // "10.0.0.1" (legacy leading zeros, read as decimal)
 */
export function normalizeIP(text: string): string | undefined {
  const ip = parseIP(text);
  return ip === undefined ? undefined : formatIP(ip);
}

/** Number of bits in an address of the family. */
export function familyBits(family: Family): number {
  return family === 4 ? 32 : 128;
}
