// Text written as UTF-8 bytes into one growing buffer, decoded once at the end. For output that
// is mostly numbers and hex (the eBPF map entries: ~10⁵ fields per 10k pods), building it as
// strings made a rope node per piece and flattened them again; writing bytes makes no string
// until the end. Fields are written by value: decimal, hex bytes, little- and big-endian words.
// Bytes go into chunks (a new one when the current is full, so nothing is copied as the text
// grows; a character never spans two). Several writers' bytes can be appended to one sized for
// them all, whose text is then decoded once.

const HEX = new TextEncoder().encode("0123456789abcdef");
const SPACE = 0x20;
const NEWLINE = 0x0a;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true }); // a leading U+FEFF is text

/** The low byte of `v` as two hex digits at `buf[n]`, `buf[n + 1]`. */
function byte(buf: Uint8Array, n: number, v: number): void {
  buf[n] = HEX[(v >>> 4) & 15]!;
  buf[n + 1] = HEX[v & 15]!;
}

const CHUNK = 1 << 16;

/** Chunks of UTF-8 (no character split between two), decoded as one text. */
export function decodeChunks(chunks: readonly Uint8Array[]): string {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  let length = 0;
  for (const c of chunks) length += c.length;
  const all = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return decoder.decode(all);
}

export class ByteText {
  /** Full chunks, each cut to the bytes written in it. */
  readonly #full: Uint8Array[] = [];
  #buf: Uint8Array;
  #n = 0;
  /** Bytes in `#full`. */
  #before = 0;

  /** `capacity`: the bytes expected (the first chunk's size; more are added as needed). */
  constructor(capacity: number = CHUNK) {
    this.#buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#before + this.#n;
  }

  /** Text as it is (ASCII copied directly, anything else encoded as UTF-8). */
  str(s: string): this {
    const len = s.length;
    const buf = this.#room(len);
    let n = this.#n;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return this.#utf8(s);
      buf[n++] = c;
    }
    this.#n = n;
    return this;
  }

  /** A JSON string literal of `s`. */
  json(s: string): this {
    return this.str(JSON.stringify(s));
  }

  /** A number in decimal, as a template literal writes it (non-negative integers without a string). */
  dec(v: number): this {
    if (v < 0) return this.str(`${v}`);
    if (v < 10 && Number.isInteger(v)) {
      this.#room(1)[this.#n++] = 0x30 + v;
      return this;
    }
    if (!(v <= 0xffffffff && Number.isInteger(v))) return this.str(`${v}`); // as a template writes it
    let digits = 2;
    for (let x = v; x >= 100; x = Math.floor(x / 10)) digits++;
    const buf = this.#room(digits);
    let n = this.#n + digits;
    this.#n = n;
    for (let x = v; x > 0; x = Math.floor(x / 10)) buf[--n] = 0x30 + (x % 10);
    return this;
  }

  /** One space. */
  sp(): this {
    this.#room(1)[this.#n++] = SPACE;
    return this;
  }

  /** One newline. */
  nl(): this {
    this.#room(1)[this.#n++] = NEWLINE;
    return this;
  }

  /** One byte as two hex digits. */
  hex8(v: number): this {
    byte(this.#room(2), this.#n, v);
    this.#n += 2;
    return this;
  }

  /** A u32 as 4 hex bytes, least significant first (`01 00 00 00`). */
  le32(v: number): this {
    return this.#bytes4(v, v >>> 8, v >>> 16, v >>> 24);
  }

  /** A u32 as 4 hex bytes, most significant first (`0a 00 00 01`). */
  be32(v: number): this {
    return this.#bytes4(v >>> 24, v >>> 16, v >>> 8, v);
  }

  /** A u16 as 2 hex bytes, most significant first. */
  be16(v: number): this {
    const buf = this.#room(5);
    const n = this.#n;
    byte(buf, n, v >>> 8);
    buf[n + 2] = SPACE;
    byte(buf, n + 3, v);
    this.#n = n + 5;
    return this;
  }

  /** The bytes `other` holds, appended (`other` is left as it is). */
  append(other: ByteText): this {
    // Taken first: appending a writer to itself must copy what it held, not what it is writing.
    const chunks = [...other.#full, other.#buf.subarray(0, other.#n)];
    for (const chunk of chunks) this.#bytes(chunk);
    return this;
  }

  /** Everything written, as a string. */
  text(): string {
    return decodeChunks([...this.#full, this.#buf.subarray(0, this.#n)]);
  }

  #bytes(bytes: Uint8Array): this {
    this.#room(bytes.length).set(bytes, this.#n);
    this.#n += bytes.length;
    return this;
  }

  /** Four bytes (the low byte of each) as hex, space-separated, in one write. */
  #bytes4(a: number, b: number, c: number, d: number): this {
    const buf = this.#room(11);
    const n = this.#n;
    byte(buf, n, a);
    buf[n + 2] = SPACE;
    byte(buf, n + 3, b);
    buf[n + 5] = SPACE;
    byte(buf, n + 6, c);
    buf[n + 8] = SPACE;
    byte(buf, n + 9, d);
    this.#n = n + 11;
    return this;
  }

  #utf8(s: string): this {
    return this.#bytes(encoder.encode(s));
  }

  /** The current chunk, with room for `k` more bytes (a new one if it has not). */
  #room(k: number): Uint8Array {
    if (this.#n + k <= this.#buf.length) return this.#buf;
    this.#full.push(this.#buf.subarray(0, this.#n));
    this.#before += this.#n;
    this.#buf = new Uint8Array(Math.max(CHUNK, k));
    this.#n = 0;
    return this.#buf;
  }
}
