// The harness proved before any backend exists: rulesets written by hand for a tiny dual-stack
// cluster, loaded with the real tools, and the kernel's verdict on every probe compared with
// `compile(cluster)` — plus a ruleset that forgets IPv6, which the comparator must catch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/index.ts";
import { runScenario } from "./compare.ts";
import { passes, runOnPackets } from "./ebpf-fast.ts";
import { kernelSkipReason, reportSkip } from "./env.ts";
import {
  handEbpf,
  handIptables,
  handNftables,
  SERVER_V6,
  TINY_PORTS,
  tinyCluster,
} from "./fixtures/tiny-cluster.ts";
import { loadersFor } from "./loader.ts";
import { planScenario, SKIP_SCTP } from "./plan.ts";
import { formatSummary } from "./suite.ts";
import { Topology } from "./topology.ts";

const skip = reportSkip("hand-written rulesets", kernelSkipReason(["iptables", "nftables", "ebpf"]));

describe.skipIf(skip)("kernel harness with hand-written rulesets", () => {
  const table = compile(tinyCluster);
  const plan = planScenario({ name: "tiny", cluster: tinyCluster, ports: TINY_PORTS }, table);
  let topo: Topology;
  beforeAll(async () => {
    topo = await Topology.create();
  });
  afterAll(async () => {
    await topo?.destroy();
  });

  it("plans pod pairs in both families and node probes, SCTP skipped with its reason", () => {
    // 3 pods × 2 others × 2 families × 3 ports, 2 node addresses × 3 pods × 3 ports, and the two
    // external addresses (one per family) to and from every pod in its family.
    expect(plan.probes).toHaveLength(36 + 18 + 18 + 18);
    expect(plan.skipped.get(SKIP_SCTP)).toBe(12 + 6 + 6 + 6);
    expect(plan.probes.filter((p) => !p.expect).length).toBe(12); // 3 sources × 2 families × (TCP 81, UDP 80)
  });

  const cases = [
    ["nftables", handNftables()],
    ["iptables", handIptables()],
    ["ebpf", handEbpf()],
  ] as const;
  for (const [backend, artifacts] of cases)
    for (const loader of loadersFor(backend))
      it(`${loader.name}: the kernel agrees with allows() on every probe`, async () => {
        const r = await runScenario(topo, plan, loader, artifacts);
        console.log(
          formatSummary({
            loader: loader.name,
            scenarios: 1,
            probes: r.probes,
            mismatches: [...r.mismatches],
            skipped: new Map(plan.skipped),
            ms: 0,
          }),
        );
        expect(r.mismatches).toEqual([]);
      });

  it("catches a ruleset that forgets IPv6", async () => {
    const r = await runScenario(topo, plan, loadersFor("nftables")[0]!, handNftables(true));
    expect(r.mismatches.length).toBe(6); // 3 sources of IPv6 × (TCP 81, UDP 80)
    expect(r.mismatches.every((m) => m.probe.dst === SERVER_V6 && m.kernel && !m.probe.expect)).toBe(true);
  });

  it("ebpf fast tier: the program run on crafted packets (bpftool prog run) agrees with allows()", async () => {
    const family = (ip: string): boolean => ip.includes(":");
    const specs = plan.probes.map((p) => ({
      src: p.src ?? plan.slots[p.source]!.addrs.find((a) => family(a) === family(p.dst))!,
      dst: p.dst,
      proto: p.proto,
      sport: 40000,
      dport: p.port,
    }));
    const results = await runOnPackets(handEbpf(), specs);
    const misses = plan.probes.filter((p, i) => passes(results[i]!) !== p.expect);
    console.log(`kernel ebpf fast tier: 1 scenarios, ${specs.length} packets, ${misses.length} mismatches`);
    expect(misses).toEqual([]);
    expect(results.filter((r) => !passes(r))).toHaveLength(12);
  });
});
