// The query's layout (src/engine/pack-table.ts): same-namespace folding is bounded per namespace,
// and a namespace over the bound stays split — with the same answers as the folded layout and the
// reference evaluator. (The differential property forces the split layout on random clusters; this
// reaches it the way a real cluster would: one big namespace with many distinct policy sets.)
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.ts";
import { FOLD_BUDGET, packTable } from "../../src/engine/pack-table.ts";
import { PolicyTable } from "../../src/engine/policy-table.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { NetworkPolicy, Pod } from "../../src/model/types.ts";
import { evaluate } from "../../src/reference/evaluate.ts";

const N = 240;
const pods: Pod[] = Array.from({ length: N }, (_, i) => ({
  namespace: "big",
  name: `p${i}`,
  labels: { app: `a${i}`, ring: `r${i % 7}` },
  ports: [],
  hostNetwork: false,
  podIPs: [`10.1.${i >> 8}.${i & 255}`],
}));
// Policy i isolates pod i (ingress) and lets in its two ring neighbours and one label group: every
// isolated pod is its own group with its own local rule set, and every pod its own local class.
const policies: NetworkPolicy[] = Array.from({ length: (3 * N) / 4 }, (_, i) => ({
  namespace: "big",
  name: `only-${i}`,
  spec: {
    podSelector: { matchLabels: { app: `a${i}` } },
    policyTypes: ["Ingress"],
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: `a${(i + 1) % N}` } } }] },
      {
        from: [{ podSelector: { matchLabels: { app: `a${(i + 2) % N}` } } }],
        ports: [{ protocol: "TCP", port: 80 }],
      },
      {
        from: [{ podSelector: { matchLabels: { ring: `r${i % 7}` } } }],
        ports: [{ protocol: "TCP", port: 443 }],
      },
    ],
    egress: [],
  },
}));
const cluster = makeCluster({ pods, networkPolicies: policies });

describe("pack-table: same-namespace folding", () => {
  const table = compile(cluster);
  const packed = packTable(table.ir);

  it("a namespace whose folded blocks exceed the budget stays split, and memory stays bounded", () => {
    expect(packed.split).toBeGreaterThanOrEqual(1);
    // Split: the cells are the IR's own plus the all-allow block, nothing per (group × class).
    const irCells = ["egress", "ingress"].reduce((n, d) => {
      const dir = table.ir[d as "egress" | "ingress"];
      return n + dir.globalCells.length + dir.localCells.length;
    }, 0);
    expect(packed.cells.length).toBeLessThan(irCells + 2 * FOLD_BUDGET(N));
    // With an unlimited budget the same namespace folds, at a size that the bound would refuse.
    const folded = packTable(table.ir, { foldBudget: () => Number.MAX_SAFE_INTEGER });
    expect(folded.split).toBe(0);
    expect(folded.cells.length).toBeGreaterThan(irCells + FOLD_BUDGET(N));
  });

  it("split and folded layouts give the reference evaluator's answers", () => {
    const folded = new PolicyTable(table.ir, [], { foldBudget: () => Number.MAX_SAFE_INTEGER });
    let checked = 0;
    let allowed = 0;
    for (let i = 0; i < N; i += 3)
      for (let j = 0; j < N; j += 5)
        for (const port of [80, 443, 8080]) {
          const flow = { from: `big/p${i}`, to: `big/p${j}`, port };
          const want = evaluate(cluster, flow).verdict;
          expect(table.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
          expect(folded.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
          checked++;
          if (want === "allow") allowed++;
        }
    // Both answers occur, or the comparison would prove little.
    expect(allowed).toBeGreaterThan(checked / 20);
    expect(allowed).toBeLessThan(checked);
  });
});
