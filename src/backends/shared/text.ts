// Text helpers for rendered rules: deterministic short names within a tool's length limit, and
// comments that cannot break out of their quotes.

/** FNV-1a, 32 bits, as 7 base-36 digits: stable across runs and platforms. */
export function stableHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36).padStart(7, "0");
}

const UNCLEAN = /[^A-Za-z0-9_-]/;

/**
 * A name of at most `max` characters from [A-Za-z0-9_-]: `prefix` + `key` when that fits and is
 * clean, else `prefix` + a prefix of the cleaned key + a hash of the whole key (so that distinct
 * keys stay distinct).
 *
 * @example
 * shortName("np-", "g12", 31); // "np-g12"
 */
export function shortName(prefix: string, key: string, max: number): string {
  const clean = UNCLEAN.test(key) ? key.replace(/[^A-Za-z0-9_-]/g, "_") : key;
  const plain = prefix + clean;
  if (clean === key && plain.length <= max) return plain;
  const hash = stableHash(key);
  const room = Math.max(0, max - prefix.length - hash.length - 1);
  return `${prefix}${clean.slice(0, room)}_${hash}`.slice(0, max);
}

const UNSAFE = /[^\x20-\x7e]|["\\`]|\*\/|\/\*/;

/**
 * A comment safe inside double quotes for iptables, nftables and C: printable ASCII only, no
 * quotes, backslashes or comment terminators, at most `max` characters (an ellipsis marks a cut).
 */
export function sanitizeComment(text: string, max = 120): string {
  if (text.length <= max && !UNSAFE.test(text)) return text; // the common case: one scan
  const safe = text
    .replace(/[^\x20-\x7e]/g, "?")
    .replace(/["\\`]/g, "'")
    .replace(/\*\//g, "* /")
    .replace(/\/\*/g, "/ *");
  return safe.length <= max ? safe : `${safe.slice(0, Math.max(0, max - 3))}...`;
}
