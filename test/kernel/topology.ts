// The kernel topology: one "node" network namespace holding a bridge, one namespace per pod
// slot joined to it by a veth pair (created inside the pod namespace, its peer moved straight into
// the node namespace), an agent (agent.mjs: servers and prober) in every namespace. Nothing is
// added to the root namespace. Namespaces are `npek-<pid>-<random>-<role>`; destroy() removes
// them, and an exit handler does too when a test dies first. Shared across scenarios: only the
// addresses of the slots change (and the neighbour caches are flushed when they do).
import { randomBytes } from "node:crypto";
import { Agent } from "./agent-client.ts";
import { inNs, runOk, runQuiet } from "./exec.ts";

export const NS_PREFIX = "npek";
export const BRIDGE = "br0";
const POD_DEV = "eth0";

const live = new Set<Topology>();
process.on("exit", () => {
  for (const t of live) t.destroySync();
});

const isV6 = (ip: string): boolean => ip.includes(":");
const hostPrefix = (ip: string): string => `${ip}/${isV6(ip) ? 128 : 32}`;

/** Namespaces of this prefix left by runs whose process is gone (a killed run cannot clean up). */
async function sweepStale(): Promise<void> {
  const out = await runOk("ip", ["netns", "list"]);
  for (const line of out.split("\n")) {
    const m = new RegExp(`^(${NS_PREFIX}-(\\d+)-[0-9a-f]+-\\S+)`).exec(line);
    if (m === null) continue;
    let alive = true;
    try {
      process.kill(Number(m[2]), 0);
    } catch {
      alive = false;
    }
    if (!alive) runQuiet("ip", ["netns", "del", m[1]!]);
  }
}

async function makeNs(ns: string): Promise<void> {
  await runOk("ip", ["netns", "add", ns]);
  // No duplicate address detection: an IPv6 address is usable (bindable) the moment it is added.
  await inNs(ns, "sysctl", ["-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"]);
  await runOk("ip", ["-n", ns, "link", "set", "lo", "up"]);
}

/** A pod slot: its namespace, the node-side end of its veth, its agent and current addresses. */
export interface Slot {
  readonly ns: string;
  readonly veth: string;
  readonly agent: Agent;
  addrs: readonly string[];
}

export class Topology {
  readonly run: string;
  readonly nodeNs: string;
  readonly slots: Slot[] = [];
  nodeAgent: Agent | undefined;
  nodeAddrs: readonly string[] = [];
  readonly #namespaces: string[] = [];

  private constructor(run: string) {
    this.run = run;
    this.nodeNs = `${run}-node`;
  }

  /** The node namespace and its bridge (forward_delay 0, br_netfilter on for IPv4 and IPv6). */
  static async create(): Promise<Topology> {
    await sweepStale();
    const t = new Topology(`${NS_PREFIX}-${process.pid}-${randomBytes(3).toString("hex")}`);
    live.add(t);
    try {
      await t.#addNs(t.nodeNs);
      const n = t.nodeNs;
      await runOk("ip", ["-n", n, "link", "add", BRIDGE, "type", "bridge", "forward_delay", "0"]);
      await runOk("ip", ["-n", n, "link", "set", BRIDGE, "type", "bridge", "mcast_snooping", "0"]);
      await runOk("ip", ["-n", n, "link", "set", BRIDGE, "up"]);
      await inNs(n, "sysctl", [
        "-qw",
        "net.bridge.bridge-nf-call-iptables=1",
        "net.bridge.bridge-nf-call-ip6tables=1",
      ]);
      t.nodeAgent = new Agent(n, "node");
      await t.nodeAgent.ready;
      return t;
    } catch (e) {
      await t.destroy();
      throw e;
    }
  }

  async #addNs(ns: string): Promise<void> {
    this.#namespaces.push(ns);
    await makeNs(ns);
  }

  /** Grows the topology to at least `n` pod slots. */
  async ensureSlots(n: number): Promise<void> {
    const todo: Promise<Slot>[] = [];
    for (let i = this.slots.length; i < n; i++) todo.push(this.#addSlot(i));
    this.slots.push(...(await Promise.all(todo)));
  }

  async #addSlot(i: number): Promise<Slot> {
    const ns = `${this.run}-p${i}`;
    const veth = `vp${i}`;
    await this.#addNs(ns);
    await runOk("ip", [
      "-n",
      ns,
      "link",
      "add",
      POD_DEV,
      "type",
      "veth",
      "peer",
      "name",
      veth,
      "netns",
      this.nodeNs,
    ]);
    await runOk("ip", ["-n", ns, "link", "set", POD_DEV, "up"]);
    await runOk("ip", ["-n", this.nodeNs, "link", "set", veth, "master", BRIDGE, "up"]);
    // Every destination is on the link: pods reach each other (and the node) through the bridge.
    await runOk("ip", ["-n", ns, "route", "add", "default", "dev", POD_DEV]);
    await runOk("ip", ["-n", ns, "-6", "route", "add", "default", "dev", POD_DEV]);
    const agent = new Agent(ns, `p${i}`);
    await agent.ready;
    return { ns, veth, agent, addrs: [] };
  }

  /**
   * Gives the slots (and the node namespace) these addresses; returns whether any changed.
   * Addresses are host routes (/32, /128); every other destination is on the link.
   */
  async setAddresses(
    slotAddrs: readonly (readonly string[])[],
    nodeAddrs: readonly string[],
  ): Promise<boolean> {
    await this.ensureSlots(slotAddrs.length);
    const same = (a: readonly string[], b: readonly string[]): boolean =>
      a.length === b.length && a.every((x, i) => x === b[i]);
    const jobs: Promise<void>[] = [];
    // Free every address that moves before adding it elsewhere (two namespaces never hold one).
    const changed = this.slots.filter((s, i) => !same(s.addrs, slotAddrs[i] ?? []));
    const nodeChanged = !same(this.nodeAddrs, nodeAddrs);
    if (changed.length === 0 && !nodeChanged) return false;
    for (const s of changed) jobs.push(this.#assign(s.ns, POD_DEV, []));
    if (nodeChanged) jobs.push(this.#assign(this.nodeNs, BRIDGE, []));
    await Promise.all(jobs);
    jobs.length = 0;
    for (const s of changed) {
      const addrs = slotAddrs[this.slots.indexOf(s)] ?? [];
      jobs.push(this.#assign(s.ns, POD_DEV, addrs).then(() => void (s.addrs = addrs)));
    }
    if (nodeChanged) jobs.push(this.#assign(this.nodeNs, BRIDGE, nodeAddrs).then(() => void 0));
    await Promise.all(jobs);
    this.nodeAddrs = nodeAddrs;
    await Promise.all(
      [this.nodeNs, ...this.slots.map((s) => s.ns)].map((ns) =>
        runOk("ip", ["-n", ns, "neigh", "flush", "all"]),
      ),
    );
    return true;
  }

  async #assign(ns: string, dev: string, addrs: readonly string[]): Promise<void> {
    if (addrs.length === 0) {
      await runOk("ip", ["-n", ns, "addr", "flush", "dev", dev, "scope", "global"]);
      return;
    }
    for (const ip of addrs) await runOk("ip", ["-n", ns, "addr", "add", hostPrefix(ip), "dev", dev, "nodad"]);
    if (ns === this.nodeNs) {
      // The node namespace routes through its bridge; replace: it may already hold the routes.
      await runOk("ip", ["-n", ns, "route", "replace", "default", "dev", dev]);
      await runOk("ip", ["-n", ns, "-6", "route", "replace", "default", "dev", dev]);
    }
  }

  /** Every namespace of this topology (node first). */
  get namespaces(): readonly string[] {
    return this.#namespaces;
  }

  async destroy(): Promise<void> {
    for (const s of this.slots) s.agent.stop();
    this.nodeAgent?.stop();
    for (const ns of this.#namespaces.slice().reverse())
      await runOk("ip", ["netns", "del", ns]).catch(() => {});
    this.#namespaces.length = 0;
    live.delete(this);
  }

  /** Exit-handler variant of destroy(): synchronous, best effort. */
  destroySync(): void {
    for (const s of this.slots) if (s.agent.pid !== undefined) runQuiet("kill", ["-9", String(s.agent.pid)]);
    if (this.nodeAgent?.pid !== undefined) runQuiet("kill", ["-9", String(this.nodeAgent.pid)]);
    for (const ns of this.#namespaces) runQuiet("ip", ["netns", "del", ns]);
    this.#namespaces.length = 0;
  }
}
