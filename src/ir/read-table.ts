import {
  EGRESS,
  type IRDirection,
  type IRRule,
  KIND_POD,
  OUTCOME_OPEN,
  type PolicyTableIR,
  V_ALLOW,
  V_DENY,
  V_OPEN,
} from "./policy-table-ir.ts";

/**
 * The one reader of the IR's cells (docs/architecture.md, "IR v3"): the query's packing, explain,
 * serialisation checks and every backend read outcomes, rows and rules through these functions,
 * never by indexing the runs / `outcomes` themselves.
 */

/** Verdict (`V_ALLOW`, `V_DENY`, `V_OPEN`) of outcome `o`. */
export function outcomeVerdict(ir: PolicyTableIR, o: number): number {
  return ir.outcomes[3 * o]!;
}

/** Group-relative ordinal of the rule that decided outcome `o` (0: none — default, or open). */
export function outcomeRule(ir: PolicyTableIR, o: number): number {
  return ir.outcomes[3 * o + 1]!;
}

/** Group-relative ordinal of the Pass rule outcome `o` went through (0: none). */
export function outcomePass(ir: PolicyTableIR, o: number): number {
  return ir.outcomes[3 * o + 2]!;
}

/** Number of port rows. */
export function rowCount(ir: PolicyTableIR): number {
  return ir.rowStart.length - 1;
}

/** Outcome of port row `row` at port class `k`: the last run starting at or before `k` (binary search). */
export function rowOutcome(ir: PolicyTableIR, row: number, k: number): number {
  let lo = ir.rowStart[row]!;
  let hi = ir.rowStart[row + 1]! - 1;
  const c = ir.runClass;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (c[mid]! <= k) lo = mid;
    else hi = mid - 1;
  }
  return ir.runOutcome[lo]!;
}

/**
 * Each port row as `words` 32-bit masks, bit k set ⇔ the row's outcome at class k has verdict
 * `verdict` (`V_ALLOW` for what a global or local cell allows, `V_OPEN` for what a same-namespace
 * local rule may still allow).
 */
export function rowVerdictMasks(ir: PolicyTableIR, verdict: number, words: number): Int32Array {
  const K = ir.portClassCount;
  const rows = rowCount(ir);
  const out = new Int32Array(rows * words);
  const code = new Uint8Array(ir.outcomes.length / 3);
  for (let o = 0; o < code.length; o++) code[o] = outcomeVerdict(ir, o) === verdict ? 1 : 0;
  for (let r = 0; r < rows; r++)
    for (let i = ir.rowStart[r]!; i < ir.rowStart[r + 1]!; i++) {
      if (code[ir.runOutcome[i]!] !== 1) continue;
      const end = i + 1 < ir.rowStart[r + 1]! ? ir.runClass[i + 1]! : K;
      setBits(out, r * words, ir.runClass[i]!, end);
    }
  return out;
}

/** Bits `from … to − 1` of the mask at `base` set: whole words at once, the two ends bit by bit. */
function setBits(out: Int32Array, base: number, from: number, to: number): void {
  let k = from;
  while (k < to && (k & 31) !== 0) {
    out[base + (k >>> 5)]! |= 1 << (k & 31);
    k++;
  }
  for (; k + 32 <= to; k += 32) out[base + (k >>> 5)] = -1;
  for (; k < to; k++) out[base + (k >>> 5)]! |= 1 << (k & 31);
}

/** The direction table: 0 egress, 1 ingress. */
export function directionOf(ir: PolicyTableIR, direction: number): IRDirection {
  return direction === EGRESS ? ir.egress : ir.ingress;
}

/** The global row of group `g` towards endpoint `peer` in variant `v`, −1 when the peer has no address of `v`. */
export function globalRow(ir: PolicyTableIR, dir: IRDirection, g: number, peer: number, v: number): number {
  const c = dir.globalClass[v * ir.kind.length + peer]!;
  return c < 0 ? -1 : blockRow(dir, g, c);
}

/** The row of group `g`'s global block at global class `c` (dense or sparse block). */
export function blockRow(dir: IRDirection, g: number, c: number): number {
  const base = dir.globalBase[g]!;
  if (base >= 0) return dir.globalCells[base + c]!;
  const s = -1 - base;
  let lo = dir.sparseStart[s]!;
  let hi = dir.sparseStart[s + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = dir.sparseClass[mid]!;
    if (x === c) return dir.sparseRow[mid]!;
    if (x < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return dir.sparseDefault[s]!;
}

/**
 * Every row of group `g`'s global block, class by class, into `out[at … at + globalClassCount)`:
 * `blockRow(dir, g, c)` for each class c, at the cost of the block's own entries (a sparse block
 * is its default, then its listed classes) rather than a search per class.
 */
export function blockRowsInto(dir: IRDirection, g: number, out: Int32Array, at: number): void {
  const C = dir.globalClassCount;
  const base = dir.globalBase[g]!;
  if (base >= 0) {
    out.set(dir.globalCells.subarray(base, base + C), at);
    return;
  }
  const s = -1 - base;
  out.fill(dir.sparseDefault[s]!, at, at + C);
  for (let i = dir.sparseStart[s]!; i < dir.sparseStart[s + 1]!; i++)
    out[at + dir.sparseClass[i]!] = dir.sparseRow[i]!;
}

/** The local row of group `g` towards pod `peer` of the group's namespace (row 0 when no local rule reaches it). */
export function localRow(dir: IRDirection, g: number, peer: number): number {
  const l = dir.localClass[peer]!;
  return l < 0 ? 0 : dir.localCells[dir.localBase[g]! + l]!;
}

/** The local outcome of group `g` towards `peer` at port class `k`: `OUTCOME_OPEN` unless the two share a namespace. */
export function localOutcome(
  ir: PolicyTableIR,
  dir: IRDirection,
  g: number,
  subject: number,
  peer: number,
  k: number,
): number {
  const same = ir.kind[peer] === KIND_POD && ir.namespace[peer] === ir.namespace[subject];
  return same ? rowOutcome(ir, localRow(dir, g, peer), k) : OUTCOME_OPEN;
}

/** Rule at group-relative `ordinal` (≥ 1) of group `g`. */
export function groupRule(
  dir: IRDirection,
  g: number,
  ordinal: number,
): { readonly id: number; readonly rule: IRRule } {
  const id = dir.groupRules[g]![ordinal - 1]!;
  return { id, rule: dir.rules[id - 1]! };
}

/** Whether `peer` is an address of pod `subject`'s node. */
export function isOwnNode(ir: PolicyTableIR, subject: number, peer: number): boolean {
  return ir.kind[peer] !== KIND_POD && ir.node[peer]! >= 0 && ir.node[peer] === ir.node[subject];
}

/**
 * The variant of a flow between two endpoints when no IP fixes it (docs/decisions.md #5-#8): the
 * destination pod's primary; the source's when the destination has no address or the source is an
 * address endpoint. The flow is `unknown` when either endpoint lacks an address of it.
 */
export function preferredVariant(ir: PolicyTableIR, src: number, dst: number): number {
  const primD = ir.primaryVariant[dst]!;
  return ir.kind[dst] === KIND_POD && (ir.kind[src] !== KIND_POD || primD === 2)
    ? ir.primaryVariant[src]!
    : primD;
}

/**
 * A flow's verdict code (0 deny, 1 allow, 2 unknown) from the IR alone, for endpoint indices and
 * a port class; `fixed` is the flow's variant when an IP endpoint fixes it, else 3 (the query's
 * rules: docs/architecture.md, "IR v3").
 */
export function readVerdict(ir: PolicyTableIR, src: number, dst: number, k: number, fixed: number): number {
  const v = fixed < 3 ? fixed : preferredVariant(ir, src, dst);
  if ((ir.variantMask[src]! & ir.variantMask[dst]! & (1 << v)) === 0) return 2;
  const egress = readDirection(ir, 0, src, dst, v, k).verdict;
  return egress === V_ALLOW && readDirection(ir, 1, dst, src, v, k).verdict === V_ALLOW ? 1 : 0;
}

/** How one direction of a flow was decided. */
export type DirectionStage = "not-a-pod" | "self" | "own-node" | "cells";

/** One direction's decision, with what the cells said. */
export interface DirectionReading {
  readonly verdict: typeof V_ALLOW | typeof V_DENY;
  readonly stage: DirectionStage;
  /** The subject's group (0 when not a selectable pod). */
  readonly group: number;
  /** The global outcome (`stage === "cells"`). */
  readonly outcome: number;
  /** When `outcome` is open: the same-namespace local outcome (`OUTCOME_OPEN` for a pair of two namespaces). */
  readonly local: number;
}

/**
 * The verdict rules, written once: one direction for subject `subject` (the source for egress,
 * the destination for ingress; a hostNetwork pod is an address endpoint: its node's addresses),
 * peer `peer`, variant `v`, port class `k`. A subject that is not a selectable pod allows; the
 * profile lets a pod reach itself and (ingress) be reached from its own node; else the global
 * cell's outcome — allow and deny final, open: allowed iff the pair shares a namespace and the
 * local cell allows (allow | (open & local)). `peerClass` ≥ 0 reads the peer as that global class
 * instead of its own (an address-less pod at one of its pod range's addresses: read-pod-range.ts).
 */
export function readDirection(
  ir: PolicyTableIR,
  direction: number,
  subject: number,
  peer: number,
  v: number,
  k: number,
  peerClass = -1,
): DirectionReading {
  const none = { group: 0, outcome: OUTCOME_OPEN, local: OUTCOME_OPEN };
  if (ir.kind[subject] !== KIND_POD) return { verdict: V_ALLOW, stage: "not-a-pod", ...none };
  const dir = directionOf(ir, direction);
  const g = dir.group[subject]!;
  // A workload's template stands for its replicas: its pair with itself is replica to replica.
  if (subject === peer && ir.profile.allowSelf && ir.endpointKinds[subject] === "Pod")
    return { verdict: V_ALLOW, stage: "self", ...none, group: g };
  if (direction !== EGRESS && ir.profile.allowFromOwnNode && isOwnNode(ir, subject, peer))
    return { verdict: V_ALLOW, stage: "own-node", ...none, group: g };
  const row = peerClass >= 0 ? blockRow(dir, g, peerClass) : globalRow(ir, dir, g, peer, v);
  const outcome = row < 0 ? OUTCOME_OPEN : rowOutcome(ir, row, k);
  const verdict = outcomeVerdict(ir, outcome);
  const local = verdict === V_OPEN ? localOutcome(ir, dir, g, subject, peer, k) : OUTCOME_OPEN;
  return {
    verdict:
      verdict === V_ALLOW || (verdict === V_OPEN && outcomeVerdict(ir, local) === V_ALLOW) ? V_ALLOW : V_DENY,
    stage: "cells",
    group: g,
    outcome,
    local,
  };
}

/**
 * Group `g`'s global block as the IR stores it — for views that copy blocks whole (the query's
 * hashed view): `classes` undefined for a dense block (`rows[c]` is class c's row), else a sparse
 * block whose classes `classes[i]` (ascending) have rows `rows[i]` and every other class
 * `defaultRow`. The arrays are views into the IR: read them, never write to them.
 */
export interface GlobalBlock {
  readonly defaultRow: number;
  readonly classes: Int32Array | undefined;
  readonly rows: Int32Array;
}

export function globalBlock(dir: IRDirection, g: number): GlobalBlock {
  const base = dir.globalBase[g]!;
  if (base >= 0)
    return {
      defaultRow: -1,
      classes: undefined,
      rows: dir.globalCells.subarray(base, base + dir.globalClassCount),
    };
  const s = -1 - base;
  const a = dir.sparseStart[s]!;
  const b = dir.sparseStart[s + 1]!;
  return {
    defaultRow: dir.sparseDefault[s]!,
    classes: dir.sparseClass.subarray(a, b),
    rows: dir.sparseRow.subarray(a, b),
  };
}

/** Port row `row` run by run, in class order: `f(first, end, outcome)` for the classes `first … end − 1`. */
export function forEachRun(
  ir: PolicyTableIR,
  row: number,
  f: (first: number, end: number, outcome: number) => void,
): void {
  const a = ir.rowStart[row]!;
  const b = ir.rowStart[row + 1]!;
  for (let i = a; i < b; i++)
    f(ir.runClass[i]!, i + 1 < b ? ir.runClass[i + 1]! : ir.portClassCount, ir.runOutcome[i]!);
}
