// Same-namespace pairs of the reachability pass (bench/reachability.ts) with wide masks, folded:
// a direction's derived row of a pair (allow | (open & local)) depends on the peer only through its
// global class in the pair's variant and its local class — its *peer key* — so within a namespace
// each identity has one derived row per peer key and direction, and identities with the same
// variant class, peer keys and rows answer every pair alike. Those are one class; a pair of classes
// is read once and counted for all its identity pairs. Where a namespace has nearly as many peer
// keys as identities (nothing to fold) the caller reads pair by pair.
import { type IRDirection, type PolicyTableIR, VARIANTS } from "../src/ir/policy-table-ir.ts";
import type { Tally } from "./reach-cross.ts";
import type { VariantClasses } from "./reach-identities.ts";
import { type PairCode, pairAllows, pairSum } from "./reach-rows.ts";

export interface FoldInput {
  readonly ir: PolicyTableIR;
  /** Identities of the namespace: representative endpoint and member count (the pass's `ns`). */
  readonly rep: readonly number[];
  readonly count: readonly number[];
  /** Variant class per endpoint, and the flow's variant per pair of them. */
  readonly vc: VariantClasses;
  /** The derived row id of one direction of a same-namespace pair. */
  sameRow(dir: IRDirection, subject: number, peer: number, v: number): number;
  and(a: number, b: number): PairCode;
}

/** Namespaces of fewer identities are read pair by pair: their pairs cost less than finding classes. */
const MIN_FOLD = 64;

/** One namespace's pairs (`ids`: its identity ids) into `t`; false (nothing added) where folding would not pay. */
export function foldNamespace(input: FoldInput, ids: readonly number[], t: Tally): boolean {
  const { ir, rep } = input;
  const E = ir.kind.length;
  const n = ids.length;
  if (n < MIN_FOLD) return false;
  // Peer keys per direction: [variant, global class, local class] interned; per identity and variant its key.
  const peerKeys = (dir: IRDirection) => {
    const byKey = new Map<number, number>();
    const L = dir.localClass.length + 1;
    const keyRep: number[] = [];
    const keyVariant: number[] = [];
    const of = new Int32Array(n * VARIANTS);
    ids.forEach((id, i) => {
      const e = rep[id]!;
      for (let v = 0; v < VARIANTS; v++) {
        const key =
          (v * (dir.globalClassCount + 1) + dir.globalClass[v * E + e]! + 1) * L + dir.localClass[e]! + 1;
        let k = byKey.get(key);
        if (k === undefined) {
          byKey.set(key, (k = keyRep.length));
          keyRep.push(e);
          keyVariant.push(v);
        }
        of[i * VARIANTS + v] = k;
      }
    });
    return { keyRep, keyVariant, of };
  };
  const pe = peerKeys(ir.egress);
  const pi = peerKeys(ir.ingress);
  const K = pe.keyRep.length + pi.keyRep.length;
  if (K * 4 > n) return false;
  // Per identity: its rows towards every peer key (egress, then ingress), and its class.
  const rowsOf = new Int32Array(n * K);
  const byClass = new Map<string, number>();
  const classOf = new Int32Array(n);
  const classFirst: number[] = [];
  const classIds: number[] = [];
  const classSingles: number[] = [];
  ids.forEach((id, i) => {
    const e = rep[id]!;
    const at = i * K;
    pe.keyRep.forEach((p, k) => {
      rowsOf[at + k] = input.sameRow(ir.egress, e, p, pe.keyVariant[k]!);
    });
    pi.keyRep.forEach((p, k) => {
      rowsOf[at + pe.keyRep.length + k] = input.sameRow(ir.ingress, e, p, pi.keyVariant[k]!);
    });
    const key = [
      input.vc.of[e],
      ...pe.of.subarray(i * VARIANTS, (i + 1) * VARIANTS),
      ...pi.of.subarray(i * VARIANTS, (i + 1) * VARIANTS),
      ...rowsOf.subarray(at, at + K),
    ].join(",");
    let c = byClass.get(key);
    if (c === undefined) {
      byClass.set(key, (c = classFirst.length));
      classFirst.push(i);
      classIds.push(0);
      classSingles.push(0);
    }
    classOf[i] = c;
    classIds[c]!++;
    if (input.count[id] === 1) classSingles[c]!++;
  });
  const C = classFirst.length;
  for (let A = 0; A < C; A++)
    for (let B = 0; B < C; B++) {
      // Identity pairs: every (a, b), less an identity of one pod with itself (the pod with itself).
      const pairs = classIds[A]! * classIds[B]! - (A === B ? classSingles[A]! : 0);
      if (pairs === 0) continue;
      t.pairs += pairs;
      const a = classFirst[A]!;
      const b = classFirst[B]!;
      const { vc } = input;
      const v = vc.pairVariant[vc.of[rep[ids[a]!]!]! * vc.rep.length + vc.of[rep[ids[b]!]!]!]!;
      if (v < 0) continue;
      const er = rowsOf[a * K + pe.of[b * VARIANTS + v]!]!;
      const irow = rowsOf[b * K + pe.keyRep.length + pi.of[a * VARIANTS + v]!]!;
      const code = input.and(er, irow);
      t.allowed += pairs * pairAllows(code);
      t.checksum = (t.checksum + Math.imul(pairs, pairSum(code))) | 0;
    }
  return true;
}
