// Rendered text made of many short strings (rule lines: a chain name, a match, a set name…),
// written as it goes. Each piece is appended to a short rope that is encoded into byte chunks
// once it passes a few kilobytes, and the bytes are decoded once at the end: the pieces die young
// (a rope of 10⁵ lines held to the end survived every young-generation collection), and the
// engine copies a rope's leaves natively — character loops over strings of mixed
// representations (literals, concatenations, slices) cost twice as much.

import { decodeChunks } from "./byte-text.ts";

const encoder = new TextEncoder();

/** Characters held as a rope before they are encoded. */
const FLUSH = 4096;
/** Bytes per chunk (a rope of FLUSH characters is at most 3 × FLUSH bytes). */
const CHUNK = 1 << 16;

export class TextWriter {
  /** Full chunks, each cut to the bytes written in it. */
  readonly #full: Uint8Array[] = [];
  #buf: Uint8Array;
  #n = 0;
  #before = 0;
  #pending = "";

  /** `capacity`: the bytes expected (the first chunk's size; more are added as needed). */
  constructor(capacity: number = CHUNK) {
    this.#buf = new Uint8Array(Math.max(CHUNK, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    this.#flush(true);
    return this.#before + this.#n;
  }

  /** Text as it is. */
  str(s: string): this {
    this.#pending += s;
    if (this.#pending.length >= FLUSH) this.#flush(false);
    return this;
  }

  /** One newline. */
  nl(): this {
    return this.str("\n");
  }

  /** One space. */
  sp(): this {
    return this.str(" ");
  }

  /** The text `other` holds, appended (`other` is left as it is). */
  append(other: TextWriter): this {
    this.#flush(true);
    other.#flush(true);
    // Taken first: appending a writer to itself must copy what it held, not what it is writing.
    const chunks = [...other.#full, other.#buf.subarray(0, other.#n)];
    for (const chunk of chunks) {
      if (this.#n + chunk.length > this.#buf.length) this.#next(chunk.length);
      this.#buf.set(chunk, this.#n);
      this.#n += chunk.length;
    }
    return this;
  }

  /** Everything written, as a string. */
  text(): string {
    this.#flush(true);
    return decodeChunks([...this.#full, this.#buf.subarray(0, this.#n)]);
  }

  /**
   * Encode the rope. Not `final`: a high surrogate at its end waits for the next piece (its pair
   * may come in it; encoded alone, each half would be a U+FFFD).
   */
  #flush(final: boolean): void {
    let s = this.#pending;
    if (s === "") return;
    this.#pending = "";
    if (!final) {
      const last = s.charCodeAt(s.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.#pending = s.slice(-1);
        s = s.slice(0, -1);
      }
    }
    for (;;) {
      const { read, written } = encoder.encodeInto(s, this.#buf.subarray(this.#n));
      this.#n += written;
      if (read === s.length) return;
      s = s.slice(read); // the chunk is full (a character never spans two)
      this.#next(3 * s.length);
    }
  }

  /** A new current chunk with room for at least `k` bytes. */
  #next(k: number): void {
    this.#full.push(this.#buf.subarray(0, this.#n));
    this.#before += this.#n;
    this.#buf = new Uint8Array(Math.max(CHUNK, k));
    this.#n = 0;
  }
}
