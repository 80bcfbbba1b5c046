// The kernel project's global setup (vitest.config.ts): one temporary directory for the whole run —
// the compiled agent, the compiled eBPF objects, the shells' scripts — removed at the end, also when
// tests fail. (Exit handlers do not run in vitest's workers: files made there would be left behind.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's temporary directory (global-setup.ts). */
    kernelTmp: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "npek-run-"));
  project.provide("kernelTmp", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
