// The render view answers as the table does: for random clusters of every tier (dual-stack,
// nodes, hostNetwork pods, ipBlocks/networks over pod IPs), the view's interpreter (what every
// backend renders) equals decide() on every pod pair in every shared family, from node and
// external addresses too, on fixed ports of each protocol.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { peerIntervals, renderPods } from "../../src/ir/read-render.ts";
import { PROTOCOLS } from "../../src/model/types.ts";
import { clusterArb, EXTERNAL_IPS, NODE_V4, NODE_V6, tieredClusterArb } from "../arbitraries.ts";
import { viewOracle } from "./view-oracle.ts";

const PORTS = [53, 80, 81, 8080, 9000] as const;

describe("render view", () => {
  it("equals decide() on every rendered flow (random clusters of every tier, both profiles)", () => {
    const counts = { allow: 0, deny: 0 };
    fc.assert(
      fc.property(
        fc.oneof(clusterArb, tieredClusterArb),
        fc.constantFrom("conformance", "ipblock-external"),
        (cluster, profile) => {
          const table = compile(cluster, { profile });
          const oracle = viewOracle(table.ir);
          const pods = renderPods(table.ir);
          const shared = new Set<string>();
          const seen = new Set<string>();
          for (const a of pods.flatMap((p) => [...p.v4, ...p.v6])) (seen.has(a) ? shared : seen).add(a);
          const sources = [
            ...pods.flatMap((p) => [...p.v4, ...p.v6].map((a) => ({ from: p.name, address: a }))),
            ...[...NODE_V4, ...NODE_V6, ...EXTERNAL_IPS].map((a) => ({ from: a, address: a })),
          ];
          for (const src of sources)
            for (const dst of pods)
              for (const to of [...dst.v4, ...dst.v6]) {
                if (
                  to.includes(":") !== src.address.includes(":") ||
                  shared.has(to) ||
                  shared.has(src.address)
                )
                  continue;
                if (src.from === dst.name || (!src.from.includes("/") && seen.has(src.from))) continue;
                for (const protocol of PROTOCOLS)
                  for (const port of PORTS) {
                    const d = table.decide({ from: src.from, to, port, protocol }).verdict;
                    if (d === "unknown") continue;
                    const got = oracle.allows(src.address, to, protocol, port);
                    counts[d]++;
                    expect(
                      got ? "allow" : "deny",
                      `${profile} ${src.from} (${src.address}) → ${to} ${protocol}/${port}`,
                    ).toBe(d);
                  }
              }
        },
      ),
      { numRuns: 300, seed: 20261204 },
    );
    expect(counts.allow).toBeGreaterThan(1000);
    expect(counts.deny).toBeGreaterThan(1000);
  });

  it("address intervals cover each family's whole space without overlap", () => {
    fc.assert(
      fc.property(tieredClusterArb, (cluster) => {
        const ir = compile(cluster).ir;
        for (const d of [0, 1])
          for (const f of [4, 6] as const) {
            const list = peerIntervals(ir, d, f);
            expect(list[0]!.firstValue).toBe(0n);
            expect(list[list.length - 1]!.lastValue).toBe((1n << BigInt(f === 4 ? 32 : 128)) - 1n);
            for (let i = 1; i < list.length; i++)
              expect(list[i]!.firstValue).toBe(list[i - 1]!.lastValue + 1n);
          }
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
