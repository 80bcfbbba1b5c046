import { ACTION_PASS, TIER_BASELINE, TIER_NETWORK_POLICY } from "../ir/policy-table-ir.ts";
import type { CollectedDirection, CollectedRule } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { PeerClasses } from "./peer-classes.ts";
import type { RowStore } from "./row-store.ts";
import { RuleTrie } from "./rule-trie.ts";

/** A growable Int32Array. */
export class IntBuffer {
  #data = new Int32Array(1024);
  #length = 0;
  /** Append `n` entries of `value` (0 by default); returns the offset of the first. */
  zeros(n: number, value = 0): number {
    const at = this.#length;
    if (at + n > this.#data.length) {
      const next = new Int32Array(Math.max(this.#data.length * 2, at + n));
      next.set(this.#data.subarray(0, at));
      this.#data = next;
    }
    this.#length += n;
    if (value !== 0) this.#data.fill(value, at, at + n);
    return at;
  }
  set(i: number, v: number): void {
    this.#data[i] = v;
  }
  get(i: number): number {
    return this.#data[i]!;
  }
  /** Set entries `from … to − 1` to `value`. */
  fill(value: number, from: number, to: number): void {
    this.#data.fill(value, from, to);
  }
  /** Append `xs[from … to)`; returns the offset of the first. */
  append(xs: IntBuffer, from: number, to: number): number {
    const at = this.zeros(to - from);
    this.#data.set(xs.#data.subarray(from, to), at);
    return at;
  }
  finish(): Int32Array {
    return this.#data.slice(0, this.#length);
  }
}

/** Whether ascending `a` shares an element with signature `sig` of `sigs` (ascending too). */
export function intersects(a: readonly number[], sigs: IntSeqInterner, sig: number): boolean {
  const n = sigs.length(sig);
  let i = 0;
  let j = 0;
  while (i < a.length && j < n) {
    const x = a[i]!;
    const y = sigs.at(sig, j);
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

/** Cached refinements by the cluster-policy rules alone stop past this many stored class nodes. */
const SNAPSHOT_BUDGET = 1 << 24;

/**
 * The filler of a global row block: for each class, the rules matching it (a rule matches a class
 * when it matches every peer or one of its global peers matches the class), described to the row
 * store in evaluation order. Classes no rule matches keep what the block was filled with.
 *
 * Classes are refined rule by rule (partition refinement): each class points at a node of the
 * trie of matching-rule sets, and a rule moves the classes it matches to the child of their node
 * — O(Σ classes per rule), with no per-class key. Admin and baseline rules are refined first and
 * that refinement is kept per set of cluster rules: groups differ mostly in their NetworkPolicies,
 * and the cluster rules' broad peers are nearly all of the work. Equal nodes share one row; across
 * blocks, equal walks (isolated, the named vector where it matters, the (ordinal, rule) pairs the
 * walk reaches) share one row through a memo, so the row store sees each walk once.
 */
export function createGlobalFill(
  peers: PeerClasses,
  collected: CollectedDirection,
  rows: RowStore,
  addRule: (ordinal: number, r: number, vector: number) => void,
  cells: IntBuffer,
  egress: boolean,
): (base: number, ruleIds: readonly number[], vector: number, isolated: boolean) => void {
  const C = peers.classCount;
  const node = new Int32Array(C); // per class: its trie node in this block (0: untouched)
  const moved = new Int32Array(C); // per class: the last rule step that moved it
  const touched = new Int32Array(C);
  let touchedCount = 0;
  const trie = new RuleTrie(collected.rules.length);
  const ordinalOf = new Int32Array(collected.rules.length + 1); // this block's ordinal of a rule id
  const snapshotKeys = new IntSeqInterner();
  const snapshots: ({ node: Int32Array; touched: Int32Array } | null)[] = [];
  let snapshotInts = 0;
  const memo = new IntSeqInterner();
  const memoRow: number[] = [];
  // Scratch of rowOf: a walk has at most one entry per rule of the block.
  let clusterPath = new Int32Array(64);
  let npPath = new Int32Array(64);
  let kept = new Int32Array(64);
  const clusterRules: number[] = [];
  const npRules: number[] = [];
  // Module constants read through locals: imported bindings cost a load (and under tsx a getter) per use.
  const PASS = ACTION_PASS;
  const BASELINE = TIER_BASELINE;
  const NETWORK_POLICY = TIER_NETWORK_POLICY;
  const rule = (id: number): CollectedRule => collected.rules[id - 1]!;
  let step = 0;
  let serial = 0;
  let blockRules: readonly number[] = [];
  let lastNamed = false; // whether the last walk rowOf made reached a rule with named ports

  /** Move the classes rule `r` matches to their node's child by `r` (from `root` when untouched). */
  const refine = (r: number, root: number): void => {
    const cr = rule(r);
    const cluster = root === 0 ? 0 : 1;
    const named = cr.hasNamedPorts ? 1 : 0;
    step++;
    if (cr.allPeers) {
      for (let c = 0; c < C; c++) {
        if (node[c] === 0) touched[touchedCount++] = c;
        node[c] = trie.child(node[c]! || root, r, step, cluster, named);
      }
      return;
    }
    for (const p of cr.globalPeers)
      for (const c of peers.classesOfPeer[p]!) {
        if (moved[c] === step) continue;
        moved[c] = step;
        if (node[c] === 0) touched[touchedCount++] = c;
        node[c] = trie.child(node[c]! || root, r, step, cluster, named);
      }
  };

  /** Refine by the block's cluster rules, from the kept refinement of the same set when there is one. */
  const refineCluster = (): void => {
    if (clusterRules.length === 0) return;
    for (const r of clusterRules) snapshotKeys.push(r);
    const key = snapshotKeys.commit();
    const snap = snapshots[key];
    if (snap !== undefined && snap !== null) {
      node.set(snap.node);
      touched.set(snap.touched);
      touchedCount = snap.touched.length;
      return;
    }
    // Past the budget (snap null) the set refines again each time under a new root: slower, same rows.
    const root = trie.root();
    for (const r of clusterRules) refine(r, root);
    if (snap === null) return;
    const keep = snapshotInts + C + touchedCount <= SNAPSHOT_BUDGET;
    if (keep) snapshotInts += C + touchedCount;
    snapshots[key] = keep ? { node: node.slice(), touched: touched.slice(0, touchedCount) } : null;
  };

  /** The row of trie node `n` for named vector `vector`: the walk over its rules, memoised. */
  const rowOf = (n: number, vector: number, isolated: boolean): number => {
    // The path lists NetworkPolicy rules, then cluster rules, each last-refined first: both
    // descending by ordinal. Merged ascending: the evaluation order.
    let i = 0;
    let j = 0;
    for (let m = n; trie.rule[m] !== 0; m = trie.parent[m]!) {
      const o = ordinalOf[trie.rule[m]!]!;
      if (trie.cluster[m] === 1) clusterPath[i++] = o;
      else npPath[j++] = o;
    }
    i--;
    j--;
    let keptCount = 0;
    let named = false;
    let skipTier = -1;
    let passTier = -1;
    // Only rules the walk can reach: an all-ports Accept/Deny (or NetworkPolicy allow) ends it,
    // an all-ports Pass ends its tier, and an isolated subject never reaches the baseline tier.
    // (Ports an earlier Pass of the tier passed still go on to the next tiers.)
    while (i >= 0 || j >= 0) {
      const o = j < 0 || (i >= 0 && clusterPath[i]! < npPath[j]!) ? clusterPath[i--]! : npPath[j--]!;
      const cr = collected.rules[blockRules[o - 1]! - 1]!;
      if (cr.tier === skipTier || (isolated && cr.tier === BASELINE)) continue;
      kept[keptCount++] = o;
      if (cr.hasNamedPorts) named = true;
      if (cr.ports !== undefined) {
        if (cr.action === PASS) passTier = cr.tier;
        continue;
      }
      if (cr.action !== PASS && passTier !== cr.tier) break;
      skipTier = cr.tier;
    }
    memo.push(isolated ? 1 : 0);
    memo.push(named ? vector : -1); // vector −1: no rule of the walk names a port
    for (let k = 0; k < keptCount; k++) {
      memo.push(kept[k]!);
      memo.push(blockRules[kept[k]! - 1]!);
    }
    lastNamed = named;
    const key = memo.commit();
    if (key < memoRow.length) return memoRow[key]!;
    rows.begin(isolated);
    for (let k = 0; k < keptCount; k++) addRule(kept[k]!, blockRules[kept[k]! - 1]!, vector);
    const id = rows.end();
    memoRow.push(id);
    return id;
  };

  /** The row of class c's node n in this block: kept across blocks for cluster nodes, else per block. */
  const cellRow = (n: number, classVector: number, isolated: boolean): number => {
    const vector = trie.named[n] === 1 ? classVector : -1;
    if (trie.cluster[n] === 1) {
      // A cluster node's rules have the same ordinals in every block of its set (admin rules come
      // first; baseline rules follow NetworkPolicy ones only for a subject none isolates, which
      // has none), so its row depends on the block only through isolated and the vector.
      const slot = 2 * n + (isolated ? 1 : 0);
      const kv = trie.keptVector[slot]!;
      if (kv !== 1 && kv !== vector + 2) {
        trie.keptRow[slot] = rowOf(n, vector, isolated);
        trie.keptVector[slot] = lastNamed ? vector + 2 : 1; // 1: the walk names no port, any vector
      }
      return trie.keptRow[slot]!;
    }
    if (trie.rowBlock[n] !== serial || trie.rowVector[n] !== vector) {
      trie.row[n] = rowOf(n, vector, isolated);
      trie.rowBlock[n] = serial;
      trie.rowVector[n] = vector;
    }
    return trie.row[n]!;
  };

  return (base, ruleIds, groupVector, isolated) => {
    serial++;
    blockRules = ruleIds;
    if (ruleIds.length > kept.length) {
      clusterPath = new Int32Array(ruleIds.length);
      npPath = new Int32Array(ruleIds.length);
      kept = new Int32Array(ruleIds.length);
    }
    clusterRules.length = 0;
    npRules.length = 0;
    for (let i = 0; i < ruleIds.length; i++) {
      const r = ruleIds[i]!;
      ordinalOf[r] = i + 1;
      (rule(r).tier === NETWORK_POLICY ? npRules : clusterRules).push(r);
    }
    touchedCount = 0;
    refineCluster();
    for (const r of npRules) refine(r, 0);
    for (let i = 0; i < touchedCount; i++) {
      const c = touched[i]!;
      const n = node[c]!;
      node[c] = 0;
      cells.set(base + c, cellRow(n, egress ? peers.classNamed[c]! : groupVector, isolated));
    }
  };
}
