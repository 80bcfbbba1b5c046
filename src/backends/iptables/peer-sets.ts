// Peer classes as ipset hash:net members, linear in pods and address ranges: a class's address
// ranges as CIDR covers, its pods' addresses as host entries, and the addresses of other classes'
// pods inside its ranges as `nomatch` entries (hash:net tries the most specific prefix first, so a
// nomatch host entry punches a hole). The plain cover of the render view's intervals would need up
// to 32 (IPv4) or 128 (IPv6) CIDRs per pod hole instead of one entry.
import type { IRDirection, PolicyTableIR } from "../../ir/policy-table-ir.ts";
import { addressIndex, type Family } from "../../ir/read-render.ts";
import { directionOf } from "../../ir/read-table.ts";
import { cidrCover } from "../shared/addresses.ts";

interface Range {
  first: bigint;
  last: bigint;
  readonly cls: number;
}

/** ipset members per wanted class: `cidr` or `cidr nomatch`, in address order. */
export function peerClassMembers(
  ir: PolicyTableIR,
  direction: number,
  family: Family,
  wanted: ReadonlySet<number>,
): Map<number, string[]> {
  const dir = directionOf(ir, direction);
  const index = addressIndex(ir, family);
  const { text, value } = index;
  // Each address's global class (a shared address: its first pod's).
  const base = (family === 4 ? 0 : 1) * ir.kind.length;
  const classOf = new Int32Array(text.length);
  for (let i = 0; i < classOf.length; i++) classOf[i] = dir.globalClass[base + index.pod[i]!]!;
  const ranges = addressRanges(ir, dir, family);
  const out = new Map<number, string[]>();
  const add = (cls: number, member: string): void => {
    if (!wanted.has(cls)) return;
    const list = out.get(cls);
    if (list === undefined) out.set(cls, [member]);
    else list.push(member);
  };
  const suffix = family === 4 ? "/32" : "/128";
  let e = 0;
  for (const r of ranges) {
    const foreign: number[] = []; // address index entries of other classes inside the range
    while (e < text.length && value[e]! <= r.last) {
      const p = e++;
      if (value[p]! < r.first) {
        add(classOf[p]!, text[p]! + suffix); // outside every range (not expected: the classes cover the space)
        continue;
      }
      if (classOf[p] === r.cls) continue;
      foreign.push(p);
      add(classOf[p]!, text[p]! + suffix);
    }
    if (!wanted.has(r.cls)) continue;
    // Holes at the ends shrink the range (a cover's host entries are only ever at its ends, so the
    // holes left inside never collide with one of its own entries).
    let lo = 0;
    let hi = foreign.length;
    let first = r.first;
    let last = r.last;
    while (lo < hi && value[foreign[lo]!] === first) {
      lo++;
      first++;
    }
    while (hi > lo && value[foreign[hi - 1]!] === last) {
      hi--;
      last--;
    }
    if (first > last) continue;
    for (const cidr of cidrCover(first, last, family)) for (const c of storable(cidr, family)) add(r.cls, c);
    for (let i = lo; i < hi; i++) add(r.cls, `${text[foreign[i]!]}${suffix} nomatch`);
  }
  for (; e < text.length; e++) add(classOf[e]!, text[e]! + suffix);
  return out;
}

/**
 * Same-namespace local classes as ipset members, for every namespace in one pass over the pod
 * addresses (`localIntervals` per namespace would scan every pod once per namespace): namespace
 * index → local class → addresses (host entries) in address order (a shared address: its first
 * pod's, as in the render view).
 */
export function localClassMembers(
  ir: PolicyTableIR,
  direction: number,
  family: Family,
): Map<number, Map<number, string[]>> {
  const dir = directionOf(ir, direction);
  const index = addressIndex(ir, family);
  const out = new Map<number, Map<number, string[]>>();
  for (let i = 0; i < index.text.length; i++) {
    const p = index.pod[i]!;
    const ns = ir.namespace[p]!;
    const cls = dir.localClass[p]!;
    let byClass = out.get(ns);
    if (byClass === undefined) out.set(ns, (byClass = new Map()));
    const list = byClass.get(cls);
    const entry = index.text[i]!;
    if (list === undefined) byClass.set(cls, [entry]);
    else list.push(entry);
  }
  return out;
}

/** hash:net cannot store a /0: two /1s instead. */
function storable(cidr: string, family: Family): string[] {
  if (!cidr.endsWith("/0")) return [cidr];
  return family === 4 ? ["0.0.0.0/1", "128.0.0.0/1"] : ["::/1", "8000::/1"];
}

/** The address classes of the family with their global class, adjacent equal classes merged. */
function addressRanges(ir: PolicyTableIR, dir: IRDirection, family: Family): Range[] {
  const v = family === 4 ? 0 : 1;
  const E = ir.kind.length;
  const out: Range[] = [];
  ir.addressClasses.forEach((ac, j) => {
    if (ac.family !== family) return;
    const cls = dir.globalClass[v * E + ir.pods.length + j]!;
    const first = BigInt(ac.first);
    const last = BigInt(ac.last);
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.cls === cls && prev.last + 1n === first) prev.last = last;
    else out.push({ first, last, cls });
  });
  return out;
}
