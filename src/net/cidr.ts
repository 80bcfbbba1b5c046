import type { Family } from "../model/types.ts";
import { familyBits, formatIP, type IPAddress, MAX_ADDRESS_TEXT, parseIP } from "./ip.ts";

/** A CIDR as an inclusive integer range `[first, last]` of one family. */
export interface CIDR {
  readonly family: Family;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * Parse a CIDR. Host bits are cleared: `10.0.0.1/24` is the legacy spelling of `10.0.0.0/24`
 * (Kubernetes validation accepted it before 1.33 and the API keeps such objects).
 */
export function parseCIDR(text: string): CIDR | undefined {
  if (typeof text !== "string" || text.length > MAX_ADDRESS_TEXT + 8) return undefined;
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  // Decimal, leading zeros allowed (`/008`, `/0008`), as Go's pre-1.17 ParseCIDR reads it.
  if (ip === undefined || !/^[0-9]+$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = familyBits(ip.family);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const first = (ip.value >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { family: ip.family, prefix, first, last };
}

/** Canonical text of a CIDR (`10.0.0.0/24`, `2001:db8::/32`). */
export function formatCIDR(cidr: CIDR): string {
  return `${formatIP({ family: cidr.family, value: cidr.first })}/${cidr.prefix}`;
}

/**
 * Normalise a CIDR's text; `undefined` when it is not a CIDR.
 *
 * @example
 * normalizeCIDR("10.0.0.1/24"); // "10.0.0.0/24" (host bits cleared)
 * normalizeCIDR("10.0.0.0/33"); // undefined
 */
export function normalizeCIDR(text: string): string | undefined {
  const c = parseCIDR(text);
  return c === undefined ? undefined : formatCIDR(c);
}

/** Whether the address lies in the CIDR; addresses of the other family never do. */
export function cidrContains(cidr: CIDR, ip: IPAddress): boolean {
  return cidr.family === ip.family && ip.value >= cidr.first && ip.value <= cidr.last;
}

/** Whether `inner` is a strict subset of `outer` (same family, inside, and not equal). */
export function isStrictSubset(inner: CIDR, outer: CIDR): boolean {
  return (
    inner.family === outer.family &&
    inner.first >= outer.first &&
    inner.last <= outer.last &&
    !(inner.first === outer.first && inner.last === outer.last)
  );
}
