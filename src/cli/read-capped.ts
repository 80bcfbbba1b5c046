// Reading a source with a cap, whatever it is: a regular file, a FIFO, standard input. A source
// that never ends (`/dev/zero` on stdin, `yes |`) is refused at the limit instead of filling memory
// (`netpol check /dev/zero` ran 87 s into 6.4 GB with readFileSync).
import { closeSync, fstatSync, openSync, readSync, type Stats } from "node:fs";
import type { InputIssue } from "../index.ts";

const CHUNK = 1024 * 1024;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * What a non-regular, non-directory file is, to name it in `not-a-file`; `undefined` for what can
 * be read (a regular file, a FIFO: a pipe, `<(…)`).
 */
export function unreadableKind(st: Stats): string | undefined {
  if (st.isFile() || st.isFIFO()) return undefined;
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isDirectory()) return "a directory";
  return "not a regular file";
}

/** The `not-a-file` issue for a source that is a device or socket (never opened, never read). */
export const notAFile = (name: string, kind: string): InputIssue => ({
  code: "not-a-file",
  file: name,
  message: `${kind}, not a regular file (manifests are read from files, directories, pipes or -)`,
});

const tooLarge = (name: string, limit: number): InputIssue => ({
  code: "too-large",
  file: name,
  message: `more than ${limit} bytes (reading stopped at the limit)`,
});

/** One read, retried while a non-blocking descriptor (stdin of some parents) has nothing yet. */
function readSome(fd: number, buffer: Uint8Array): number {
  for (;;)
    try {
      return readSync(fd, buffer, 0, buffer.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 5);
      else if (code === "EOF")
        return 0; // Windows pipes
      else throw e;
    }
}

/**
 * The bytes of an open descriptor, read in chunks until its end, or the `too-large` issue once
 * past `limit` bytes. Reading stops after the first NUL byte too: such a source is not text
 * whatever follows, and `decodeText` refuses what was read so far.
 */
export function readDescriptor(fd: number, name: string, limit: number): Uint8Array | InputIssue {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(Math.min(CHUNK, limit + 1 - total));
    const n = readSome(fd, chunk);
    if (n === 0) break;
    const nul = chunk.subarray(0, n).indexOf(0);
    chunks.push(chunk.subarray(0, nul === -1 ? n : nul + 1));
    total += n;
    if (nul !== -1) break;
    if (total > limit) return tooLarge(name, limit);
  }
  return Buffer.concat(chunks);
}

/**
 * The bytes of the file at `path`, capped: a regular file over `limit` is refused by its size
 * before reading, a FIFO is read up to the limit, a device or socket is refused unopened.
 */
export function readFileCapped(path: string, st: Stats, limit: number): Uint8Array | InputIssue {
  const kind = unreadableKind(st);
  if (kind !== undefined) return notAFile(path, kind);
  if (st.isFile() && st.size > limit)
    return { code: "too-large", file: path, message: `file is ${st.size} bytes; the limit is ${limit}` };
  const fd = openSync(path, "r");
  try {
    // What was opened may not be what was stat'ed (a path swapped in between): check again.
    const kindNow = unreadableKind(fstatSync(fd));
    if (kindNow !== undefined) return notAFile(path, kindNow);
    return readDescriptor(fd, path, limit);
  } finally {
    closeSync(fd);
  }
}
