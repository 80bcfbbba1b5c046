// Address-less pods and the pod range (docs/decisions.md #46-#48): on random tiered clusters whose
// pods lose their addresses at random, with and without `podCIDRs` over and around the CIDRs the
// policies write, `decide`, `explain`, `matrix` and `allowsIndex` agree with the reference
// evaluator, which places the two pods at every piece of the pod range (cut at every CIDR boundary).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { PolicyTable } from "../../src/engine/policy-table.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Flow, Verdict } from "../../src/model/flow.ts";
import type { Cluster, NetworkPolicy } from "../../src/model/types.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { flowPortArb, ipBlockArb, tieredClusterArb } from "../arbitraries.ts";

const NUM_RUNS = Number(process.env.DIFF_POD_CIDR_RUNS ?? 500);
const PROFILES = ["conformance", "ipblock-external"] as const;

/** Pod ranges inside, around, across and beside the generator's CIDRs (arbitraries.ts `CIDRS`). */
const POD_CIDRS: readonly (readonly string[])[] = [
  [],
  [],
  [],
  ["10.0.0.0/24"],
  ["10.0.0.0/28"],
  ["10.0.0.4/30"],
  ["10.0.0.0/16"],
  ["10.0.0.0/8", "fd00::/48"],
  ["fd00::/120"],
  ["fd00::/64"],
  ["fd00::/112"],
  ["10.0.0.0/24", "fd00::/64"],
  ["192.168.0.0/16"],
];

const scenarioArb = fc
  .tuple(
    tieredClusterArb,
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
    fc.constantFrom(...POD_CIDRS),
    fc.array(flowPortArb, { minLength: 1, maxLength: 2 }),
    fc.option(fc.record({ block: ipBlockArb, egress: fc.boolean() }), { freq: 4 }),
  )
  .map(([cluster, keep, podCIDRs, ports, probe]) => {
    // Three pods in four lose their addresses (hostNetwork pods keep their node's).
    const pods = cluster.pods.map((p, i) => (p.hostNetwork || keep[i % 8] === 0 ? p : { ...p, podIPs: [] }));
    // A probe: a policy isolating every pod of one namespace, with an ipBlock as its only peer,
    // so that some verdicts hinge on a CIDR (random clusters mostly decide on labels).
    const networkPolicies: NetworkPolicy[] =
      probe === null
        ? [...cluster.networkPolicies]
        : [
            ...cluster.networkPolicies,
            {
              namespace: pods[0]!.namespace,
              name: "probe",
              spec: {
                podSelector: {},
                policyTypes: probe.egress ? ["Egress"] : ["Ingress"],
                ingress: probe.egress ? [] : [{ from: [{ ipBlock: probe.block }] }],
                egress: probe.egress ? [{ to: [{ ipBlock: probe.block }] }] : [],
              },
            },
          ];
    const c: Cluster = makeCluster({ ...cluster, pods, networkPolicies });
    const names = pods.map((p) => `${p.namespace}/${p.name}`);
    const flows: Flow[] = [];
    for (const { port, protocol } of ports)
      for (const from of names) for (const to of names) flows.push({ from, to, port, protocol });
    return { cluster: c, podCIDRs, flows };
  });

const stats = {
  addressLess: { allow: 0, deny: 0, unknown: 0 } as Record<Verdict, number>,
  flows: 0,
  /** Unknowns because of the pod range (conformance), by the families the range has. */
  unknownBy: new Map<string, number>(),
};

function disagreement(
  cluster: Cluster,
  podCIDRs: readonly string[],
  flows: readonly Flow[],
): string | undefined {
  for (const profile of PROFILES) {
    const table = compile(cluster, { profile, podCIDRs });
    const hashed = new PolicyTable(table.ir, [], { packLimit: 0 });
    const matrices = new Map<string, ReturnType<PolicyTable["matrixRows"]>>();
    for (const flow of flows) {
      const got = table.decide(flow);
      const want = evaluate(cluster, flow, profile, { podCIDRs });
      const r = table.resolve(flow);
      stats.flows++;
      if (profile === "conformance" && r.ok && r.variant === 2) {
        stats.addressLess[want.verdict]++;
        const v6 = podCIDRs.some((c) => c.includes(":"));
        const v4 = podCIDRs.some((c) => !c.includes(":"));
        const key = podCIDRs.length === 0 ? "none" : v4 && v6 ? "both" : v6 ? "IPv6" : "IPv4";
        if (want.verdict === "unknown" && /pod range/.test(want.reason ?? ""))
          stats.unknownBy.set(key, (stats.unknownBy.get(key) ?? 0) + 1);
      }
      const where = `${profile} podCIDRs ${JSON.stringify(podCIDRs)} ${JSON.stringify(flow)}`;
      if (got.verdict !== want.verdict)
        return `${where}: engine ${got.verdict} (${got.reason ?? "-"}), reference ${want.verdict} (${want.reason ?? "-"})`;
      if (table.explain(flow).verdict !== got.verdict) return `${where}: explain disagrees with decide`;
      if (hashed.decide(flow).verdict !== got.verdict) return `${where}: the hashed view disagrees`;
      if (r.ok && table.allowsIndex(r.src, r.dst, r.portIndex, r.variant) !== (got.verdict === "allow"))
        return `${where}: allowsIndex ${!(got.verdict === "allow")}, decide ${got.verdict}`;
      const key = `${flow.port}/${flow.protocol}`;
      let rows = matrices.get(key);
      if (rows === undefined) {
        rows = table.matrixRows({ port: flow.port, ...(flow.protocol ? { protocol: flow.protocol } : {}) });
        matrices.set(key, rows);
      }
      const inMatrix = rows.row(rows.pods.indexOf(flow.from))[rows.pods.indexOf(flow.to)];
      if (inMatrix !== got.verdict) return `${where}: matrix ${inMatrix}, decide ${got.verdict}`;
    }
  }
  return undefined;
}

describe("address-less pods and podCIDRs: compile ≡ reference", () => {
  it(`agrees on ${NUM_RUNS} tiered clusters with address-less pods, with and without a pod range`, () => {
    fc.assert(
      fc.property(scenarioArb, ({ cluster, podCIDRs, flows }) => {
        const d = disagreement(cluster, podCIDRs, flows);
        if (d !== undefined) throw new Error(`${d}\ncluster: ${JSON.stringify(cluster)}`);
      }),
      { numRuns: NUM_RUNS },
    );
    const v = stats.addressLess;
    const total = v.allow + v.deny + v.unknown;
    const share = (x: Verdict): number => v[x] / total;
    console.log(
      `pod-cidr differential: ${stats.flows} flows; between two address-less pods (conformance) ${total}: ` +
        `allow ${(100 * share("allow")).toFixed(1)}%, deny ${(100 * share("deny")).toFixed(1)}%, unknown ${(100 * share("unknown")).toFixed(1)}%` +
        `; unknown because of the pod range, by its families: ${[...stats.unknownBy].map(([k, n]) => `${k} ${n}`).join(", ")}`,
    );
    // A healthy share of unknowns, not dominated by them.
    expect(share("unknown")).toBeGreaterThanOrEqual(0.05);
    expect(share("unknown")).toBeLessThanOrEqual(0.6);
    expect(share("allow")).toBeGreaterThanOrEqual(0.15);
    expect(share("deny")).toBeGreaterThanOrEqual(0.05);
    // Every kind of range leaves some flows open (an IPv6-only range included).
    for (const kind of ["none", "IPv4", "IPv6", "both"])
      expect(stats.unknownBy.get(kind) ?? 0, `unknowns with ${kind} pod range`).toBeGreaterThanOrEqual(5);
  });
});
