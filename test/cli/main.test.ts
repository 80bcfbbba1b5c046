// The real executable (src/cli/main.ts) in a child process: exit codes and streams as a script sees them.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

function netpol(args: string[], input?: string) {
  return spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input,
    timeout: 60_000,
  });
}

describe("netpol executable", () => {
  it("prints the example's matrix and exits 0", () => {
    const r = netpol(["matrix", "examples/shop", "--port", "8080", "--protocol", "TCP", "--format", "json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).flows.length).toBe(36);
  });

  it("exits 1 on a failed --expect", () => {
    const r = netpol([
      "check",
      "examples/shop",
      "--from",
      "shop/worker",
      "--to",
      "shop/db",
      "--port",
      "5432",
      "--expect",
      "allow",
    ]);
    expect(r.status).toBe(1);
  });

  it("exits 2 on a malformed manifest from stdin, naming it, without a stack trace", () => {
    const r = netpol(
      ["check", "-", "--from", "x/a", "--to", "x/b", "--port", "80"],
      "kind: NetworkPolicy\nmetadata: {name: broken\n",
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("<stdin>");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
