// What the CLI reads from and writes to.
import type { Backend } from "../index.ts";

/** Where the CLI reads and writes; the real process in `main.ts`, buffers in tests. */
export interface CliEnv {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole of standard input (called at most once, only when an argument is `-`). */
  readStdin(): string;
  /** The backends `render --backend` knows by name (default: the built-in ones); tests add their own. */
  readonly backends?: Readonly<Record<string, Backend>>;
}
