// A private directory for this test file's temporary files, inside the run's directory
// (global-setup.ts), which the run removes at its end.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import "./global-setup.ts";

const dirs = new Map<string, string>();

/** A directory of its own for `purpose` (`agent`, `bpfobj`, `shell`), made on first use. */
export function runDir(purpose: string): string {
  let d = dirs.get(purpose);
  if (d === undefined) dirs.set(purpose, (d = mkdtempSync(join(inject("kernelTmp"), `${purpose}-`))));
  return d;
}
