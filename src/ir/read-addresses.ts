// The render view's addresses: address → class maps as sorted, non-overlapping intervals (peer
// classes over the whole address space, same-namespace local classes over pod addresses, node
// addresses), read off the pod address index (read-pod-addresses.ts), so a render's cost follows
// addresses and intervals, not addresses × namespaces or × directions.
import type { Family } from "../model/types.ts";
import { formatIP } from "../net/ip.ts";
import type { PolicyTableIR } from "./policy-table-ir.ts";
import { addressIndex } from "./read-pod-addresses.ts";
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
