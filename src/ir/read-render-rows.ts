// The render view's rows: a port row of the IR as port segments with the verdict a datapath
// renders, cached per IR (rows are shared by many groups: each is turned into segments once per
// render, and rows that render alike get one id to compare by). Read through `read-table.ts` only.
import type { Family, Protocol } from "../model/types.ts";
import { type PolicyTableIR, V_ALLOW, V_OPEN } from "./policy-table-ir.ts";
import { outcomeVerdict } from "./read-table.ts";

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
  const code = (o: number): RenderVerdict | undefined => {
    const v = outcomeVerdict(ir, o);
    return v === V_ALLOW ? "allow" : v === V_OPEN && hasLocal ? "local" : "deny";
  };
  return segmentsOf(ir, row, code);
}

/** The ports a local row allows, merged. */
export function rowAllowed(ir: PolicyTableIR, row: number): PortSegment[] {
  return segmentsOf(ir, row, (o) => (outcomeVerdict(ir, o) === V_ALLOW ? "allow" : undefined)).map(
    ({ protocol, first, last }) => ({ protocol, first, last }),
  );
}

const PROTOCOL_ORDER: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

/** Per port class: its protocol, first and last port (computed once per IR). */
interface ClassPorts {
  readonly protocol: Protocol[];
  readonly first: Int32Array;
  readonly last: Int32Array;
}
const classPortsCache = new WeakMap<PolicyTableIR, ClassPorts>();

function classPorts(ir: PolicyTableIR): ClassPorts {
  let c = classPortsCache.get(ir);
  if (c !== undefined) return c;
  const K = ir.portClassCount;
  c = { protocol: new Array<Protocol>(K), first: new Int32Array(K), last: new Int32Array(K) };
  for (const protocol of PROTOCOL_ORDER) {
    const off = ir.portClassOffset[protocol];
    const starts = ir.portClassStarts[protocol];
    starts.forEach((start, i) => {
      c!.protocol[off + i] = protocol;
      c!.first[off + i] = start;
      c!.last[off + i] = i + 1 < starts.length ? starts[i + 1]! - 1 : 65535;
    });
  }
  classPortsCache.set(ir, c);
  return c;
}

/** Row `row` as merged segments of the verdict `code` gives each outcome (undefined: left out). */
function segmentsOf(
  ir: PolicyTableIR,
  row: number,
  code: (o: number) => RenderVerdict | undefined,
): VerdictSegment[] {
  const cp = classPorts(ir);
  const out: { protocol: Protocol; first: number; last: number; verdict: RenderVerdict }[] = [];
  const a = ir.rowStart[row]!;
  const b = ir.rowStart[row + 1]!;
  for (let i = a; i < b; i++) {
    const verdict = code(ir.runOutcome[i]!);
    if (verdict === undefined) continue;
    const end = i + 1 < b ? ir.runClass[i + 1]! : ir.portClassCount;
    for (let k = ir.runClass[i]!; k < end; k++) {
      const prev = out[out.length - 1];
      const protocol = cp.protocol[k]!;
      if (
        prev !== undefined &&
        prev.protocol === protocol &&
        prev.verdict === verdict &&
        prev.last + 1 === cp.first[k]
      )
        prev.last = cp.last[k]!;
      else out.push({ protocol, first: cp.first[k]!, last: cp.last[k]!, verdict });
    }
  }
  return out;
}

/** A selectable pod a backend may render: its name and addresses. */
export interface RenderPod {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  /** Its namespace's index in `ir.namespaces`. */
  readonly namespaceIndex: number;
  readonly node: string | undefined;
  /** Its node's index in `ir.nodes`, or -1 (no node). */
  readonly nodeIndex: number;
  readonly v4: readonly string[];
  readonly v6: readonly string[];
}

/** A row rendered: its segments, their text key, and an id equal for rows that render alike. */
export interface RowView {
  readonly segments: VerdictSegment[];
  readonly key: string;
  readonly id: number;
}

interface RowViews {
  /** (row × 2 + hasLocal) → view. */
  readonly views: Map<number, RowView>;
  readonly ids: Map<string, number>;
  /** Local row → the ports it allows. */
  readonly allowed: Map<number, PortSegment[]>;
}
const rowViewCache = new WeakMap<PolicyTableIR, RowViews>();

function rowViews(ir: PolicyTableIR): RowViews {
  let c = rowViewCache.get(ir);
  if (c === undefined) rowViewCache.set(ir, (c = { views: new Map(), ids: new Map(), allowed: new Map() }));
  return c;
}

/** `rowSegments(ir, row, hasLocal)` once per IR, with its key and id (shared: do not mutate). */
export function rowView(ir: PolicyTableIR, row: number, hasLocal: boolean): RowView {
  const c = rowViews(ir);
  const k = row * 2 + (hasLocal ? 1 : 0);
  let v = c.views.get(k);
  if (v === undefined) {
    const segments = rowSegments(ir, row, hasLocal);
    const key = JSON.stringify(segments);
    let id = c.ids.get(key);
    if (id === undefined) c.ids.set(key, (id = c.ids.size));
    c.views.set(k, (v = { segments, key, id }));
  }
  return v;
}

/** `rowAllowed(ir, row)` once per IR (shared: do not mutate). */
export function allowedView(ir: PolicyTableIR, row: number): PortSegment[] {
  const c = rowViews(ir);
  let a = c.allowed.get(row);
  if (a === undefined) c.allowed.set(row, (a = rowAllowed(ir, row)));
  return a;
}

/** The most frequent row of a dense block (ties: the smallest id). */
export function modeRow(rows: Int32Array): number {
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
