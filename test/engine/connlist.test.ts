// The connectivity list against two slower answers on random clusters of every tier: the same
// table asked pod pair by pod pair on every port class (no identities), and the reference
// evaluator at the first port of every class.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { connectionList } from "../../src/engine/connlist.ts";
import { ALLOW } from "../../src/engine/policy-table.ts";
import { type Connections, connectionsText } from "../../src/model/connections.ts";
import { PROTOCOLS, type Protocol } from "../../src/model/types.ts";
import { parseIP } from "../../src/net/ip.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { clusterArbOf } from "../arbitraries.ts";

const RUNS = Number(process.env.LIST_RUNS ?? 150);
const PROFILES = ["conformance", "ipblock-external", "netpol-analyzer"] as const;
const clusters = clusterArbOf({
  maxPods: 5,
  maxPolicies: 3,
  maxRules: 3,
  tiers: { maxClusterPolicies: 3, maxClusterRules: 4 },
});

/** Whether `port` of `protocol` is in `conns`. */
function allows(conns: Connections | undefined, protocol: Protocol, port: number): boolean {
  if (conns === undefined) return false;
  if (conns === "All Connections") return true;
  return (conns[protocol] ?? []).some(([a, b]) => a <= port && port <= b);
}

describe("netpol list", () => {
  it("equals the pair-by-pair, port-by-port answer of the same table, and the reference", () => {
    let listed = 0;
    fc.assert(
      fc.property(clusters, (cluster) => {
        for (const profile of PROFILES) {
          const table = compile(cluster, { profile });
          const ir = table.ir;
          const list = connectionList(table);
          const got = new Map<string, Connections>();
          for (const c of list.connections()) got.set(`${c.src} => ${c.dst}`, c.conns);
          listed += got.size;
          const P = ir.pods.length;
          // Each endpoint of the list with its members (endpoint indices), brute force.
          const members = list.endpoints.map((e) => {
            if (e.type === "workload") return e.pods.map((p) => ir.pods.indexOf(p));
            const value = (t: string): bigint => parseIP(t)!.value;
            const out: number[] = [];
            ir.addressClasses.forEach((c, j) => {
              const first = BigInt(c.first);
              if (c.family === e.family && e.ranges.some(([a, b]) => value(a) <= first && first <= value(b)))
                out.push(P + j);
            });
            return out;
          });
          for (let s = 0; s < list.endpoints.length; s++)
            for (let d = 0; d < list.endpoints.length; d++) {
              const src = list.endpoints[s]!;
              const dst = list.endpoints[d]!;
              if (s === d || (src.type === "external" && dst.type === "external")) continue;
              const conns = got.get(`${src.name} => ${dst.name}`);
              for (const protocol of PROTOCOLS) {
                const starts = ir.portClassStarts[protocol];
                for (let c = 0; c < starts.length; c++) {
                  const k = ir.portClassOffset[protocol] + c;
                  const port = Math.max(1, starts[c]!);
                  if (c + 1 < starts.length && starts[c + 1]! <= port) continue; // class {0} only
                  let any = false;
                  for (const a of members[s]!)
                    for (const b of members[d]!)
                      if (a !== b && table.decideIndex(a, b, k) === ALLOW) any = true;
                  expect(
                    allows(conns, protocol, port),
                    `${profile}: ${src.name} => ${dst.name} ${protocol}/${port} (list: ${conns === undefined ? "none" : connectionsText(conns)})`,
                  ).toBe(any);
                  // The reference, for pods (each a workload of its own here) by name.
                  if (
                    src.type === "workload" &&
                    dst.type === "workload" &&
                    src.pods.length === 1 &&
                    dst.pods.length === 1
                  ) {
                    const v = evaluate(
                      cluster,
                      { from: src.pods[0]!, to: dst.pods[0]!, port, protocol },
                      profile,
                    );
                    if (v.verdict !== "unknown")
                      expect(
                        v.verdict === "allow",
                        `reference ${profile} ${src.name} => ${dst.name} ${protocol}/${port}`,
                      ).toBe(any);
                  }
                }
              }
            }
        }
      }),
      { numRuns: RUNS },
    );
    expect(listed).toBeGreaterThan(0);
  });
});
