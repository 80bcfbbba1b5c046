// The trie of matching-rule sets that global-fill.ts refines a block's peer classes into.

const grown = (a: Int32Array, size: number): Int32Array => {
  const b = new Int32Array(size);
  b.set(a);
  return b;
};

/**
 * Sets of rules, hash-consed as a trie: node n is {rule[n]} ∪ the set of parent[n]; node 0 is the
 * empty set. A set's rules enter in the order a block refines by, so each node's path lists them
 * in that order. `root()` starts a fresh subtree: the cluster-policy rules of one set of them get
 * nodes of their own, so that a node there stands for the same rules at the same ordinals in every
 * block of that set, and its row can be kept (`keptRow`).
 */
export class RuleTrie {
  parent: Int32Array = new Int32Array(1024);
  /** The rule id that made the node (0: a root). */
  rule: Int32Array = new Int32Array(1024);
  /** 1: made by a cluster rule under a root (its row depends on the block only through isolated, vector). */
  cluster: Uint8Array = new Uint8Array(1024);
  /** 1: some rule of the set has named ports (its row depends on the destination's named-port vector). */
  named: Uint8Array = new Uint8Array(1024);
  /** Per-step shortcut: the child made (or found) at rule step `childStep[n]` is `childId[n]`. */
  childStep: Int32Array = new Int32Array(1024);
  childId: Int32Array = new Int32Array(1024);
  /** The row of node n for vector `rowVector[n]`, valid while `rowBlock[n]` is the block's serial. */
  rowBlock: Int32Array = new Int32Array(1024);
  rowVector: Int32Array = new Int32Array(1024);
  row: Int32Array = new Int32Array(1024);
  /** Rows kept across blocks for cluster nodes, at 2n + isolated: vector + 2 (vectors are ≥ −1; 0: none; 1: the row holds for every vector), row. */
  keptVector: Int32Array = new Int32Array(2048);
  keptRow: Int32Array = new Int32Array(2048);
  size: number = 1;
  readonly #children = new Map<number, number>();
  readonly #stride: number;

  constructor(rules: number) {
    this.#stride = rules + 1;
  }

  /** A new root (an empty set of its own). */
  root(): number {
    return this.#make(0, 0, 0);
  }

  /** Node n's child by rule `r` at rule step `step`; `cluster` marks nodes made under a root, `named` a rule with named ports. */
  child(n: number, r: number, step: number, cluster: number, named: number): number {
    if (this.childStep[n] === step) return this.childId[n]!;
    const key = n * this.#stride + r;
    let m = this.#children.get(key);
    if (m === undefined) {
      m = this.#make(n, r, cluster);
      this.named[m] = this.named[n]! | named;
      this.#children.set(key, m);
    }
    this.childStep[n] = step;
    this.childId[n] = m;
    return m;
  }

  #make(parent: number, rule: number, cluster: number): number {
    const m = this.size++;
    if (m === this.parent.length) this.#grow(2 * m);
    this.parent[m] = parent;
    this.rule[m] = rule;
    this.cluster[m] = cluster;
    this.named[m] = 0;
    return m;
  }

  #grow(size: number): void {
    this.parent = grown(this.parent, size);
    this.rule = grown(this.rule, size);
    const c = new Uint8Array(size);
    c.set(this.cluster);
    this.cluster = c;
    const d = new Uint8Array(size);
    d.set(this.named);
    this.named = d;
    this.childStep = grown(this.childStep, size);
    this.childId = grown(this.childId, size);
    this.rowBlock = grown(this.rowBlock, size);
    this.rowVector = grown(this.rowVector, size);
    this.row = grown(this.row, size);
    this.keptVector = grown(this.keptVector, 2 * size);
    this.keptRow = grown(this.keptRow, 2 * size);
  }
}
