// The kernel topology: one "node" network namespace holding a bridge, one namespace per pod
// slot joined to it by a veth pair (created inside the pod namespace, its peer moved straight into
// the node namespace), an agent (agent.c: servers and prober) in every namespace, and a shell in
// the node namespace (shell.ts) for every command a scenario needs. Nothing is added to the root
// namespace. Namespaces are `npek-<pid>-<random>-<role>`; destroy() removes them, and an exit
// handler does too when a test dies first. Shared across scenarios: only the addresses of the
// slots change (and the neighbour caches are flushed when they do).
import { randomBytes } from "node:crypto";
import { Agent } from "./agent-client.ts";
import { inNs, runOk, runQuiet } from "./exec.ts";
import { Shell } from "./shell.ts";

export const NS_PREFIX = "npek";
export const BRIDGE = "br0";
const POD_DEV = "eth0";

const live = new Set<Topology>();
const destroyLive = (): void => {
  for (const t of live) t.destroySync();
  live.clear();
};
process.on("exit", destroyLive);
// A test runner ends its workers with a signal: clean up, then die of it as usual.
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const)
  process.once(sig, () => {
    destroyLive();
    process.kill(process.pid, sig);
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
  /** A long-lived shell in the node namespace: every per-scenario command runs through it. */
  shell: Shell | undefined;
  nodeAddrs: readonly string[] = [];
  readonly #namespaces: string[] = [];
  /** Where each address was last placed (slot, −1: the node namespace). */
  readonly #lastHolder = new Map<string, number>();

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
      t.shell = new Shell(n);
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
   * Places pods (by their address lists) on slots and gives the node namespace its addresses.
   * An address stays in the namespace that holds it whenever it can, so that shared scenarios
   * rarely move one (then every neighbour cache is flushed). Returns the slot of each pod.
   * Addresses are host routes (/32, /128); every other destination is on the link.
   */
  async place(pods: readonly (readonly string[])[], nodeAddrs: readonly string[]): Promise<number[]> {
    const holder = new Map<string, number>();
    this.slots.forEach((s, i) => {
      for (const a of s.addrs) holder.set(a, i);
    });
    const wanted = new Set([...pods.flat(), ...nodeAddrs]);
    const used = new Set<number>();
    const slotOf: number[] = pods.map((addrs) => {
      const i = addrs.map((a) => holder.get(a)).find((h) => h !== undefined && h >= 0 && !used.has(h));
      if (i !== undefined) used.add(i);
      return i ?? -1;
    });
    for (let j = 0; j < pods.length; j++) {
      if (slotOf[j]! >= 0) continue;
      const free = (strict: boolean): number =>
        this.slots.findIndex((s, i) => !used.has(i) && (!strict || s.addrs.every((a) => !wanted.has(a))));
      let i = free(true);
      if (i < 0) i = free(false);
      if (i < 0) {
        i = this.slots.length;
        await this.ensureSlots(i + 1);
      }
      used.add(i);
      slotOf[j] = i;
    }
    const want: (readonly string[])[] = this.slots.map((s, i) => {
      const j = slotOf.indexOf(i);
      // An unused slot keeps its addresses unless a pod or the node needs one of them.
      return j >= 0 ? pods[j]! : s.addrs.filter((a) => !wanted.has(a));
    });
    const where = (a: string): number => (nodeAddrs.includes(a) ? -1 : want.findIndex((w) => w.includes(a)));
    // Neighbour caches remember where an address was last seen, even after it left: compare with that.
    const moved = [...wanted].some((a) => this.#lastHolder.has(a) && this.#lastHolder.get(a) !== where(a));
    for (const a of wanted) this.#lastHolder.set(a, where(a));
    await this.#readdress(want, nodeAddrs, moved);
    return slotOf;
  }

  async #readdress(
    want: readonly (readonly string[])[],
    nodeAddrs: readonly string[],
    moved: boolean,
  ): Promise<void> {
    const targets = [
      ...this.slots.map((s, i) => ({ ns: s.ns, dev: POD_DEV, had: s.addrs, want: want[i]!, slot: s })),
      { ns: this.nodeNs, dev: BRIDGE, had: this.nodeAddrs, want: nodeAddrs, slot: undefined },
    ];
    // One script for all of it (run by the node namespace's shell), deletions everywhere first,
    // so that no two namespaces ever hold one address.
    const batch = (ns: string, lines: readonly string[]): string =>
      lines.length === 0 ? "" : `step ip -n ${ns} -batch - <<'NPEK'\n${lines.join("\n")}\nNPEK\n`;
    const deletions = targets.map((t) =>
      batch(
        t.ns,
        t.had.filter((a) => !t.want.includes(a)).map((a) => `addr del ${hostPrefix(a)} dev ${t.dev}`),
      ),
    );
    const additions = targets.map((t) => {
      const add = t.want
        .filter((a) => !t.had.includes(a))
        .map((a) => `addr add ${hostPrefix(a)} dev ${t.dev}${isV6(a) ? " nodad" : ""}`);
      const changed = add.length > 0 || t.had.length !== t.want.length;
      // Removing a device's last IPv4 address drops its routes: (re)install the on-link defaults.
      const routes = changed ? [`route replace default dev ${t.dev}`, `route replace ::/0 dev ${t.dev}`] : [];
      return batch(t.ns, [...add, ...routes, ...(moved ? ["neigh flush all"] : [])]);
    });
    const script = [...deletions, ...additions].join("");
    if (script !== "") await this.shell!.run(script);
    for (const t of targets) {
      if (t.slot === undefined) this.nodeAddrs = t.want;
      else t.slot.addrs = t.want;
    }
  }

  /** Every namespace of this topology (node first). */
  get namespaces(): readonly string[] {
    return this.#namespaces;
  }

  async destroy(): Promise<void> {
    for (const s of this.slots) s.agent.stop();
    this.nodeAgent?.stop();
    await this.shell?.stop();
    for (const ns of this.#namespaces.slice().reverse())
      await runOk("ip", ["netns", "del", ns]).catch(() => {});
    this.#namespaces.length = 0;
    live.delete(this);
  }

  /** Exit-handler variant of destroy(): synchronous, best effort. */
  destroySync(): void {
    for (const s of this.slots) if (s.agent.pid !== undefined) runQuiet("kill", ["-9", String(s.agent.pid)]);
    if (this.nodeAgent?.pid !== undefined) runQuiet("kill", ["-9", String(this.nodeAgent.pid)]);
    this.shell?.killSync();
    for (const ns of this.#namespaces) runQuiet("ip", ["netns", "del", ns]);
    this.#namespaces.length = 0;
  }
}
