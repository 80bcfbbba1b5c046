import { EGRESS, KIND_POD, type PolicyTableIR, V_ALLOW, V_OPEN } from "./policy-table-ir.ts";
import {
  directionOf,
  globalRow,
  isOwnNode,
  localRow,
  preferredVariant,
  rowVerdictMasks,
} from "./read-table.ts";

/**
 * The verdict rules of `read-table.ts` (`readVerdict`, `readDirection`) for every port class at
 * once, as 32-bit masks (bit k of word k >>> 5: port class k allowed) — for readers that want a
 * pair's whole answer (the connectivity list), not one port's. Same rules, same order: the
 * connlist property test checks them against `decideIndex` port by port.
 */
export interface PortMasks {
  readonly words: number;
  /** Per row, `words` words: the classes whose outcome allows. */
  readonly allow: Int32Array;
  /** Per row: the classes whose outcome is open (a same-namespace local rule may still allow). */
  readonly open: Int32Array;
  /** Every class. */
  readonly all: Int32Array;
}

export function portMasks(ir: PolicyTableIR): PortMasks {
  const K = ir.portClassCount;
  const words = (K + 31) >>> 5;
  const all = new Int32Array(words);
  for (let k = 0; k < K; k++) all[k >>> 5]! |= 1 << (k & 31);
  return { words, allow: rowVerdictMasks(ir, V_ALLOW, words), open: rowVerdictMasks(ir, V_OPEN, words), all };
}

/**
 * The variant of a flow between two endpoints that no IP fixes (docs/decisions.md #5-#8: the
 * destination pod's primary, the source's when the destination has none or the source is an
 * address), −1 when one of them has no address of it (`unknown`).
 */
export function flowVariant(ir: PolicyTableIR, src: number, dst: number): number {
  const v = preferredVariant(ir, src, dst);
  return (ir.variantMask[src]! & ir.variantMask[dst]! & (1 << v)) === 0 ? -1 : v;
}

/**
 * One direction's allowed classes into `out`: `subject` (source for egress, destination for
 * ingress) towards `peer` in variant `v`. `self` and `same` say whether the pair is one endpoint
 * and whether it shares a namespace — given by the caller, so that two endpoints of one identity
 * can stand for a pair of others (the list reads a pair through its identities' first members).
 */
export function directionMaskInto(
  ir: PolicyTableIR,
  m: PortMasks,
  direction: number,
  subject: number,
  peer: number,
  v: number,
  self: boolean,
  same: boolean,
  out: Int32Array,
): void {
  const W = m.words;
  const free =
    ir.kind[subject] !== KIND_POD ||
    (self && ir.profile.allowSelf && ir.endpointKinds[subject] === "Pod") ||
    (direction !== EGRESS && ir.profile.allowFromOwnNode && isOwnNode(ir, subject, peer));
  if (free) {
    out.set(m.all);
    return;
  }
  const dir = directionOf(ir, direction);
  const g = dir.group[subject]!;
  const row = globalRow(ir, dir, g, peer, v);
  if (row < 0) {
    // No global row: open everywhere (readDirection's OUTCOME_OPEN), so only a local rule allows.
    const local = same && ir.kind[peer] === KIND_POD ? localRow(dir, g, peer) * W : -1;
    for (let w = 0; w < W; w++) out[w] = local < 0 ? 0 : m.allow[local + w]!;
    return;
  }
  const base = row * W;
  let open = 0;
  for (let w = 0; w < W; w++) open |= m.open[base + w]!;
  const local = open !== 0 && same && ir.kind[peer] === KIND_POD ? localRow(dir, g, peer) * W : -1;
  for (let w = 0; w < W; w++)
    out[w] = m.allow[base + w]! | (local < 0 ? 0 : m.open[base + w]! & m.allow[local + w]!);
}

/** `crossRows`' answer for a direction that allows everything (its subject is not a selectable pod). */
export const FREE_ROW = -2;

/**
 * The two rows that decide a pair sharing no namespace, in variant `v`, when the own-node rule
 * cannot apply (the source is no node's address, `readsNode`): `out[0]` the egress row of `src`
 * towards `dst`, `out[1]` the ingress row of `dst` towards `src`; `FREE_ROW` for a subject that
 * is not a pod, −1 for a peer without a class in `v` (open: nothing allowed, no local rule can
 * apply across namespaces). The pair allows `allow[out[0]] & allow[out[1]]` — what
 * `directionMaskInto` gives with `same` and `self` false, read as two row ids so that callers
 * can memoise by rows.
 */
export function crossRows(ir: PolicyTableIR, src: number, dst: number, v: number, out: Int32Array): void {
  out[0] = ir.kind[src] !== KIND_POD ? FREE_ROW : globalRow(ir, ir.egress, ir.egress.group[src]!, dst, v);
  out[1] = ir.kind[dst] !== KIND_POD ? FREE_ROW : globalRow(ir, ir.ingress, ir.ingress.group[dst]!, src, v);
}
