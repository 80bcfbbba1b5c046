// The render view: what a rendering backend needs from the IR, in the terms a datapath uses —
// subjects (groups) and their member pods, address → peer-class maps as non-overlapping intervals,
// and per (group, peer class) the folded verdict as port segments. Read through `read-table.ts`
// only (docs/architecture.md "IR v2"); sizes follow the IR (groups, classes, cells, members),
// never pod pairs.
import type { Family, Protocol } from "../model/types.ts";
import { formatIP, parseIP } from "../net/ip.ts";
import {
  type IRDirection,
  KIND_POD,
  type PolicyTableIR,
  V_ALLOW,
  V_OPEN,
} from "./policy-table-ir.ts";
import { directionOf, forEachRun, globalBlock, outcomeVerdict } from "./read-table.ts";

export type { Family, Protocol };

/** What a cell says for a port segment: allow, deny, or `local` — the same-namespace local row decides (else deny). */
export type RenderVerdict = "allow" | "deny" | "local";

/** Inclusive ports of one protocol. */
export interface PortSegment {
  readonly protocol: Protocol;
  readonly first: number;
  readonly last: number;
}

export interface VerdictSegment extends PortSegment {
  readonly verdict: RenderVerdict;
}

/** A port row as segments in protocol and port order, adjacent equal verdicts merged; covers every port of every protocol. */
export function rowSegments(ir: PolicyTableIR, row: number, hasLocal: boolean): VerdictSegment[] {
  const out: VerdictSegment[] = [];
  forEachRun(ir, row, (first, end, outcome) => {
    const v = outcomeVerdict(ir, outcome);
    const verdict: RenderVerdict = v === V_ALLOW ? "allow" : v === V_OPEN && hasLocal ? "local" : "deny";
    for (const seg of classSegments(ir, first, end)) pushMerged(out, { ...seg, verdict });
  });
  return out;
}

/** The ports a local row allows, merged. */
export function rowAllowed(ir: PolicyTableIR, row: number): PortSegment[] {
  const out: VerdictSegment[] = [];
  forEachRun(ir, row, (first, end, outcome) => {
    if (outcomeVerdict(ir, outcome) !== V_ALLOW) return;
    for (const seg of classSegments(ir, first, end)) pushMerged(out, { ...seg, verdict: "allow" });
  });
  return out.map(({ protocol, first, last }) => ({ protocol, first, last }));
}

const PROTOCOL_ORDER: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

/** Port classes `first … end − 1` of the combined class space as port segments, one per protocol met. */
function classSegments(ir: PolicyTableIR, first: number, end: number): PortSegment[] {
  const out: PortSegment[] = [];
  for (const protocol of PROTOCOL_ORDER) {
    const off = ir.portClassOffset[protocol];
    const starts = ir.portClassStarts[protocol];
    const a = Math.max(first, off);
    const b = Math.min(end, off + starts.length);
    if (a >= b) continue;
    const last = b - off < starts.length ? starts[b - off]! - 1 : 65535;
    out.push({ protocol, first: starts[a - off]!, last });
  }
  return out;
}

function pushMerged(out: VerdictSegment[], s: VerdictSegment): void {
  const prev = out[out.length - 1];
  if (
    prev !== undefined &&
    prev.protocol === s.protocol &&
    prev.verdict === s.verdict &&
    prev.last + 1 === s.first
  )
    out[out.length - 1] = { ...prev, last: s.last };
  else out.push(s);
}

/** One subject group of a direction, as a backend renders it. */
export interface RenderGroup {
  /** The IR's group id (≥ 1), stable for a given table. */
  readonly id: number;
  /** The namespace of its members (a group never spans namespaces). */
  readonly namespace: string;
  /** Member pods (endpoint indices of selectable pods with at least one address), ascending. */
  readonly members: readonly number[];
  /** Segments for every peer class not listed in `cells`. */
  readonly defaultSegments: readonly VerdictSegment[];
  /** Peer classes whose segments differ from the default, ascending. */
  readonly cells: readonly { readonly peerClass: number; readonly segments: readonly VerdictSegment[] }[];
  /** Same-namespace local classes with the ports they allow (only non-empty ones), ascending. */
  readonly local: readonly { readonly localClass: number; readonly allowed: readonly PortSegment[] }[];
}

/** An inclusive address interval of one family mapped to a class; canonical address text. */
export interface AddressInterval {
  readonly first: string;
  readonly last: string;
  /** First and last as integers (for covers and sorting). */
  readonly firstValue: bigint;
  readonly lastValue: bigint;
  readonly cls: number;
}

/** A selectable pod a backend may render: its name and addresses. */
export interface RenderPod {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly node: string | undefined;
  readonly v4: readonly string[];
  readonly v6: readonly string[];
}

/**
 * The pods a backend may render (selectable, with an address), in endpoint order; hostNetwork
 * pods are address endpoints (their node's addresses) and address-less pods cannot be rendered.
 */
export function renderPods(ir: PolicyTableIR): RenderPod[] {
  const out: RenderPod[] = [];
  for (let p = 0; p < ir.pods.length; p++) {
    const addrs = ir.podAddresses[p]!;
    if (ir.kind[p] !== KIND_POD || addrs.length === 0) continue;
    const n = ir.node[p]!;
    out.push({
      index: p,
      name: ir.pods[p]!,
      namespace: ir.namespaces[ir.namespace[p]!]!,
      node: n >= 0 ? ir.nodes[n] : undefined,
      v4: addrs.filter((a) => !a.includes(":")),
      v6: addrs.filter((a) => a.includes(":")),
    });
  }
  return out;
}

/** The groups of `direction` with at least one member among `pods` (group 0, the unselected, allows and is left out). */
export function renderGroups(
  ir: PolicyTableIR,
  direction: number,
  pods: readonly RenderPod[],
): RenderGroup[] {
  const dir = directionOf(ir, direction);
  const members = new Map<number, number[]>();
  for (const pod of pods) {
    const g = dir.group[pod.index]!;
    if (g === 0) continue;
    const list = members.get(g);
    if (list === undefined) members.set(g, [pod.index]);
    else list.push(pod.index);
  }
  return [...members.keys()].sort((a, b) => a - b).map((g) => renderGroup(ir, dir, g, members.get(g)!));
}

function renderGroup(ir: PolicyTableIR, dir: IRDirection, g: number, members: number[]): RenderGroup {
  const nsIndex = ir.namespace[members[0]!]!;
  const local = localEntries(ir, dir, g, nsIndex);
  const hasLocal = local.length > 0;
  const block = globalBlock(dir, g);
  let defaultRow = block.defaultRow;
  if (block.classes === undefined) defaultRow = modeRow(block.rows);
  const cells: { peerClass: number; segments: VerdictSegment[] }[] = [];
  const cache = new Map<number, VerdictSegment[]>();
  const segs = (row: number): VerdictSegment[] => {
    let s = cache.get(row);
    if (s === undefined) cache.set(row, (s = rowSegments(ir, row, hasLocal)));
    return s;
  };
  // Rows that render alike (same segments) are one: compare a key computed once per row.
  const keys = new Map<number, string>();
  const keyOf = (row: number): string => {
    let k = keys.get(row);
    if (k === undefined) keys.set(row, (k = JSON.stringify(segs(row))));
    return k;
  };
  const defaultSegments = segs(defaultRow);
  const key = keyOf(defaultRow);
  block.rows.forEach((row, i) => {
    if (row === defaultRow || keyOf(row) === key) return;
    cells.push({ peerClass: block.classes === undefined ? i : block.classes[i]!, segments: segs(row) });
  });
  return { id: g, namespace: ir.namespaces[nsIndex]!, members, defaultSegments, cells, local };
}

/** The most frequent row of a dense block (ties: the smallest id). */
function modeRow(rows: Int32Array): number {
  const count = new Map<number, number>();
  let best = rows[0] ?? 0;
  let bestCount = 0;
  for (const r of rows) {
    const c = (count.get(r) ?? 0) + 1;
    count.set(r, c);
    if (c > bestCount || (c === bestCount && r < best)) {
      best = r;
      bestCount = c;
    }
  }
  return best;
}

function localEntries(
  ir: PolicyTableIR,
  dir: IRDirection,
  g: number,
  nsIndex: number,
): { localClass: number; allowed: PortSegment[] }[] {
  const classes = dir.localStart[nsIndex + 1]! - dir.localStart[nsIndex]!;
  const out: { localClass: number; allowed: PortSegment[] }[] = [];
  const memo = new Map<number, PortSegment[]>();
  for (let l = 0; l < classes; l++) {
    const row = dir.localCells[dir.localBase[g]! + l]!;
    if (row === 0) continue;
    let allowed = memo.get(row);
    if (allowed === undefined) memo.set(row, (allowed = rowAllowed(ir, row)));
    if (allowed.length > 0) out.push({ localClass: l, allowed });
  }
  return out;
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
  const exact = podAddressClasses(ir, family, (p) => dir.globalClass[v * E + p]!);
  const out: AddressInterval[] = [];
  let e = 0;
  ir.addressClasses.forEach((ac, j) => {
    if (ac.family !== family) return;
    const cls = dir.globalClass[v * E + ir.pods.length + j]!;
    let cursor = BigInt(ac.first);
    const last = BigInt(ac.last);
    while (e < exact.length && exact[e]!.value <= last) {
      const x = exact[e++]!;
      if (x.value < cursor) continue;
      if (x.value > cursor) pushInterval(out, family, cursor, x.value - 1n, cls);
      pushInterval(out, family, x.value, x.value, x.cls);
      cursor = x.value + 1n;
    }
    if (cursor <= last) pushInterval(out, family, cursor, last, cls);
  });
  return out;
}

/**
 * Address → local class of `direction` for the pods of namespace `namespace` (exact addresses,
 * sorted by value): a same-namespace peer is found here, any other address is not.
 */
export function localIntervals(
  ir: PolicyTableIR,
  direction: number,
  namespace: string,
  family: Family,
): AddressInterval[] {
  const dir = directionOf(ir, direction);
  const n = ir.namespaces.indexOf(namespace);
  const out: AddressInterval[] = [];
  const pods = namespacePods(ir).get(n) ?? [];
  for (const x of podAddressClasses(ir, family, (p) => dir.localClass[p]!, pods))
    if (x.cls >= 0) pushInterval(out, family, x.value, x.value, x.cls);
  return out;
}

const byNamespace = new WeakMap<PolicyTableIR, Map<number, number[]>>();

/** Selectable pods per namespace index (computed once per IR). */
function namespacePods(ir: PolicyTableIR): Map<number, number[]> {
  let m = byNamespace.get(ir);
  if (m !== undefined) return m;
  m = new Map();
  for (let p = 0; p < ir.pods.length; p++) {
    if (ir.kind[p] !== KIND_POD) continue;
    const n = ir.namespace[p]!;
    const list = m.get(n);
    if (list === undefined) m.set(n, [p]);
    else list.push(p);
  }
  byNamespace.set(ir, m);
  return m;
}

/** Selectable pods' addresses of `family` with a class each, sorted by value (a shared address: the first pod's). */
function podAddressClasses(
  ir: PolicyTableIR,
  family: Family,
  cls: (pod: number) => number,
  pods?: readonly number[],
): { value: bigint; cls: number }[] {
  const seen = new Map<string, number>();
  for (const p of pods ?? ir.pods.keys()) {
    if (ir.kind[p] !== KIND_POD) continue;
    for (const a of ir.podAddresses[p]!)
      if (a.includes(":") === (family === 6) && !seen.has(a)) seen.set(a, cls(p));
  }
  return [...seen]
    .map(([a, c]) => ({ value: addressValue(a, family), cls: c }))
    .sort((x, y) => (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
}

function pushInterval(
  out: AddressInterval[],
  family: Family,
  first: bigint,
  last: bigint,
  cls: number,
): void {
  const prev = out[out.length - 1];
  if (prev !== undefined && prev.cls === cls && prev.lastValue + 1n === first) {
    out[out.length - 1] = { ...prev, last: formatValue(last, family), lastValue: last };
    return;
  }
  out.push({
    first: formatValue(first, family),
    last: formatValue(last, family),
    firstValue: first,
    lastValue: last,
    cls,
  });
}

/** Addresses shared by two selectable pods (a datapath cannot tell them apart): `address → pod names`. */
export function sharedAddresses(ir: PolicyTableIR): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (let p = 0; p < ir.pods.length; p++) {
    if (ir.kind[p] !== KIND_POD) continue;
    for (const a of ir.podAddresses[p]!) owners.set(a, [...(owners.get(a) ?? []), ir.pods[p]!]);
  }
  return new Map([...owners].filter(([, names]) => names.length > 1));
}

/**
 * Per node index: its addresses of `family` as intervals (the address classes that are that node's),
 * for the own-node rule (`profile.allowFromOwnNode`: ingress from any address of the pod's node).
 */
export function nodeIntervals(ir: PolicyTableIR, family: Family): Map<string, AddressInterval[]> {
  const out = new Map<string, AddressInterval[]>();
  ir.addressClasses.forEach((ac, j) => {
    const n = ir.node[ir.pods.length + j]!;
    if (ac.family !== family || n < 0) return;
    const name = ir.nodes[n]!;
    const list = out.get(name) ?? [];
    pushInterval(list, family, BigInt(ac.first), BigInt(ac.last), n);
    out.set(name, list);
  });
  return out;
}

function addressValue(text: string, family: Family): bigint {
  const ip = parseIP(text);
  if (ip === undefined || ip.family !== family)
    throw new Error(`IR pod address ${text} is not an IPv${family} address`);
  return ip.value;
}

function formatValue(value: bigint, family: Family): string {
  return formatIP({ family, value });
}
