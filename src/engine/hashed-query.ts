import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { HashedParts } from "./pack-hashed.ts";

/**
 * The query over the hashed view (pack-hashed.ts has the layout; record offsets are literals
 * here, as in `PolicyTable.query`): per direction the subject's block descriptor and the peer's
 * class from the two records, PROBES (4) slot pairs selected without a branch, the row's
 * header and one mask word (usually one cache line: row-windows.ts). Same-namespace pairs of folded namespaces read the derived row
 * instead of the block's (selected arithmetically: whether a pair shares a namespace is data, and
 * a branch on it mispredicts). `PolicyTable` checks the indices before it calls `query`.
 */
export class HashedQuery {
  declare private readonly rec: Int32Array;
  declare private readonly variantBase: Int32Array;
  declare private readonly slots: Int32Array;
  declare private readonly words: Int32Array;
  declare private readonly sn: Int32Array;
  declare private readonly selfBit: number;
  declare private readonly ownNode: number;

  constructor(ir: PolicyTableIR, parts: HashedParts) {
    this.rec = parts.records;
    this.variantBase = parts.variantBase;
    this.slots = parts.slots;
    this.words = parts.words;
    this.sn = parts.sn;
    this.selfBit = ir.profile.allowSelf ? 1 : 0;
    this.ownNode = ir.profile.allowFromOwnNode ? 1 : 0;
  }

  /** The verdict code for valid indices; `fixed` the flow's variant when an IP fixes it, else 3. */
  query(src: number, dst: number, k: number, fixed: number): number {
    const m = this.rec;
    const s = src << 4;
    const d = dst << 4;
    const hs = m[s]!;
    const hd = m[d]!;
    if (src === dst && ((hs >>> 8) & this.selfBit) === 1) return 1; // ALLOW: a pod reaching itself
    if ((((hs ^ hd) & 6) | ((hs | hd) & 128)) !== 0 || (fixed < 3 && fixed !== ((hd >> 1) & 3)))
      return this.mixed(src, dst, k, fixed);
    return this.decideAt(s, d, hs, hd, k);
  }

  /** Endpoints of different primary families, or a flow given a family (as `PolicyTable.mixedQuery`). */
  private mixed(src: number, dst: number, k: number, fixed: number): number {
    const m = this.rec;
    const hs = m[src << 4]!;
    const hd = m[dst << 4]!;
    const primD = (hd >> 1) & 3;
    const v = fixed < 3 ? fixed : (hd & 1) === 1 && ((hs & 1) === 0 || primD === 2) ? (hs >> 1) & 3 : primD;
    if ((hs & hd & (8 << v)) === 0) return 2; // UNKNOWN: an endpoint without an address of the family
    const base = this.variantBase[v]!;
    return this.decideAt((src << 4) + base, (dst << 4) + base, hs, hd, k);
  }

  private decideAt(s: number, d: number, hs: number, hd: number, k: number): number {
    const m = this.rec;
    const same = ((m[s + 1]! ^ m[d + 1]!) - 1) >>> 31;
    if ((same & (hs >> 6)) === 1) return this.splitQuery(s, d, k);
    const sel = 0 - same; // −1: the pair shares a namespace, read the same-namespace row
    const sn = this.sn;
    const eg = this.probe(s + 2, m[d + 10]!);
    const egRow = eg ^ ((eg ^ sn[(m[s + 12]! + m[d + 13]!) & sel]!) & sel);
    const ig = this.probe(d + 6, m[s + 11]!);
    const igRow = ig ^ ((ig ^ sn[(m[d + 14]! + m[s + 15]!) & sel]!) & sel);
    // Ingress from the destination pod's own node: an address source whose node key is the pod's.
    const ownNode = ((((hs ^ hd) >>> 9) - 1) >>> 31) & ~hs & hd & this.ownNode;
    return this.allowBit(egRow, k) & (this.allowBit(igRow, k) | ownNode) & 1;
  }

  /** The row of the block whose descriptor is at `rec[at …]` for class `c`: four slots, selected without a branch. */
  private probe(at: number, c: number): number {
    const m = this.rec;
    const t = this.slots;
    const s = m[at]! + ((Math.imul(c, m[at + 1]!) >>> m[at + 2]!) << 1);
    let r = m[at + 3]!;
    let x = t[s]! ^ c; // 0 where the slot holds c; −1 mask from ((x − 1) & ~x) >> 31
    r ^= (r ^ t[s + 1]!) & (((x - 1) & ~x) >> 31);
    x = t[s + 2]! ^ c;
    r ^= (r ^ t[s + 3]!) & (((x - 1) & ~x) >> 31);
    x = t[s + 4]! ^ c;
    r ^= (r ^ t[s + 5]!) & (((x - 1) & ~x) >> 31);
    x = t[s + 6]! ^ c;
    r ^= (r ^ t[s + 7]!) & (((x - 1) & ~x) >> 31);
    return r;
  }

  /** Index into `words` of row `r`'s (allow, open) pair for class `k`: the window's, else the default pair. */
  private pairAt(r: number, k: number): number {
    const w = this.words;
    const n = w[r + 1]!;
    // Int32 arithmetic only (a `>>> 0` clamp would leave the Smi range).
    const j = (k >>> 5) - w[r]!;
    const out = (j >> 31) | ((n - 1 - j) >> 31);
    return r + 2 + (((j & ~out) | (n & out)) << 1);
  }

  /**
   * 1 when row `r` allows class `k`, else 0. Masked here, not by the caller: a `>>>` result of 2³¹
   * or more returned from a call that is not inlined is a heap number — an allocation per query.
   */
  private allowBit(r: number, k: number): number {
    return (this.words[this.pairAt(r, k)]! >>> k) & 1;
  }

  /** Same-namespace pairs of a split namespace: allow | (open & local), per direction, from the block row and the local row. */
  private splitQuery(s: number, d: number, k: number): number {
    const m = this.rec;
    const w = this.words;
    const sn = this.sn;
    const eg = this.pairAt(this.probe(s + 2, m[d + 10]!), k);
    const egLocal = this.allowBit(sn[m[s + 12]! + m[d + 13]!]!, k);
    const ig = this.pairAt(this.probe(d + 6, m[s + 11]!), k);
    const igLocal = this.allowBit(sn[m[d + 14]! + m[s + 15]!]!, k);
    const egress = (w[eg]! >>> k) | ((w[eg + 1]! >>> k) & egLocal);
    const ingress = (w[ig]! >>> k) | ((w[ig + 1]! >>> k) & igLocal);
    return egress & ingress & 1; // two pods: never the node's address
  }
}
