// Run a command with a hard wall-time limit (`timeout`) and a hard memory limit, and keep what it
// printed. `--max-old-space-size` bounds only V8's JS heap: the compiled table lives in typed
// arrays *outside* it (a run of the hostile case reached 24 GB resident under
// `--max-old-space-size=4096` and was killed by the kernel's OOM killer), so the resident set of
// the whole process tree is watched too, and the tree is killed (its process group, by id) when it
// passes the limit.
//
//   node --import tsx bench/bounded.ts --timeout 120 --max-rss-mb 4096 -- node --max-old-space-size=4096 ...
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export interface BoundedResult {
  /** Exit code (124 when `timeout` ended it), or undefined when killed by a signal. */
  readonly code: number | undefined;
  readonly signal: string | undefined;
  /** Why it ended early: the wall-time limit, the memory limit, or not at all. */
  readonly ended: "exited" | "timeout" | "rss-limit";
  readonly wallS: number;
  /** Largest resident set of the process tree seen (sampled every 50 ms). */
  readonly peakRssMB: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Resident set of `root` and its descendants, in MB (Linux /proc; 0 elsewhere). */
function treeRssMB(root: number): number {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const e of entries) {
    try {
      const status = readFileSync(`/proc/${e}/status`, "utf8");
      const pp = /^PPid:\s+(\d+)/m.exec(status);
      const r = /^VmRSS:\s+(\d+) kB/m.exec(status);
      parent.set(Number(e), pp === null ? 0 : Number(pp[1]));
      rss.set(Number(e), r === null ? 0 : Number(r[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  let kb = 0;
  for (const [pid, r] of rss) {
    let p: number | undefined = pid;
    while (p !== undefined && p > 1 && p !== root) p = parent.get(p);
    if (p === root) kb += r;
  }
  return kb / 1024;
}

/**
 * Run `command` under `timeout <timeoutS>` in its own process group; kill the group when the
 * tree's resident set passes `maxRssMB`. Resolves when it has ended, whichever way.
 */
export function runBounded(
  command: readonly string[],
  { timeoutS, maxRssMB, echo = false }: { timeoutS: number; maxRssMB: number; echo?: boolean },
): Promise<BoundedResult> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn("timeout", ["--signal=KILL", String(timeoutS), ...command], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
      if (echo) process.stderr.write(s);
    });
    let peak = 0;
    let overLimit = false;
    const watch = setInterval(() => {
      if (child.pid === undefined) return;
      const mb = treeRssMB(child.pid);
      peak = Math.max(peak, mb);
      if (mb > maxRssMB && !overLimit) {
        overLimit = true;
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }, 50);
    child.on("error", (e) => {
      clearInterval(watch);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearInterval(watch);
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      const timedOut =
        !overLimit && (code === 124 || code === 137 || signal === "SIGKILL") && wallS >= timeoutS;
      resolve({
        code: code ?? undefined,
        signal: signal ?? undefined,
        ended: overLimit ? "rss-limit" : timedOut ? "timeout" : "exited",
        wallS: Number(wallS.toFixed(2)),
        peakRssMB: Math.round(peak),
        stdout,
        stderr,
      });
    });
  });
}

// As a command: `bounded.ts --timeout S --max-rss-mb M -- command…`; prints the result (without
// the output, which it echoes) as JSON on stdout.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const sep = args.indexOf("--");
  const opt = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    return i >= 0 && i < sep ? Number(args[i + 1]) : fallback;
  };
  const r = await runBounded(args.slice(sep + 1), {
    timeoutS: opt("--timeout", 120),
    maxRssMB: opt("--max-rss-mb", 4096),
    echo: true,
  });
  process.stdout.write(r.stdout);
  const { stdout: _o, stderr: _e, ...summary } = r;
  process.stdout.write(`${JSON.stringify({ bounded: summary })}\n`);
}
