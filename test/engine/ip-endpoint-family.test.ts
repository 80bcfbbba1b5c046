// Regression: an endpoint given as an IP fixes the flow's family, even when that IP is a pod's
// address (DESIGN §1 "with an IP endpoint, the family is that IP's"; docs/decisions.md #5).
// The engine used to resolve the IP to the pod and then take the pod↔pod rule (#6: the
// destination's primary family), so "from 10.0.0.2" could be decided as an IPv6 flow.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Flow } from "../../src/model/flow.ts";
import type { Pod } from "../../src/model/types.ts";
import { evaluate } from "../../src/reference/evaluate.ts";

const pod = (name: string, podIPs: string[]): Pod => ({
  namespace: "x",
  name,
  labels: { app: name },
  ports: [],
  hostNetwork: false,
  podIPs,
});

// b is dual-stack with an IPv6 primary; a is IPv4-only; d is dual-stack IPv4-primary.
// Ingress to b allows only the IPv4 block of a, so the family decides the verdict.
const cluster = makeCluster({
  pods: [pod("a", ["10.0.0.1"]), pod("b", ["fd00::2", "10.0.0.2"]), pod("d", ["10.0.0.4", "fd00::4"])],
  networkPolicies: [
    {
      namespace: "x",
      name: "b-from-v4",
      spec: {
        podSelector: { matchLabels: { app: "b" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/24" } }] }],
        egress: [],
      },
    },
  ],
});

const cases: [Flow, "allow" | "deny" | "unknown", 4 | 6 | undefined][] = [
  // By name: b's primary is IPv6 and a has no IPv6 address.
  [{ from: "x/a", to: "x/b", port: 80 }, "unknown", undefined],
  // By b's IPv4 address: an IPv4 flow, inside the allowed block.
  [{ from: "x/a", to: "10.0.0.2", port: 80 }, "allow", 4],
  // d named by its IPv6 address towards b: IPv6, outside the IPv4 block (was: IPv6 by b's primary anyway).
  [{ from: "fd00::4", to: "x/b", port: 80 }, "deny", 6],
  // d named by its IPv4 address towards b (IPv6 primary): IPv4 — the engine used to decide IPv6 and deny.
  [{ from: "10.0.0.4", to: "x/b", port: 80 }, "allow", 4],
  // Two addresses of different families: no family, even though both pods are dual-stack.
  [{ from: "10.0.0.4", to: "fd00::2", port: 80 }, "unknown", undefined],
];

describe("an IP endpoint fixes the flow's family (decisions #5)", () => {
  const table = compile(cluster);
  it.each(cases)("%j → %s", (flow, verdict, family) => {
    const got = table.decide(flow);
    expect(got.verdict).toBe(verdict);
    expect(got.family).toBe(family);
    expect(evaluate(cluster, flow).verdict).toBe(verdict);
    expect(table.explain(flow).verdict).toBe(verdict);
    const r = table.resolve(flow);
    if (r.ok)
      expect(table.decideIndex(r.src, r.dst, r.portIndex, r.variant)).toBe(
        verdict === "allow" ? 1 : verdict === "deny" ? 0 : 2,
      );
  });
});

// The resolver remembers addresses it has resolved (src/engine/resolve.ts): asking again, in any
// order, in another spelling of the same address, or after a bad reference, answers the same.
describe("addresses asked again answer the same", () => {
  it("in any order and spelling", () => {
    const fresh = cases.map(([flow]) => compile(cluster).decide(flow));
    const table = compile(cluster);
    for (const order of [[...cases].reverse(), cases, [...cases].reverse()])
      for (const [flow] of order)
        expect(table.decide(flow)).toEqual(fresh[cases.findIndex(([f]) => f === flow)]);
    // fd00:0:0::4 is d's fd00::4 spelled long; 10.0.0.9 is no pod's (an address class).
    expect(table.decide({ from: "fd00:0:0::4", to: "x/b", port: 80 })).toEqual(fresh[2]);
    expect(table.endpointIndex("fd00:0:0::4")).toBe(table.endpointIndex("fd00::4"));
    expect(table.endpointIndex("10.0.0.9")).toBe(table.endpointIndex("10.0.0.9"));
    expect(table.endpointIndex("10.0.0.9")).toBeGreaterThanOrEqual(table.ir.pods.length);
    for (let i = 0; i < 2; i++)
      expect(() => table.endpointIndex("nonsense")).toThrow(/neither namespace\/name nor an IP/);
  });
});
