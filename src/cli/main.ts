#!/usr/bin/env node
// The `netpol` executable: the real process around `run` (src/cli/run.ts).
import { writeSync } from "node:fs";
import { InputError } from "../index.ts";
import { readDescriptor } from "./read-capped.ts";
import { decodeText, MAX_FILE_BYTES } from "./read-inputs.ts";
import { runAsync } from "./run.ts";

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Write all of `text` to a file descriptor before returning. `process.stdout.write` queues what a
 * pipe does not take at once, so a streamed 10⁸-cell matrix piped into `wc` filled the heap; a
 * blocking write keeps memory at one chunk. A reader that went away (`netpol … | head`) ends the
 * command quietly, as it does for other Unix tools, instead of an `EPIPE` stack trace.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN")
        Atomics.wait(pause, 0, 0, 1); // a non-blocking pipe that is full
      else if (code === "EPIPE") process.exit(0);
      else throw e;
    }
  }
}

process.exitCode = await runAsync(process.argv.slice(2), {
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
  readStdin: () => {
    // In chunks, up to the limit: `netpol check - < /dev/zero` or `yes | netpol check -` end at once.
    const bytes = readDescriptor(0, "<stdin>", MAX_FILE_BYTES);
    if (!(bytes instanceof Uint8Array)) throw new InputError([bytes]);
    const read = decodeText(bytes, "<stdin>");
    if ("issue" in read) throw new InputError([read.issue]);
    return read.text;
  },
});
