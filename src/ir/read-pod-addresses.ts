// The pod addresses of an IR as the render view reads them: per family the distinct addresses of
// selectable pods, parsed, formatted and sorted once per IR (an index kept beside the IR), and the
// addresses two pods share (a datapath cannot tell them apart).
import type { Family } from "../model/types.ts";
import { formatIP, parseIP, parseIPv4Number } from "../net/ip.ts";
import { KIND_POD, type PolicyTableIR } from "./policy-table-ir.ts";

/** The distinct addresses of selectable pods of one family, ascending, each with its first pod. */
export interface AddressIndex {
  readonly text: readonly string[];
  readonly value: readonly bigint[];
  /** The endpoint index of the first selectable pod (endpoint order) holding the address. */
  readonly pod: Int32Array;
  /** Whether an address is held twice (by two pods, or listed twice by one): else every one is held once. */
  readonly repeated: boolean;
}

const indexCache = new WeakMap<PolicyTableIR, Map<Family, AddressIndex>>();

/**
 * The distinct addresses of selectable pods of `family`, ascending, with canonical text and the
 * first pod (endpoint order) holding each: built once per IR and shared (do not mutate).
 */
export function addressIndex(ir: PolicyTableIR, family: Family): AddressIndex {
  let byFamily = indexCache.get(ir);
  if (byFamily === undefined) indexCache.set(ir, (byFamily = new Map()));
  const cached = byFamily.get(family);
  if (cached !== undefined) return cached;
  const index = family === 4 && ir.pods.length < V4_POD_LIMIT ? v4Index(ir) : anyIndex(ir, family);
  byFamily.set(family, index);
  return index;
}

/** Pods below this count fit beside a 32-bit address in one exact double (2^32 · 2^21 = 2^53). */
const V4_POD_LIMIT = 2 ** 21;

/**
 * The IPv4 index with numbers, not bigints, until the end: each address parsed once, sorted as
 * `value · 2^21 + pod` in a Float64Array (by value, then first pod), formatted from the number.
 */
function v4Index(ir: PolicyTableIR): AddressIndex {
  const keys: number[] = [];
  for (let p = 0; p < ir.pods.length; p++) {
    if (ir.kind[p] !== KIND_POD) continue;
    for (const a of ir.podAddresses[p]!) {
      if (a.includes(":")) continue;
      const v = parseIPv4Number(a);
      if (v < 0) throw new Error(`IR pod address ${a} is not an IPv4 address`);
      keys.push(v * V4_POD_LIMIT + p);
    }
  }
  const sorted = Float64Array.from(keys).sort();
  const text: string[] = [];
  const value: bigint[] = [];
  const pods: number[] = [];
  let last = -1;
  for (const k of sorted) {
    const pod = k % V4_POD_LIMIT;
    const v = (k - pod) / V4_POD_LIMIT;
    if (v === last) continue; // one address of several pods (or written twice) keeps its first pod
    last = v;
    value.push(BigInt(v));
    text.push(`${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`);
    pods.push(pod);
  }
  return { text, value, pod: Int32Array.from(pods), repeated: pods.length < sorted.length };
}

function anyIndex(ir: PolicyTableIR, family: Family): AddressIndex {
  const found: { value: bigint; pod: number }[] = [];
  const seen = new Set<string>();
  let repeated = false;
  for (let p = 0; p < ir.pods.length; p++) {
    if (ir.kind[p] !== KIND_POD) continue;
    for (const a of ir.podAddresses[p]!) {
      if (a.includes(":") !== (family === 6)) continue;
      if (seen.has(a)) {
        repeated = true;
        continue;
      }
      seen.add(a);
      const ip = parseIP(a);
      if (ip === undefined || ip.family !== family)
        throw new Error(`IR pod address ${a} is not an IPv${family} address`);
      found.push({ value: ip.value, pod: p });
    }
  }
  // Ascending by value; one value written two ways keeps its first pod.
  found.sort((x, y) => (x.value < y.value ? -1 : x.value > y.value ? 1 : x.pod - y.pod));
  const text: string[] = [];
  const value: bigint[] = [];
  const pods: number[] = [];
  for (const f of found) {
    if (value.length > 0 && value[value.length - 1] === f.value) {
      repeated = true;
      continue;
    }
    value.push(f.value);
    text.push(formatIP({ family, value: f.value }));
    pods.push(f.pod);
  }
  return { text, value, pod: Int32Array.from(pods), repeated };
}

interface SharedInfo {
  readonly byAddress: ReadonlyMap<string, readonly string[]>;
  /** Per endpoint: 1 when one of its addresses is shared. */
  readonly pods: Uint8Array;
}

const sharedCache = new WeakMap<PolicyTableIR, SharedInfo>();

function sharedInfo(ir: PolicyTableIR): SharedInfo {
  const cached = sharedCache.get(ir);
  if (cached !== undefined) return cached;
  if (!addressIndex(ir, 4).repeated && !addressIndex(ir, 6).repeated) {
    // Every address is held once (the indexes, which a render builds anyway, saw no repeat).
    const none = { byAddress: new Map(), pods: new Uint8Array(ir.kind.length) };
    sharedCache.set(ir, none);
    return none;
  }
  const owners = new Map<string, number[]>();
  for (let p = 0; p < ir.pods.length; p++) {
    if (ir.kind[p] !== KIND_POD) continue;
    for (const a of ir.podAddresses[p]!) {
      const list = owners.get(a);
      if (list === undefined) owners.set(a, [p]);
      else list.push(p);
    }
  }
  const byAddress = new Map<string, readonly string[]>();
  const pods = new Uint8Array(ir.kind.length);
  for (const [a, list] of owners) {
    if (list.length < 2) continue;
    byAddress.set(
      a,
      list.map((p) => ir.pods[p]!),
    );
    for (const p of list) pods[p] = 1;
  }
  const info = { byAddress, pods };
  sharedCache.set(ir, info);
  return info;
}

/**
 * Addresses shared by two selectable pods (a datapath cannot tell them apart): `address → pod
 * names` in endpoint order, built once per IR and shared (do not mutate).
 */
export function sharedAddresses(ir: PolicyTableIR): ReadonlyMap<string, readonly string[]> {
  return sharedInfo(ir).byAddress;
}

/** Per endpoint: 1 when it holds an address another selectable pod holds too (do not mutate). */
export function podsSharingAddresses(ir: PolicyTableIR): Uint8Array {
  return sharedInfo(ir).pods;
}
