// The harness's side of agent.c (+ agent-probes.c, agent.h): one long-lived process per network namespace, spoken to in
// lines (agent.c names them). The agent is compiled once per test file into the run's temporary
// directory (run-dir.ts). Every request is bounded in time.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { hasCommand } from "./exec.ts";
import { runDir } from "./run-dir.ts";

const SOURCES = ["agent.c", "agent-probes.c"].map((f) => join(import.meta.dirname, f));
const REQUEST_TIMEOUT_MS = 30_000;
/** The C compilers the agent builds with, in order of preference (env.ts requires one). */
export const AGENT_COMPILERS = ["cc", "clang", "gcc"] as const;

let binary: string | undefined;

/** The agent's executable, compiled on first use (~0.3 s). */
function agentBinary(): string {
  if (binary !== undefined) return binary;
  const cc = AGENT_COMPILERS.find((c) => hasCommand(c));
  if (cc === undefined) throw new Error(`kernel agent: no C compiler (${AGENT_COMPILERS.join(", ")})`);
  const out = join(runDir("agent"), "agent");
  execFileSync(cc, ["-O2", "-Wall", "-o", out, ...SOURCES], {
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 60_000,
  });
  binary = out;
  return out;
}

/** One probe as the agent runs it: connect (TCP) or send a datagram (UDP) from `src` to `dst`. */
export interface AgentProbe {
  readonly dst: string;
  readonly port: number;
  readonly proto: "TCP" | "UDP";
  /** Source address to bind (the node namespace holds several); the kernel chooses when absent. */
  readonly src?: string;
}

interface Pending {
  readonly resolve: (v: string[]) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class Agent {
  readonly ns: string;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  readonly ready: Promise<void>;

  constructor(ns: string, name: string) {
    this.ns = ns;
    this.#child = spawn("ip", ["netns", "exec", ns, agentBinary(), name], { stdio: "pipe" });
    let stderr = "";
    // A failed spawn, or a write to an agent that died, ends in the "exit" handler's rejections.
    this.#child.on("error", (e) => {
      stderr += e.message;
    });
    this.#child.stdin.on("error", () => {});
    this.#child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    this.ready = new Promise((resolve, reject) => {
      this.#pending.set(0, {
        resolve: () => resolve(),
        reject,
        timer: setTimeout(() => reject(new Error(`agent in ${ns} did not start`)), REQUEST_TIMEOUT_MS),
      });
    });
    this.#child.on("exit", (code) => {
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`agent in ${ns} exited (${code}): ${stderr.trim()}`));
      }
      this.#pending.clear();
    });
    // `<id> ok …`, `<id> r <who>…` or `<id> error <why>`.
    createInterface({ input: this.#child.stdout }).on("line", (line) => {
      const [id, kind, ...rest] = line.split(" ");
      const p = this.#pending.get(Number(id));
      if (p === undefined) return;
      this.#pending.delete(Number(id));
      clearTimeout(p.timer);
      if (kind === "error") p.reject(new Error(`agent in ${ns}: ${rest.join(" ")}`));
      else p.resolve(rest);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Sends `<op> <id> <args…>`; resolves with the answer's words after its kind. */
  #request(op: string, args: readonly (string | number)[]): Promise<string[]> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`agent in ${this.ns}: no answer to ${op}`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.stdin.write(`${[op, id, ...args].join(" ")}\n`);
    });
  }

  /** Serve TCP and UDP on these ports of these local addresses (listeners accumulate). */
  async listen(addrs: readonly string[], tcp: readonly number[], udp: readonly number[]): Promise<void> {
    if (addrs.length === 0 || tcp.length + udp.length === 0) return;
    const list = (xs: readonly (string | number)[]): string => (xs.length === 0 ? "-" : xs.join(","));
    await this.#request("L", [list(addrs), list(tcp), list(udp)]);
  }

  /** The name the servers answer with. */
  async setName(name: string): Promise<void> {
    await this.#request("N", [name]);
  }

  /** Runs the probes concurrently; per probe, the name that answered or null (blocked). */
  async probe(probes: readonly AgentProbe[], timeoutMs: number): Promise<(string | null)[]> {
    if (probes.length === 0) return [];
    const specs = probes.map((p) => `${p.dst}/${p.port}/${p.proto === "UDP" ? "U" : "T"}/${p.src ?? "-"}`);
    const who = await this.#request("P", [Math.round(timeoutMs), ...specs]);
    if (who.length !== probes.length)
      throw new Error(`agent in ${this.ns}: ${who.length} answers to ${probes.length} probes`);
    return who.map((w) => (w === "-" ? null : w));
  }

  /** Ends the agent: closes its stdin (it exits) and kills it by pid if it lingers. */
  stop(): void {
    this.#child.stdin.end();
    const t = setTimeout(() => this.#child.kill("SIGKILL"), 1000);
    t.unref();
    this.#child.once("exit", () => clearTimeout(t));
  }
}
