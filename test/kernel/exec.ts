// Running the kernel tools: every command bounded in time, its failure reported with its stderr.
import { execFile, execFileSync } from "node:child_process";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin. */
  readonly input?: string;
  /** Milliseconds before the command is killed (default 20 s). */
  readonly timeout?: number;
}

/** Runs a command; never throws for a non-zero exit (the code says it). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { timeout: opts.timeout ?? 20_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : 127;
        resolve({ code, stdout, stderr: err !== null && stderr === "" ? String(err.message) : stderr });
      },
    );
    child.stdin?.on("error", () => {}); // a command that does not read its stdin
    child.stdin?.end(opts.input ?? "");
  });
}

/** Runs a command and throws, naming it and quoting its stderr, unless it exits 0. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A command inside a network namespace. */
export function inNs(
  ns: string,
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<string> {
  return runOk("ip", ["netns", "exec", ns, cmd, ...args], opts);
}

/** Synchronous best effort, for exit handlers: never throws. */
export function runQuiet(cmd: string, args: readonly string[]): void {
  try {
    execFileSync(cmd, args, { stdio: "ignore", timeout: 5000 });
  } catch {
    // best effort: the caller reports what is left
  }
}

/** Whether a command can be found on PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
