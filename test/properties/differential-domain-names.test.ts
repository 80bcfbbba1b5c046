// domainNames offline (docs/decisions.md #31): the cells and the reference evaluator treat a
// `domainNames` peer as matching nothing; `decide` answers `unknown` for a flow from a pod to an
// address whose egress walk reaches a domainNames rule on its port before anything decides.
//
// "Reaches" is checked with the reference alone: for domainNames rule i (generated with that one
// peer), A_i replaces the peer by one matching every address (`networks: 0.0.0.0/0, ::/0`) and
// D_i does the same with action Deny. Towards an address ingress always allows, so the walk
// reaches rule i exactly when evaluate(A_i) = allow and evaluate(D_i) = deny (not reached: both
// equal the original answer).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import type { Flow } from "../../src/model/flow.ts";
import type { Cluster, ClusterNetworkPolicy, ClusterPolicyRule } from "../../src/model/types.ts";
import { resolveEndpoint } from "../../src/reference/endpoints.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { clusterArbOf, scenarioArbOf, TIERED_IPS } from "../arbitraries.ts";

/** Names an address may have: each pattern of DOMAIN_NAMES matched by some, missed by others (the apex too). */
const NAMES = [
  "api.example.com",
  "www.eu.example.com",
  "example.com",
  "db.internal",
  "API.Example.COM.",
  "other.org",
];

const PROFILES = ["conformance", "ipblock-external"] as const;
const NUM_RUNS = Number(process.env.DIFF_DOMAIN_RUNS ?? 300);
const EVERY_ADDRESS = ["0.0.0.0/0", "::/0"];

const domainClusterArb = clusterArbOf({
  maxPods: 6,
  maxPolicies: 3,
  maxRules: 3,
  tiers: { maxClusterPolicies: 3, maxClusterRules: 3, domainNames: true },
});

/** Each domainNames rule's two variants (A: Accept every address, D: Deny every address). */
function variants(cluster: Cluster): [Cluster, Cluster][] {
  const out: [Cluster, Cluster][] = [];
  const policies = cluster.clusterNetworkPolicies;
  for (let p = 0; p < policies.length; p++)
    for (let j = 0; j < policies[p]!.egress.length; j++) {
      const rule = policies[p]!.egress[j]!;
      if (rule.peers.every((peer) => peer.domainNames === undefined)) continue;
      const replaced = (action: ClusterPolicyRule["action"]): Cluster => {
        const r: ClusterPolicyRule = { ...rule, action, peers: [{ networks: EVERY_ADDRESS }] };
        const changed: ClusterNetworkPolicy[] = policies.map((q, i) =>
          i === p ? { ...q, egress: q.egress.map((x, k) => (k === j ? r : x)) } : q,
        );
        return { ...cluster, clusterNetworkPolicies: changed };
      };
      out.push([replaced("Accept"), replaced("Deny")]);
    }
  return out;
}

const counts = { flows: 0, podToAddress: 0, unknownByDomain: 0 };

function firstProblem(cluster: Cluster, flows: readonly Flow[]): string | undefined {
  const vs = variants(cluster);
  for (const profile of PROFILES) {
    const table = compile(cluster, { profile });
    for (const flow of flows) {
      counts.flows++;
      const want = evaluate(cluster, flow, profile);
      const got = table.decide(flow);
      const where = `${profile}: ${JSON.stringify(flow)}`;
      if (want.verdict === "unknown") {
        if (got.verdict !== "unknown")
          return `${where}: engine ${got.verdict}, reference unknown (${want.reason})`;
        continue;
      }
      // The cells: domainNames match nothing, as in the reference.
      const r = table.resolve(flow);
      if (r.ok && table.allowsIndex(r.src, r.dst, r.portIndex, r.variant) !== (want.verdict === "allow"))
        return `${where}: allowsIndex ${want.verdict === "allow" ? "denies" : "allows"}, reference ${want.verdict}`;
      const podToAddress =
        resolveEndpoint(cluster, flow.from).kind === "pod" &&
        resolveEndpoint(cluster, flow.to).kind !== "pod";
      if (podToAddress) counts.podToAddress++;
      const reached =
        podToAddress &&
        vs.some(
          ([a, d]) =>
            evaluate(a, flow, profile).verdict === "allow" && evaluate(d, flow, profile).verdict === "deny",
        );
      if (reached) counts.unknownByDomain++;
      const expected = reached ? "unknown" : want.verdict;
      if (got.verdict !== expected)
        return `${where}: engine ${got.verdict} (${got.reason ?? "-"}), expected ${expected} (reference ${want.verdict}${reached ? ", the egress walk reaches a domainNames rule" : ""})`;
    }
  }
  return undefined;
}

describe("domainNames offline: decide says unknown exactly where the walk reaches one (decisions #31)", () => {
  it(`holds on ${NUM_RUNS} clusters with domainNames rules, both profiles`, () => {
    fc.assert(
      fc.property(scenarioArbOf(domainClusterArb, TIERED_IPS, 3), ({ cluster, flows }) => {
        const problem = firstProblem(cluster, flows);
        if (problem !== undefined) throw new Error(`${problem}\ncluster: ${JSON.stringify(cluster)}`);
      }),
      { numRuns: NUM_RUNS },
    );
    console.log(
      `differential (domainNames): ${counts.flows} flow decisions, ${counts.podToAddress} pod → address, ` +
        `${counts.unknownByDomain} of them unknown because the walk reaches a domainNames rule`,
    );
    expect(counts.unknownByDomain / counts.podToAddress).toBeGreaterThanOrEqual(0.05);
    expect(counts.unknownByDomain / counts.podToAddress).toBeLessThanOrEqual(0.8);
  });
});

const withResolver = { flows: 0, accepted: 0 };

/** With a resolver, decide equals the reference given the same resolver on every flow (never unknown by domainNames). */
function resolverProblem(
  cluster: Cluster,
  flows: readonly Flow[],
  names: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  const domainNames = (ip: string): readonly string[] => names.get(ip) ?? [];
  for (const profile of PROFILES) {
    const table = compile(cluster, { profile, domainNames });
    const plain = compile(cluster, { profile });
    for (const flow of flows) {
      withResolver.flows++;
      const want = evaluate(cluster, flow, profile, { domainNames });
      const got = table.decide(flow);
      if (got.verdict !== want.verdict)
        return `${profile}: ${JSON.stringify(flow)}: engine ${got.verdict} (${got.reason ?? "-"}), reference ${want.verdict}`;
      const explained = table.explain(flow).verdict;
      if (explained !== got.verdict)
        return `${profile}: ${JSON.stringify(flow)}: explain ${explained}, decide ${got.verdict}`;
      if (got.verdict === "allow" && plain.decide(flow).verdict !== "allow") withResolver.accepted++;
    }
  }
  return undefined;
}

describe("domainNames with a resolver: decide and explain equal the reference (decisions #31)", () => {
  it(`holds on ${NUM_RUNS} clusters, names drawn per address`, () => {
    const namesArb = fc
      .array(fc.tuple(fc.constantFrom(...TIERED_IPS), fc.subarray(NAMES, { maxLength: 2 })), {
        maxLength: 12,
      })
      .map((pairs) => new Map(pairs));
    fc.assert(
      fc.property(scenarioArbOf(domainClusterArb, TIERED_IPS, 3), namesArb, ({ cluster, flows }, names) => {
        const problem = resolverProblem(cluster, flows, names);
        if (problem !== undefined)
          throw new Error(
            `${problem}\nnames: ${JSON.stringify([...names])}\ncluster: ${JSON.stringify(cluster)}`,
          );
      }),
      { numRuns: NUM_RUNS },
    );
    console.log(
      `differential (domainNames resolver): ${withResolver.flows} flow decisions, ${withResolver.accepted} allowed only through a resolved name`,
    );
    expect(withResolver.accepted).toBeGreaterThan(0);
  });
});
