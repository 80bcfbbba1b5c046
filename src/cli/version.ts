// `netpol --version`: the version of the installed package, read from its package.json.
import { readFileSync } from "node:fs";

/**
 * The `version` of the package.json two folders up: from `src/cli/` in the repo and from
 * `dist/cli/` in the installed package alike (`package.json` is always in the package). Read when
 * asked, not when the module loads: no other command pays for it.
 */
export function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const version =
    typeof pkg === "object" && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
  if (typeof version !== "string") throw new Error("package.json has no version");
  return version;
}
