// `netpol --version`, `netpol <command> --help` and `netpol help <command>` (src/cli/help.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALLOWED, COMMON, OPTIONS } from "../../src/cli/options.ts";
import { netpol } from "./netpol.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const COMMANDS = Object.keys(ALLOWED);

describe("netpol --version", () => {
  it("prints the package.json version and exits 0", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(netpol(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("takes no arguments", () => {
    const r = netpol(["--version", "check"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--version takes no arguments");
  });
});

describe("netpol <command> --help", () => {
  it.each(COMMANDS)(
    "%s --help: its synopsis, each of its options on one line, an example; exit 0",
    (command) => {
      const r = netpol([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      const lines = r.stdout.split("\n");
      expect(lines[0]).toBe("Usage:");
      expect(lines[1]).toMatch(new RegExp(`^  netpol ${command} <inputs\\.\\.\\.>`));
      const own = new Set<string>([...ALLOWED[command]!, ...COMMON(command)]);
      for (const name of Object.keys(OPTIONS)) {
        const shown = lines.filter((l) => new RegExp(`^  (-\\w, )?--${name}( |$)`).test(l));
        expect(shown, `--${name} in ${command} --help`).toHaveLength(own.has(name) ? 1 : 0);
      }
      const at = lines.findIndex((l) => /^Examples?:$/.test(l));
      expect(at, "an Example: line").toBeGreaterThan(0);
      const examples = lines.slice(at + 1);
      expect(examples[0]).toMatch(new RegExp(`^  netpol ${command} `));
    },
  );

  it.each(COMMANDS)("%s: -h, `netpol help %s` and --help print the same", (command) => {
    const help = netpol([command, "--help"]).stdout;
    expect(netpol([command, "-h"]).stdout).toBe(help);
    expect(netpol(["help", command])).toEqual({ code: 0, stdout: help, stderr: "" });
  });

  it("the help of one command is not the overview", () => {
    const check = netpol(["check", "--help"]).stdout;
    expect(check).not.toContain("netpol matrix");
    expect(check).not.toContain("--backend");
  });

  it("the examples on examples/shop run as printed", () => {
    for (const command of ["matrix", "check", "explain"]) {
      const lines = netpol([command, "--help"]).stdout.split("\n");
      const example = lines[lines.findIndex((l) => /^Examples?:$/.test(l)) + 1]!.trim();
      const args = example.split(" ").slice(1);
      expect(args).toContain("examples/shop");
      const r = netpol(args.map((a) => (a === "examples/shop" ? join(ROOT, a) : a)));
      expect(r.code, `${example}: ${r.stderr}`).toBe(0);
    }
  });

  it("help for an unknown command is a usage error", () => {
    const r = netpol(["help", "frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no help for "frobnicate"');
  });

  it("the overview points at the per-command help and --version", () => {
    const r = netpol(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("netpol <command> --help");
    expect(r.stdout).toContain("netpol --version");
  });
});
