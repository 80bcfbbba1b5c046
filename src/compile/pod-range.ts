import { InputError } from "../model/input-error.ts";
import { type CIDR, formatCIDR, parseCIDR } from "../net/cidr.ts";
import type { AddressClasses, AddressRange } from "./address-classes.ts";
import type { IntSeqInterner } from "./int-seq-interner.ts";

/**
 * Where an address-less pod may be (docs/decisions.md #46-#48): its address is unknown, but it is
 * one of the pod ranges' (`compile(c, { podCIDRs })`; none given: anywhere, either family). Its
 * ipBlock part is then one of the *CIDR signatures* of the address classes inside those ranges.
 */
export interface PodRangeSigs {
  /**
   * The ipBlock part of an address-less pod's own (variant 2) class: the one signature when the
   * ranges have one (every CIDR contains them or misses them: decided), else the CIDR peers every
   * candidate has (a CIDR matches only when it contains the whole pod range).
   */
  readonly primary: number;
  /** Per variant (0 IPv4, 1 IPv6): the candidate signatures, ascending; undefined when decided. */
  readonly families: readonly (readonly number[])[] | undefined;
}

/**
 * The candidate ipBlock parts of an address-less pod. `classSig[j]` is address class `j`'s
 * signature of ipBlock / `networks` peers (never `nodes` peers: a pod is not a node); the pod
 * ranges are cut points of the address classes, so a class is inside a range or outside it.
 * `matchesPods` false (profile `ipblock-external`): no CIDR matches a pod, decided.
 */
export function podRangeSigs(
  addresses: AddressClasses,
  podRanges: readonly AddressRange[],
  classSig: Int32Array,
  sigs: IntSeqInterner,
  matchesPods: boolean,
): PodRangeSigs {
  if (!matchesPods) return { primary: 0, families: undefined };
  const families: number[][] = [];
  const all = new Set<number>();
  for (const family of [4, 6] as const) {
    const seen = new Set<number>();
    if (podRanges.length === 0) {
      addresses.classes.forEach((c, j) => {
        if (c.family === family) seen.add(classSig[j]!);
      });
    } else
      for (const r of podRanges) {
        if (r.family !== family) continue;
        const last = addresses.classOf(family, r.last);
        for (let j = addresses.classOf(family, r.first); j <= last; j++) seen.add(classSig[j]!);
      }
    families.push([...seen].sort((a, b) => a - b));
    for (const s of seen) all.add(s);
  }
  const candidates = [...all];
  if (candidates.length === 1) return { primary: candidates[0]!, families: undefined };
  const lists = candidates.map((s) => sigs.toArray(s));
  const common = lists[0]!.filter((peer) => lists.every((l) => l.includes(peer)));
  return { primary: sigs.internList(common), families };
}

/**
 * The pod ranges of `compile(c, { podCIDRs })`, parsed (legacy forms normalised), sorted and
 * without repeats; a value that is not a CIDR is an `InputError` (`invalid-pod-cidr`).
 */
export function parsePodCIDRs(texts: readonly string[] | undefined): CIDR[] {
  if (texts === undefined) return [];
  if (!Array.isArray(texts))
    throw new InputError([{ code: "invalid-pod-cidr", message: "podCIDRs must be an array of CIDRs" }]);
  const out = new Map<string, CIDR>();
  texts.forEach((text, i) => {
    const c = parseCIDR(text);
    if (c === undefined)
      throw new InputError([
        {
          code: "invalid-pod-cidr",
          path: `podCIDRs[${i}]`,
          message: `pod CIDR ${JSON.stringify(text)} is not a CIDR (e.g. 10.244.0.0/16, fd00::/48)`,
        },
      ]);
    out.set(formatCIDR(c), c);
  });
  return [...out.values()].sort((a, b) =>
    a.family !== b.family
      ? a.family - b.family
      : a.first < b.first
        ? -1
        : a.first > b.first
          ? 1
          : a.prefix - b.prefix,
  );
}

/**
 * An address-less pod's own class whose pod range leaves a CIDR open: `meet` allows where all its
 * candidate classes (both families) allow, `joins[f]` where one of family `f` does (−1: none).
 */
export interface OpenRange {
  readonly meet: number;
  readonly candidates: readonly (readonly number[])[];
  readonly joins: readonly number[];
}

/**
 * The open pod ranges (#47) of the address-less pods `pods` (`[pod, label part, named vector]`):
 * per distinct own class (`ownClass(pod)`, the meet), its candidate classes per family, and per
 * family a join class of its own (`intern(…, −2 − f)`); `joinClass[f·P + pod]` (−1: none).
 */
export function buildOpenRanges(
  pods: readonly (readonly [number, number, number])[],
  range: PodRangeSigs,
  intern: (label: number, ip: number, vector: number, own?: number) => number,
  ownClass: (pod: number) => number,
  P: number,
): { joinClass: Int32Array; opens: OpenRange[] } {
  const joinClass = new Int32Array(2 * P).fill(-1);
  const opens = new Map<number, OpenRange>();
  for (const [e, label, vector] of pods) {
    const meet = ownClass(e);
    let o = opens.get(meet);
    if (o === undefined) {
      const candidates = range.families!.map((ips) => ips.map((ip) => intern(label, ip, vector)));
      const joins = candidates.map((c, f) =>
        c.length === 0 ? -1 : intern(label, range.primary, vector, -2 - f),
      );
      o = { meet, candidates, joins };
      opens.set(meet, o);
    }
    for (let f = 0; f < 2; f++) joinClass[f * P + e] = o.joins[f]!;
  }
  return { joinClass, opens: [...opens.values()] };
}
