// Golden files: a rendered artifact compared with test/backends/golden/<name>; UPDATE_GOLDEN=1
// rewrites them (then review the diff by eye before committing).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";

export function expectGolden(name: string, content: string): void {
  const file = join(import.meta.dirname, "golden", name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (process.env.UPDATE_GOLDEN !== "1")
      throw new Error(`golden file ${name} was missing: written, review it and rerun`);
  }
  expect(content, `golden ${name} (UPDATE_GOLDEN=1 to rewrite, then review the diff)`).toBe(
    readFileSync(file, "utf8"),
  );
}
