// Rendered text, line by line. A big cluster's rules are 10⁵–10⁶ lines: held as separate strings
// until the end, each survives every young-generation collection and is copied by it, which cost
// the renderers more time than writing the text. `Lines` joins them into one string per chunk as
// it fills, so the output is a few hundred long strings instead.

/** Lines per chunk: big enough that chunks are few, small enough that a chunk's lines die young. */
const CHUNK = 2048;

export class Lines {
  readonly #chunks: string[] = [];
  #open: string[] = [];

  /** Append one line (without its newline). */
  push(line: string): void {
    const open = this.#open;
    open.push(line);
    if (open.length === CHUNK) this.#seal();
  }

  /**
   * Append a block of lines already joined (`a\nb`, no final newline): kept as it is, not joined
   * again with the lines around it (a set's 10⁴ members are one such block).
   */
  pushBlock(block: string): void {
    this.#seal();
    this.#chunks.push(`${block}\n`);
  }

  /** Append the lines of `other`, in order (`other` is left as it is). */
  pushLines(other: Lines): void {
    this.#seal();
    for (const c of other.#chunks) this.#chunks.push(c);
    if (other.#open.length > 0) this.#chunks.push(`${other.#open.join("\n")}\n`);
  }

  /** Every line, each followed by a newline. */
  text(): string {
    this.#seal();
    return this.#chunks.join("");
  }

  #seal(): void {
    if (this.#open.length === 0) return;
    this.#chunks.push(`${this.#open.join("\n")}\n`);
    this.#open = [];
  }
}
