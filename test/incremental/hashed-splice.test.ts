// A splice into a table whose query view is hashed (pack-hashed.ts: tables too large to pack)
// inserts the twin's record as the packed view does, instead of packing the table again: the
// answers equal a hashed view packed from the spliced IR, for every endpoint pair and port class.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { insertRecord, removeRecord } from "../../src/engine/pack-splice.ts";
import { PolicyTable } from "../../src/engine/policy-table.ts";
import { addressCountsOf } from "../../src/incremental/address-counts.ts";
import { findTwin } from "../../src/incremental/find-twin.ts";
import { selectorIndex } from "../../src/incremental/selectors-seen.ts";
import { spliceOut, spliceTwin } from "../../src/incremental/splice-pod.ts";
import { withoutPod, withPod } from "../../src/model/cluster.ts";
import { clusterArbOf } from "../arbitraries.ts";

const clusters = clusterArbOf({ maxPods: 5, maxPolicies: 3, maxRules: 2 });
const HASHED = { packLimit: 0 } as const;

function sameAnswers(a: PolicyTable, b: PolicyTable): void {
  expect(a.view).toBe("hashed");
  expect(a.endpointCount).toBe(b.endpointCount);
  for (let s = 0; s < b.endpointCount; s++)
    for (let d = 0; d < b.endpointCount; d++)
      for (let k = 0; k < b.ir.portClassCount; k++)
        if (a.decideIndex(s, d, k) !== b.decideIndex(s, d, k)) expect.fail(`decideIndex(${s}, ${d}, ${k})`);
}

describe("a splice into a hashed view", () => {
  it("answers as the spliced IR packed hashed", () => {
    let spliced = 0;
    fc.assert(
      fc.property(clusters, (cluster) => {
        const pod = cluster.pods.find(
          (p) => p.workload === undefined && !p.hostNetwork && p.podIPs.length === 1,
        );
        if (pod === undefined || pod.podIPs[0]!.includes(":")) return;
        const clone = { ...pod, name: `${pod.name}-c`, podIPs: [pod.podIPs[0]!.replace(/\d+$/, "250")] };
        if (cluster.pods.some((p) => p.podIPs.includes(clone.podIPs[0]!))) return;
        const table = new PolicyTable(compile(cluster).ir, [], HASHED);
        const after = withPod(cluster, clone);
        const at = after.pods.findIndex((p) => p.name === clone.name && p.namespace === clone.namespace);
        const context = { selectors: () => selectorIndex(after), counts: addressCountsOf(cluster.pods) };
        const twin = findTwin(table.ir, cluster.pods, clone, at, 0, context);
        if (twin < 0 || twin >= at) return;
        spliced++;
        const ir = spliceTwin(table.ir, after, clone, at, twin);
        const grown = table.withView(ir, [], (packed, n) => insertRecord(ir, packed, n, at, twin));
        sameAnswers(grown, new PolicyTable(ir, [], HASHED));
        // And back out again.
        const back = spliceOut(ir, withoutPod(after, clone.namespace, clone.name), at);
        sameAnswers(
          grown.withView(back, [], (packed, n) => removeRecord(packed, n, at)),
          new PolicyTable(back, [], HASHED),
        );
      }),
      { numRuns: 150 },
    );
    expect(spliced).toBeGreaterThan(10);
  });
});
