// The published package, as a user gets it: `npm pack` of a copy of the repo without dist (a fresh
// clone: the prepack script builds dist), publint and attw on the tarball, then `npm install` of the
// tarball into an empty consumer and what a consumer does with it: require(), import, `npx netpol`
// and TypeScript 5 type checks under node16, nodenext and bundler resolution (docs/decisions.md #40, #41).
// Offline: the package's own dependencies are installed from this repo's node_modules (npm ci's).
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import type * as TS from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};

// TypeScript 5 (the repo builds with 6) from a local package, so that its `tsc` cannot take the
// root's node_modules/.bin/tsc (test/package/typescript5/package.json).
const ts5 = createRequire(join(ROOT, "package.json"))("netpol-engine-typescript5") as typeof TS;

const tmp = mkdtempSync(join(tmpdir(), "netpol-package-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const clone = join(tmp, "clone");
const consumer = join(tmp, "consumer");
let tarball = "";
let packed: string[] = [];

/** npm's own variables of the `npm test` around us (npm_config_*, npm_lifecycle_*) stay out of a child npm. */
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")),
);

function sh(cwd: string, command: string, args: readonly string[]): string {
  return execFileSync(command, args, {
    cwd,
    env: childEnv,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

beforeAll(() => {
  // A fresh clone: the repo's files without node_modules, dist or .git; its node_modules linked back.
  const skip = new Set(["node_modules", "dist", ".git", ".scratch"]);
  cpSync(ROOT, clone, {
    recursive: true,
    filter: (from) =>
      !relative(ROOT, from)
        .split(sep)
        .some((part) => skip.has(part)),
  });
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
  const [info] = JSON.parse(sh(clone, "npm", ["pack", "--json", "--pack-destination", tmp])) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(tmp, info!.filename);
  packed = info!.files.map((f) => f.path).sort();

  // `npm install <tarball>` with no network: each dependency from this repo's node_modules.
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module" })}\n`,
  );
  // The dependencies, and theirs (js-yaml → argparse), linked from the repo's node_modules: npm
  // then resolves every one of them offline. A dependency the repo's top-level node_modules lacks
  // (a nested, conflicting version) would make npm install it into the repo or need the network.
  const deps: string[] = [];
  const pending = Object.keys(pkg.dependencies);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const dir = join(ROOT, "node_modules", name);
    if (deps.includes(dir)) continue;
    expect(existsSync(join(dir, "package.json")), `${name} in the repo's top-level node_modules`).toBe(true);
    deps.push(dir);
    const own = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    pending.push(...Object.keys({ ...(own.dependencies ?? {}), ...(own.peerDependencies ?? {}) }));
  }
  deps.sort();
  sh(consumer, "npm", [
    "install",
    "--offline",
    "--no-audit",
    "--no-fund",
    "--no-package-lock",
    tarball,
    ...deps,
  ]);
});

describe("npm pack", () => {
  it("builds dist from a clone without one and packs dist, examples, docs, the README and the LICENSE only", () => {
    expect(packed).toContain("dist/index.js");
    expect(packed).toContain("dist/index.d.ts");
    expect(packed).toContain("dist/cli/main.js");
    expect(packed).toContain("examples/shop/pods.yaml");
    expect(packed).toContain("README.md");
    expect(packed).toContain("docs/cli.md");
    const top = new Set(packed.map((p) => p.split("/")[0]));
    expect([...top].sort()).toEqual(["LICENSE", "README.md", "dist", "docs", "examples", "package.json"]);
    expect(packed.filter((p) => p.startsWith("dist/") && !/\.(js|d\.ts)$/.test(p))).toEqual([]);
  });

  it("publint: no error, warning or suggestion", async () => {
    const buffer = readFileSync(tarball);
    const tar = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: tar },
      level: "suggestion",
      strict: true,
    });
    expect(messages.map((m) => formatMessage(m, manifest) ?? m.code)).toEqual([]);
  });

  it("attw: the types resolve in every mode; require() of ESM is the only finding, ignored in .attw.json", () => {
    const bin = createRequire(join(ROOT, "package.json")).resolve("@arethetypeswrong/cli/package.json");
    // attw exits 1 on a finding its .attw.json (in ROOT, the cwd) does not ignore.
    const out = JSON.parse(
      sh(ROOT, process.execPath, [join(bin, "..", "dist", "index.js"), tarball, "--format", "json"]),
    ) as {
      analysis: { problems: { kind: string; entrypoint: string; resolutionKind: string }[] };
    };
    expect(out.analysis.problems).toEqual([
      { kind: "CJSResolvesToESM", entrypoint: ".", resolutionKind: "node16-cjs" },
    ]);
  });
});

describe("the installed package", () => {
  const shop = join(consumer, "node_modules", pkg.name, "examples", "shop");
  const use = `const { compile, parseCluster } = m;
    const fs = require("node:fs"), path = require("node:path");
    const dir = ${JSON.stringify(shop)};
    const sources = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), "utf8") }));
    console.log(compile(parseCluster(sources).cluster).decide({ from: "shop/frontend", to: "shop/api", port: 8080 }).verdict);`;

  it("require() works (Node >= 20.19, require of ESM) without a warning, and is the instance import() gives", () => {
    const script = `const m = require("${pkg.name}"); ${use}
      import("${pkg.name}").then((n) => console.log(n === m ? "one instance" : "two instances"));`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: consumer, encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: "allow\none instance\n",
      stderr: "", // no ExperimentalWarning: since Node 20.19 only --trace-require-module prints one
    });
  });

  it("ESM import works", () => {
    const script = `import * as m from "${pkg.name}"; import { createRequire } from "node:module";
      const require = createRequire(import.meta.url); ${use}`;
    const r = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: consumer,
      encoding: "utf8",
    });
    expect(r).toBe("allow\n");
  });

  it("npx netpol --version, --help and a check on the packaged example", () => {
    expect(sh(consumer, "npx", ["--offline", "netpol", "--version"])).toBe(`${pkg.version}\n`);
    expect(sh(consumer, "npx", ["--offline", "netpol", "check", "--help"])).toMatch(
      /^Usage:\n {2}netpol check /,
    );
    const out = sh(consumer, "npx", [
      "--offline",
      "netpol",
      "check",
      shop,
      "--from",
      "shop/frontend",
      "--to",
      "shop/api",
      "--port",
      "http",
      "--format",
      "json",
    ]);
    expect(JSON.parse(out).verdict).toBe("allow");
  });
});

describe("TypeScript 5 consumers", () => {
  const esm = `import { compile, type Decision, InputError, parseCluster, type PolicyTable } from "${pkg.name}";
export const table: PolicyTable = compile(parseCluster([{ name: "a.yaml", text: "" }]).cluster);
export const decision: Decision = table.decide({ from: "a/b", to: "a/c", port: 80 });
export const verdict: "allow" | "deny" | "unknown" = decision.verdict;
export const isInputError = (e: unknown): boolean => e instanceof InputError;
// @ts-expect-error: not a public export
import { internal } from "${pkg.name}";
export { internal };
`;
  // require() of ESM in TypeScript: --module nodenext since TS 5.8 (node16 keeps it an error).
  const cjs = `import netpol = require("${pkg.name}");
export const table: netpol.PolicyTable = netpol.compile(netpol.parseCluster([]).cluster);
`;

  function check(files: Record<string, string>, options: TS.CompilerOptions): string[] {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(consumer, name), text);
    const program = ts5.createProgram(
      Object.keys(files).map((f) => join(consumer, f)),
      {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
        target: ts5.ScriptTarget.ES2022,
        lib: ["lib.es2023.d.ts"],
        ...options,
      },
    );
    return ts5
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ""}: ${ts5.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  }

  it("is TypeScript 5", () => {
    expect(ts5.version).toMatch(/^5\./);
  });

  it.each([
    ["node16", { module: ts5.ModuleKind.Node16, moduleResolution: ts5.ModuleResolutionKind.Node16 }],
    ["nodenext", { module: ts5.ModuleKind.NodeNext, moduleResolution: ts5.ModuleResolutionKind.NodeNext }],
    ["bundler", { module: ts5.ModuleKind.ESNext, moduleResolution: ts5.ModuleResolutionKind.Bundler }],
  ] as const)("import and types resolve under %s", (name, options) => {
    expect(check({ [`esm-${name}.ts`]: esm }, options)).toEqual([]);
  });

  it("require() under nodenext (.cts) resolves the same types", () => {
    const options = { module: ts5.ModuleKind.NodeNext, moduleResolution: ts5.ModuleResolutionKind.NodeNext };
    expect(check({ "cjs-nodenext.cts": cjs }, options)).toEqual([]);
  });
});
