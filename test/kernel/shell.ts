// A long-lived shell in a namespace: the topology's commands (addresses, rules, conntrack) run as
// its children, not as children of the test process. Forking the test process — a V8 heap of
// hundreds of MB — for every command cost ~20% of the machine in page-table copies (perf, 7
// loaders in parallel); so did an `ip netns exec` per command. One script at a time, each in its
// own directory (its working directory, holding the files it reads), removed when it is done.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { runDir } from "./run-dir.ts";

const DEFAULT_TIMEOUT_MS = 60_000;
/** `step <cmd…>` runs a command and, when it fails, ends the script naming it and its exit code. */
const PREAMBLE = 'step() { "$@" || { rc=$?; echo "^ $* exited $rc" >&2; exit $rc; }; }\n';

export class Shell {
  readonly ns: string;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #dir: string;
  readonly #waiting = new Map<number, (code: number) => void>();
  #queue: Promise<unknown> = Promise.resolve();
  #next = 1;
  #dead: Error | undefined;

  /** `sh` inside the network namespace `ns` (its own process group, so a timeout kills it all). */
  constructor(ns: string) {
    this.ns = ns;
    this.#dir = mkdtempSync(join(runDir("shell"), "sh-"));
    this.#child = spawn("ip", ["netns", "exec", ns, "sh"], { stdio: "pipe", detached: true });
    let stderr = "";
    this.#child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    this.#child.stdin.on("error", () => {});
    createInterface({ input: this.#child.stdout }).on("line", (line) => {
      const [id, code] = line.split(" ").map(Number);
      this.#waiting.get(id!)?.(code!);
      this.#waiting.delete(id!);
    });
    this.#child.on("exit", (code, signal) => {
      this.#dead = new Error(`shell in ${ns} exited (${code ?? signal}): ${stderr.trim()}`);
      for (const done of this.#waiting.values()) done(-1);
      this.#waiting.clear();
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /**
   * Runs `script` (POSIX sh, with `step` defined) in a fresh directory holding `files`; resolves
   * with its stdout, throws with its stderr when it exits non-zero. Scripts run one at a time.
   */
  run(
    script: string,
    files: Readonly<Record<string, string>> = {},
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<string> {
    const result = this.#queue.then(() => this.#runNow(script, files, timeoutMs));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #runNow(script: string, files: Readonly<Record<string, string>>, timeoutMs: number): Promise<string> {
    if (this.#dead !== undefined) throw this.#dead;
    const id = this.#next++;
    const dir = join(this.#dir, String(id));
    mkdirSync(dir);
    try {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      writeFileSync(join(dir, "run.sh"), PREAMBLE + script);
      const code = await new Promise<number>((resolve) => {
        const timer = setTimeout(() => {
          this.#waiting.delete(id);
          this.kill();
          resolve(-2);
        }, timeoutMs);
        this.#waiting.set(id, (c) => {
          clearTimeout(timer);
          resolve(c);
        });
        this.#child.stdin.write(`(cd '${dir}' && sh ./run.sh </dev/null >out 2>err); echo "${id} $?"\n`);
      });
      const what = script.trim().split("\n")[0]!.slice(0, 120);
      if (code === -2) throw new Error(`in ${this.ns}: \`${what}\`… did not finish in ${timeoutMs} ms`);
      if (code === -1) throw this.#dead ?? new Error(`shell in ${this.ns} died`);
      const read = (f: string): string => readFileSync(join(dir, f), "utf8");
      if (code !== 0) throw new Error(`in ${this.ns}: \`${what}\`… exited ${code}: ${read("err").trim()}`);
      return read("out");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Ends the shell once the scripts queued so far are done. */
  async stop(): Promise<void> {
    await this.#queue;
    if (this.#dead === undefined) {
      const exited = new Promise((resolve) => this.#child.once("exit", resolve));
      this.#child.stdin.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
    this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Kills the shell and whatever it runs now (best effort; exit handlers). */
  kill(): void {
    try {
      if (this.#child.pid !== undefined && this.#dead === undefined)
        process.kill(-this.#child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  /** kill(), then its directory removed (exit handlers). */
  killSync(): void {
    this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
