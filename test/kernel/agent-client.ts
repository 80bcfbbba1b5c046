// The harness's side of agent.mjs: one long-lived `node` process per network namespace,
// spoken to in JSON lines. Every request is bounded in time.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const AGENT = join(import.meta.dirname, "agent.mjs");
const REQUEST_TIMEOUT_MS = 30_000;

/** One probe as the agent runs it: connect (TCP) or send a datagram (UDP) from `src` to `dst`. */
export interface AgentProbe {
  readonly dst: string;
  readonly port: number;
  readonly proto: "TCP" | "UDP";
  /** Source address to bind (the node namespace holds several); the kernel chooses when absent. */
  readonly src?: string;
}

interface Pending {
  readonly resolve: (v: Record<string, unknown>) => void;
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
    this.#child = spawn("ip", ["netns", "exec", ns, process.execPath, AGENT, name], { stdio: "pipe" });
    let stderr = "";
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
    createInterface({ input: this.#child.stdout }).on("line", (line) => {
      const msg = JSON.parse(line) as Record<string, unknown>;
      const p = this.#pending.get(msg.id as number);
      if (p === undefined) return;
      this.#pending.delete(msg.id as number);
      clearTimeout(p.timer);
      if (typeof msg.error === "string") p.reject(new Error(`agent in ${ns}: ${msg.error}`));
      else p.resolve(msg);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  #request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`agent in ${this.ns}: no answer to ${String(body.op)}`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.stdin.write(`${JSON.stringify({ ...body, id })}\n`);
    });
  }

  /** Serve TCP and UDP on these ports of these local addresses (listeners accumulate). */
  async listen(addrs: readonly string[], tcp: readonly number[], udp: readonly number[]): Promise<void> {
    if (addrs.length === 0 || tcp.length + udp.length === 0) return;
    await this.#request({ op: "listen", addrs, tcp, udp });
  }

  /** The name the servers answer with. */
  async setName(name: string): Promise<void> {
    await this.#request({ op: "name", name });
  }

  /** Runs the probes concurrently; per probe, the name that answered or null (blocked). */
  async probe(probes: readonly AgentProbe[], timeoutMs: number): Promise<(string | null)[]> {
    if (probes.length === 0) return [];
    const r = await this.#request({ op: "probe", timeout: timeoutMs, probes });
    return r.results as (string | null)[];
  }

  /** Ends the agent: closes its stdin (it exits) and kills it by pid if it lingers. */
  stop(): void {
    this.#child.stdin.end();
    const t = setTimeout(() => this.#child.kill("SIGKILL"), 1000);
    t.unref();
    this.#child.once("exit", () => clearTimeout(t));
  }
}
