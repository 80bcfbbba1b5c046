// Runs every scenario of bench/scenarios/ (or those named on the command line) in a fresh
// `node --expose-gc --import tsx` process, one after another, and prints one JSON document on
// stdout. Progress goes to stderr. Exits non-zero when a scenario fails (e.g. engine ≠ reference).
//
//   npm run bench                 # every scenario
//   npm run bench -- core-10k     # only these
import { execFileSync, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { log, machine } from "./harness.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIR = fileURLToPath(new URL("./scenarios/", import.meta.url));

function runScenario(file: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", `${DIR}${file}`], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });
}

/**
 * What was measured: the commit, and the files under src/ that differ from it (other engineers
 * edit the working tree while benchmarks run). NETPOL_BENCH_SOURCE overrides it (a snapshot
 * without .git, e.g. `git archive <commit>`).
 */
function source(): Record<string, unknown> {
  const given = process.env.NETPOL_BENCH_SOURCE;
  if (given !== undefined) return { given };
  try {
    const git = (...args: string[]): string =>
      execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = git("status", "--porcelain", "--", "src")
      .split("\n")
      .filter((l) => l !== "");
    return {
      commit: git("rev-parse", "HEAD"),
      uncommittedSrcFiles: dirty.length,
      uncommitted: dirty.slice(0, 20),
    };
  } catch {
    return { commit: "unknown (no git)" };
  }
}

const wanted = process.argv.slice(2);
const measured = source();
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".ts"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, "")))
  .sort();
if (files.length === 0) {
  log(`no scenario matches ${wanted.join(", ")}`);
  process.exit(2);
}

const scenarios: unknown[] = [];
let failed = false;
for (const file of files) {
  log(`--- ${file} (fresh process)`);
  const { code, stdout } = await runScenario(file);
  const line = stdout.trim().split("\n").pop() ?? "";
  let result: unknown;
  try {
    result = JSON.parse(line);
  } catch {
    result = { name: file.replace(/\.ts$/, ""), error: `no JSON result (exit code ${code})` };
  }
  if (code !== 0) failed = true;
  scenarios.push(code === 0 ? result : { ...(result as object), exitCode: code });
}

process.stdout.write(
  `${JSON.stringify({ date: new Date().toISOString(), source: measured, machine: machine(), scenarios }, null, 2)}\n`,
);
if (failed) process.exitCode = 1;
