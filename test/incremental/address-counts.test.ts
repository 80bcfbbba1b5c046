// The address counts a compile state keeps for its splices: a value, so that states may branch —
// two changes applied to one state each see that state's pods, not the other's.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { serializeTable } from "../../src/engine/serialize-table.ts";
import { addressCountsOf, countOf, countsAfter } from "../../src/incremental/address-counts.ts";
import { applyChange, compileState } from "../../src/incremental/compile-state.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Pod } from "../../src/model/types.ts";

const pod = (name: string, ip: string): Pod => ({
  namespace: "shop",
  name,
  labels: { app: "web" },
  ports: [],
  hostNetwork: false,
  podIPs: [ip],
});
const cluster = makeCluster({
  namespaces: [{ name: "shop", labels: {} }],
  pods: [pod("a", "10.0.0.1")],
  networkPolicies: [
    {
      namespace: "shop",
      name: "web",
      spec: {
        podSelector: { matchLabels: { app: "web" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/24" } }] }],
        egress: [],
      },
    },
  ],
});

describe("address counts", () => {
  it("count each pod list's addresses, and update as a value", () => {
    const pods = [pod("a", "10.0.0.1"), pod("b", "10.0.0.1"), pod("c", "10.0.0.2")];
    const counts = addressCountsOf(pods);
    expect(countOf(counts, "10.0.0.1")).toBe(2);
    expect(addressCountsOf(pods, counts)).toBe(counts);
    expect(addressCountsOf([...pods], counts)).not.toBe(counts);
    const more = [...pods, pod("d", "10.0.0.2")];
    const after = countsAfter(counts, more, more[3]!, 1);
    expect(countOf(after, "10.0.0.2")).toBe(2);
    expect(countOf(counts, "10.0.0.2")).toBe(1);
    const fewer = countsAfter(after, pods, more[3]!, -1);
    expect(countOf(fewer, "10.0.0.2")).toBe(1);
    // Past the limit of changes kept beside the map, the counts are built again from the pods.
    let c = counts;
    let list: Pod[] = pods;
    for (let i = 0; i < 100; i++) {
      list = [...list, pod(`x${i}`, `10.0.1.${i}`)];
      c = countsAfter(c, list, list[list.length - 1]!, 1);
      expect(countOf(c, `10.0.1.${i}`)).toBe(1);
    }
    expect(c.delta.length).toBeLessThan(65);
  });

  it("let two changes branch from one state, each against its own pods", () => {
    const start = compileState(cluster);
    const one = applyChange(start, { type: "pod-put", pod: pod("b", "10.0.0.2") });
    expect(one.applied).toBe("splice");
    // From `start`, 10.0.0.2 is free: a splice again; from `one`, it is b's: a compile.
    const other = applyChange(start, { type: "pod-put", pod: pod("c", "10.0.0.2") });
    expect(other.applied).toBe("splice");
    const shared = applyChange(one, { type: "pod-put", pod: pod("c", "10.0.0.2") });
    expect(shared.applied).toBe("compile");
    for (const s of [one, other, shared])
      expect(serializeTable(s.table)).toBe(serializeTable(compile(s.cluster)));
    expect(shared.table.diagnostics).toEqual(compile(shared.cluster).diagnostics);
  });

  it("go on across relabels and compiles that move no address, and only those", () => {
    const start = compileState(cluster);
    // A pod no twin reads alike (its labels name a key a selector reads): a compile, with a new address.
    const odd = applyChange(start, {
      type: "pod-put",
      pod: { ...pod("b", "10.0.0.2"), labels: { app: "db" } },
    });
    expect(odd.applied).toBe("compile");
    // A twin of a on a free address: a splice, which counts odd's pods (b's 10.0.0.2 among them).
    const twin = applyChange(odd, { type: "pod-put", pod: pod("d", "10.0.0.3") });
    expect(twin.applied).toBe("splice");
    // A relabel moves no address: the counts go on to its pod list.
    const relabelled = applyChange(twin, {
      type: "pod-labels",
      namespace: "shop",
      name: "a",
      labels: { app: "web", v: "2" },
    });
    expect(relabelled.addresses?.pods).toBe(relabelled.cluster.pods);
    // So a twin of a on b's address is no splice: the address is shared.
    for (const s of [odd, twin, relabelled]) {
      const shared = applyChange(s, { type: "pod-put", pod: pod("c", "10.0.0.2") });
      expect(shared.applied).toBe("compile");
      expect(serializeTable(shared.table)).toBe(serializeTable(compile(shared.cluster)));
      expect(shared.table.diagnostics).toEqual(compile(shared.cluster).diagnostics);
    }
  });
});
