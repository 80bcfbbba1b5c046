#!/usr/bin/env node
// The `netpol` executable: the real process around `run` (src/cli/run.ts).
import { readFileSync } from "node:fs";
import { run } from "./run.ts";

process.exitCode = run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, "utf8"),
});
