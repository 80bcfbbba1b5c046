// The render view's addresses: address → class maps as sorted, non-overlapping intervals (peer
// classes over the whole address space, same-namespace local classes over pod addresses, node
// addresses), and the addresses two pods share. Every pod address is parsed, formatted and sorted
// once per IR (an address index, kept beside the IR), so a render's cost follows addresses and
// intervals, not addresses × namespaces or × directions.
import type { Family } from "../model/types.ts";
import { formatIP, parseIP, parseIPv4Number } from "../net/ip.ts";
import { KIND_POD, type PolicyTableIR } from "./policy-table-ir.ts";
import { directionOf } from "./read-table.ts";

/** An inclusive address interval of one family mapped to a class; canonical address text. */
export interface AddressInterval {
  readonly first: string;
  readonly last: string;
  /** First and last as integers (for covers and sorting). */
  readonly firstValue: bigint;
  readonly lastValue: bigint;
  readonly cls: number;
}

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

/** An interval being built (merged into in place; handed out as `AddressInterval`). */
interface OpenInterval {
  first: string;
  last: string;
  firstValue: bigint;
  lastValue: bigint;
  cls: number;
}

/** Appends an interval, merging it into the previous one when adjacent and of the same class. */
class IntervalList {
  readonly out: OpenInterval[] = [];
  constructor(readonly family: Family) {}
  push(first: bigint, last: bigint, cls: number, firstText?: string, lastText?: string): void {
    const prev = this.out[this.out.length - 1];
    if (prev !== undefined && prev.cls === cls && prev.lastValue + 1n === first) {
      prev.last = lastText ?? formatIP({ family: this.family, value: last });
      prev.lastValue = last;
      return;
    }
    this.out.push({
      first: firstText ?? formatIP({ family: this.family, value: first }),
      last: lastText ?? formatIP({ family: this.family, value: last }),
      firstValue: first,
      lastValue: last,
      cls,
    });
  }
}

/**
 * Address → global peer class of `direction` for one family, as sorted non-overlapping intervals
 * covering the whole address space: pod addresses (exact) take their pod's class, every other
 * address its address class's. Adjacent intervals of one class are merged.
 */
export function peerIntervals(ir: PolicyTableIR, direction: number, family: Family): AddressInterval[] {
  const dir = directionOf(ir, direction);
  const v = family === 4 ? 0 : 1;
  const E = ir.kind.length;
  const index = addressIndex(ir, family);
  const list = new IntervalList(family);
  let e = 0;
  ir.addressClasses.forEach((ac, j) => {
    if (ac.family !== family) return;
    const cls = dir.globalClass[v * E + ir.pods.length + j]!;
    let cursor = BigInt(ac.first);
    const last = BigInt(ac.last);
    while (e < index.value.length && index.value[e]! <= last) {
      const x = index.value[e]!;
      const text = index.text[e]!;
      const xCls = dir.globalClass[v * E + index.pod[e]!]!;
      e++;
      if (x < cursor) continue;
      if (x > cursor) list.push(cursor, x - 1n, cls);
      list.push(x, x, xCls, text, text);
      cursor = x + 1n;
    }
    if (cursor <= last) list.push(cursor, last, cls);
  });
  return list.out;
}

const localCache = new WeakMap<PolicyTableIR, Map<string, ReadonlyMap<string, readonly AddressInterval[]>>>();

/**
 * Address → local class of `direction` for every namespace at once (one pass over the address
 * index): namespace name → the exact addresses of its pods, sorted by value (a shared address is
 * its first pod's). A same-namespace peer is found in its namespace's list, any other address is not.
 */
export function localIntervalsByNamespace(
  ir: PolicyTableIR,
  direction: number,
  family: Family,
): ReadonlyMap<string, readonly AddressInterval[]> {
  let byKey = localCache.get(ir);
  if (byKey === undefined) localCache.set(ir, (byKey = new Map()));
  const key = `${direction}/${family}`;
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const dir = directionOf(ir, direction);
  const index = addressIndex(ir, family);
  const lists = new Map<number, IntervalList>();
  for (let e = 0; e < index.value.length; e++) {
    const p = index.pod[e]!;
    const cls = dir.localClass[p]!;
    if (cls < 0) continue;
    const ns = ir.namespace[p]!;
    let list = lists.get(ns);
    if (list === undefined) lists.set(ns, (list = new IntervalList(family)));
    list.push(index.value[e]!, index.value[e]!, cls, index.text[e]!, index.text[e]!);
  }
  const out = new Map(
    [...lists].map(([ns, list]) => [ir.namespaces[ns]!, list.out as readonly AddressInterval[]]),
  );
  byKey.set(key, out);
  return out;
}

/**
 * The same-namespace local class of `direction` an endpoint has (what `localIntervals` maps its
 * addresses to, where it is their first holder), or -1: none.
 */
export function podLocalClass(ir: PolicyTableIR, direction: number, pod: number): number {
  const c = directionOf(ir, direction).localClass[pod];
  return c === undefined || c < 0 ? -1 : c;
}

/** `localIntervalsByNamespace` for one namespace. */
export function localIntervals(
  ir: PolicyTableIR,
  direction: number,
  namespace: string,
  family: Family,
): readonly AddressInterval[] {
  return localIntervalsByNamespace(ir, direction, family).get(namespace) ?? [];
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

/**
 * Per node name: its addresses of `family` as intervals (the address classes that are that node's),
 * for the own-node rule (`profile.allowFromOwnNode`: ingress from any address of the pod's node).
 */
export function nodeIntervals(ir: PolicyTableIR, family: Family): Map<string, AddressInterval[]> {
  const lists = new Map<string, IntervalList>();
  ir.addressClasses.forEach((ac, j) => {
    const n = ir.node[ir.pods.length + j]!;
    if (ac.family !== family || n < 0) return;
    const name = ir.nodes[n]!;
    let list = lists.get(name);
    if (list === undefined) lists.set(name, (list = new IntervalList(family)));
    list.push(BigInt(ac.first), BigInt(ac.last), n);
  });
  return new Map([...lists].map(([name, list]) => [name, list.out]));
}
