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

/** One `sh` process and the scripts it is running. */
interface Proc {
  readonly child: ChildProcessWithoutNullStreams;
  readonly waiting: Map<number, (code: number) => void>;
  dead: Error | undefined;
}

export class Shell {
  readonly ns: string;
  readonly #dir: string;
  #proc: Proc | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #next = 1;

  /** A shell inside the network namespace `ns`, started on first use (and again after a timeout). */
  constructor(ns: string) {
    this.ns = ns;
    this.#dir = mkdtempSync(join(runDir("shell"), "sh-"));
  }

  /** The live shell: `sh` in the namespace, its own process group (a timeout kills all it runs). */
  #live(): Proc {
    if (this.#proc !== undefined && this.#proc.dead === undefined) return this.#proc;
    const child = spawn("ip", ["netns", "exec", this.ns, "sh"], { stdio: "pipe", detached: true });
    const proc: Proc = { child, waiting: new Map(), dead: undefined };
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    child.stdin.on("error", () => {});
    createInterface({ input: child.stdout }).on("line", (line) => {
      const [id, code] = line.split(" ").map(Number);
      proc.waiting.get(id!)?.(code!);
      proc.waiting.delete(id!);
    });
    const die = (why: string): void => {
      proc.dead ??= new Error(`shell in ${this.ns} ${why}: ${stderr.trim()}`);
      for (const done of proc.waiting.values()) done(-1);
      proc.waiting.clear();
    };
    child.on("error", (e) => die(`could not run (${e.message})`));
    child.on("exit", (code, signal) => die(`exited (${code ?? signal})`));
    this.#proc = proc;
    return proc;
  }

  /**
   * Runs `script` (POSIX sh, with `step` defined) in a fresh directory holding `files`; resolves
   * with its stdout, throws with its stderr when it exits non-zero. Scripts run one at a time; one
   * that times out is killed with the shell, and the next script gets a new shell.
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
    const proc = this.#live();
    const id = this.#next++;
    const dir = join(this.#dir, String(id));
    mkdirSync(dir);
    try {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      writeFileSync(join(dir, "run.sh"), PREAMBLE + script);
      const code = await new Promise<number>((resolve) => {
        const timer = setTimeout(() => {
          proc.waiting.delete(id);
          kill(proc);
          // Dead from now on, not when its exit is seen: the next script must not be sent to it.
          proc.dead ??= new Error(`shell in ${this.ns} killed after a script overran ${timeoutMs} ms`);
          resolve(-2);
        }, timeoutMs);
        proc.waiting.set(id, (c) => {
          clearTimeout(timer);
          resolve(c);
        });
        proc.child.stdin.write(`(cd '${dir}' && sh ./run.sh </dev/null >out 2>err); echo "${id} $?"\n`);
      });
      const what = script.trim().split("\n")[0]!.slice(0, 120);
      if (code === -2) throw new Error(`in ${this.ns}: \`${what}\`… did not finish in ${timeoutMs} ms`);
      if (code === -1) throw proc.dead ?? new Error(`shell in ${this.ns} died`);
      const read = (f: string): string => {
        try {
          return readFileSync(join(dir, f), "utf8");
        } catch {
          return `(no ${f}: the script did not start)`;
        }
      };
      if (code !== 0) throw new Error(`in ${this.ns}: \`${what}\`… exited ${code}: ${read("err").trim()}`);
      return read("out");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Ends the shell once the scripts queued so far are done; its directory removed. */
  async stop(): Promise<void> {
    await this.#queue;
    const proc = this.#proc;
    if (proc !== undefined && proc.dead === undefined) {
      const exited = new Promise((resolve) => proc.child.once("exit", resolve));
      proc.child.stdin.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      kill(proc);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Kills the shell and whatever it runs, its directory removed (exit handlers; best effort). */
  killSync(): void {
    if (this.#proc !== undefined) kill(this.#proc);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** SIGKILL to the shell's process group, unless it is gone. */
function kill(proc: Proc): void {
  try {
    if (proc.child.pid !== undefined && proc.dead === undefined) process.kill(-proc.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}
