// The eBPF fast tier on the rendered backend: for the scenarios, the ebpf backend's program and
// map entries loaded without a topology and run on each probe's first packet (bpftool prog run);
// the program's verdict must equal decide(). Cheap (no traffic): catches a wrong map entry before
// the topology tier, and names the packet.
import { describe, expect, it } from "vitest";
import { compile, ebpfBackend, render } from "../../src/index.ts";
import { passes, runOnPackets } from "./ebpf-fast.ts";
import { kernelSkipReason, reportSkip } from "./env.ts";
import { planScenario } from "./plan.ts";
import { scenarioSets } from "./scenarios.ts";

const FAST_RANDOM_EVERY = Number(process.env.NETPOL_KERNEL_FAST_RANDOM_EVERY ?? 1);

const skip = reportSkip("ebpf fast tier (rendered)", kernelSkipReason(["ebpf"]));

describe.skipIf(skip)("kernel: the rendered ebpf program on crafted packets", () => {
  it("agrees with decide() on every probe's first packet of every scenario", async () => {
    const started = Date.now();
    // Every e2e and network-policy-api case and every FAST_RANDOM_EVERY-th random cluster (default
    // all: one compile of the fixed program and one `bpftool batch` a scenario, ~0.1 s each).
    const scenarios = scenarioSets().flatMap((s) =>
      s.source === "random" ? s.scenarios.filter((_, i) => i % FAST_RANDOM_EVERY === 0) : s.scenarios,
    );
    let packets = 0;
    const misses: string[] = [];
    const queue = [...scenarios];
    const worker = async (): Promise<void> => {
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        const table = compile(s.cluster);
        const plan = planScenario(s, table);
        if (plan.probes.length === 0) continue;
        const artifacts = render(table, ebpfBackend, { unsupported: "warn" }).artifacts;
        const isV6 = (ip: string): boolean => ip.includes(":");
        const specs = plan.probes.map((p) => ({
          src: p.src ?? plan.slots[p.source]!.addrs.find((a) => isV6(a) === isV6(p.dst))!,
          dst: p.dst,
          proto: p.proto,
          sport: 40000,
          dport: p.port,
        }));
        const results = await runOnPackets(artifacts, specs);
        packets += specs.length;
        plan.probes.forEach((p, i) => {
          if (passes(results[i]!) !== p.expect)
            misses.push(
              `${s.name}: ${specs[i]!.src} -> ${p.dst} ${p.proto}/${p.port}: table ${p.expect ? "allows" : "denies"}, program ${passes(results[i]!) ? "passes" : "drops"}`,
            );
        });
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(
      `kernel ebpf fast tier (rendered): ${scenarios.length} scenarios, ${packets} packets, ${misses.length} mismatches (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    for (const m of misses.slice(0, 10)) console.log(`  mismatch in ${m}`);
    expect(misses).toEqual([]);
  });
});
