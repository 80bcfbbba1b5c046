// One map's entries as they are written: each entry goes straight into the bpftool batch's bytes
// (`map update name M key hex … value hex …`, one line an entry) and the maps JSON's bytes (the
// entry as a JSON object, one a line), through `ByteText`. A 10k-pod cluster has ~3·10⁴ entries:
// built as objects of strings and encoded twice at the end, they cost more than the contents.
import { ByteText } from "../shared/byte-text.ts";
import type { MapName } from "./layout.ts";

/**
 * An entry is written in three steps, in order: `key()` (the key bytes follow), `value()` (the
 * value bytes follow), `data()` (the entry as a JSON object follows, braces included).
 */
export class MapEntries {
  /** Entries begun so far. */
  size = 0;
  readonly #batch = new ByteText(4096);
  readonly #json = new ByteText(4096);
  readonly #update: string;

  constructor(readonly name: MapName) {
    this.#update = `map update name ${name} key hex `;
  }

  /** Begin an entry: write its key bytes (hex text) to the writer returned. */
  key(): ByteText {
    this.size++;
    return this.#batch.str(this.#update);
  }

  /** Write its value bytes to the writer returned. */
  value(): ByteText {
    return this.#batch.str(" value hex ");
  }

  /** End its bytes; write the entry as one JSON object to the writer returned. */
  data(): ByteText {
    this.#batch.nl();
    return this.#json.str(this.size > 1 ? ",\n        " : "        ");
  }

  /** Bytes of the batch lines and of the JSON lines. */
  get batchBytes(): number {
    return this.#batch.length;
  }
  get jsonBytes(): number {
    return this.#json.length + 1;
  }

  /** Append the batch lines (each with its newline) to `out`. */
  writeBatch(out: ByteText): void {
    out.append(this.#batch);
  }

  /** Append the JSON entry lines (indented, comma-separated, each with its newline) to `out`. */
  writeJSON(out: ByteText): void {
    if (this.size > 0) out.append(this.#json).nl();
  }
}

/** A JSON number or null (as `ByteText` writes it). */
export function decOrNull(w: ByteText, n: number | null): ByteText {
  return n === null ? w.str("null") : w.dec(n);
}
