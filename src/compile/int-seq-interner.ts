/**
 * Hash-consing of integer sequences: equal sequences get the same dense id, ids in order of first
 * appearance (so numbering stays a deterministic function of the input order).
 *
 * This replaces `Map<string, number>` keyed by `ids.join(",")`: the compiler interns a few hundred
 * thousand short id lists per compile, and building, hashing and keeping those strings alive was
 * most of its time and garbage. Here a sequence is written straight into the backing store; if it
 * is already known the write is simply dropped, so interning allocates nothing.
 *
 * Usage: `push` the elements of one sequence, then `commit()` to get its id (the scratch is then
 * empty again); or `internList(xs)` for an existing array.
 */
export class IntSeqInterner {
  /** All distinct sequences, concatenated; the pending sequence follows the last one. */
  #data = new Int32Array(1024);
  /** `#start[id]` = offset of sequence `id` in `#data`; `#start[size]` = end of the stored ones. */
  #start = new Int32Array(64);
  #hash = new Int32Array(64);
  /** Open addressing, linear probing: id + 1, 0 = empty. Capacity is a power of two. */
  #table = new Int32Array(128);
  #size = 0;
  /** `#start[#size]`: where the pending sequence begins. */
  #end = 0;
  #pending = 0;

  /** Number of distinct sequences. */
  get size(): number {
    return this.#size;
  }

  /** Append one element to the pending sequence. */
  push(x: number): void {
    const at = this.#end + this.#pending;
    if (at >= this.#data.length) this.#growData(at + 1);
    this.#data[at] = x;
    this.#pending++;
  }

  /** Number of elements pushed since the last `commit`. */
  get pending(): number {
    return this.#pending;
  }

  /** Drop the pending sequence. */
  discard(): void {
    this.#pending = 0;
  }

  /** Intern the pending sequence; returns its id (`id === size - 1` afterwards means it was new). */
  commit(): number {
    const from = this.#end;
    const n = this.#pending;
    this.#pending = 0;
    const data = this.#data;
    let h = n ^ 0x2545f491;
    for (let i = from; i < from + n; i++) h = Math.imul(h ^ data[i]!, 0x9e3779b1) ^ (h >>> 15);
    h ^= h >>> 13;
    const table = this.#table;
    const mask = table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.#hash[id] !== h) continue;
      const s = this.#start[id]!;
      if (this.#start[id + 1]! - s !== n) continue;
      let i = 0;
      while (i < n && data[s + i] === data[from + i]) i++;
      if (i === n) return id;
    }
    // New: keep what was written, record it, and insert it into the table.
    const id = this.#size++;
    if (this.#size + 1 >= this.#start.length) {
      this.#start = grow(this.#start, this.#start.length * 2);
      this.#hash = grow(this.#hash, this.#start.length);
    }
    this.#start[this.#size] = from + n;
    this.#end = from + n;
    this.#hash[id] = h;
    if (this.#size * 2 > table.length) this.#rehash(table.length * 2);
    else this.#insert(id);
    return id;
  }

  /** Intern `xs[from … to)` (the whole list by default). Any pending elements come first. */
  internList(xs: ArrayLike<number>, from: number = 0, to: number = xs.length): number {
    for (let i = from; i < to; i++) this.push(xs[i]!);
    return this.commit();
  }

  /** Length of sequence `id`. */
  length(id: number): number {
    return this.#start[id + 1]! - this.#start[id]!;
  }

  /** Element `i` of sequence `id`. */
  at(id: number, i: number): number {
    return this.#data[this.#start[id]! + i]!;
  }

  /** Sequence `id` (from element `from` on) as a fresh plain array. */
  toArray(id: number, from = 0): number[] {
    const s = this.#start[id]! + from;
    const out = new Array<number>(Math.max(0, this.#start[id + 1]! - s));
    for (let i = 0; i < out.length; i++) out[i] = this.#data[s + i]!;
    return out;
  }

  /** All sequences concatenated, in id order (a copy). */
  concat(): Int32Array {
    return this.#data.slice(0, this.#end);
  }

  #insert(id: number): void {
    const table = this.#table;
    const mask = table.length - 1;
    let slot = this.#hash[id]! & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = id + 1;
  }

  #rehash(capacity: number): void {
    this.#table = new Int32Array(capacity);
    for (let id = 0; id < this.#size; id++) this.#insert(id);
  }

  #growData(min: number): void {
    this.#data = grow(this.#data, Math.max(min, this.#data.length * 2));
  }
}

/**
 * Sort `xs[0 … n)` ascending in place. Insertion sort: the compiler's lists (a rule's peers, a
 * pod's label pairs) have a handful of elements, where `Array.prototype.sort` costs a comparator
 * call per step and allocates a work array per call.
 */
export function sortSmall(xs: number[] | Int32Array, n: number = xs.length): void {
  for (let i = 1; i < n; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && xs[j]! > x) {
      xs[j + 1] = xs[j]!;
      j--;
    }
    xs[j + 1] = x;
  }
}

function grow(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(length);
  next.set(a);
  return next;
}
