// The query's layout (src/engine/pack-table.ts): same-namespace folding is bounded per namespace,
// and a namespace over the bound stays split — with the same answers as the folded layout and the
// reference evaluator. (The differential property forces the split layout on random clusters; this
// reaches it the way a real cluster would: one big namespace with many distinct policy sets.)
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
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

  it("split and folded layouts, packed and hashed, give the reference evaluator's answers", () => {
    const folded = new PolicyTable(table.ir, [], { foldBudget: () => Number.MAX_SAFE_INTEGER });
    // The hashed view (packLimit 0) with this namespace split (the default budget) and folded.
    const hashed = new PolicyTable(table.ir, [], { packLimit: 0 });
    const hashedFolded = new PolicyTable(table.ir, [], {
      packLimit: 0,
      foldBudget: () => Number.MAX_SAFE_INTEGER,
    });
    expect([hashed.view, hashedFolded.view, table.view]).toEqual(["hashed", "hashed", "packed"]);
    expect(packTable(table.ir, { packLimit: 0 }).split).toBeGreaterThanOrEqual(1);
    let checked = 0;
    let allowed = 0;
    for (let i = 0; i < N; i += 3)
      for (let j = 0; j < N; j += 5)
        for (const port of [80, 443, 8080]) {
          const flow = { from: `big/p${i}`, to: `big/p${j}`, port };
          const want = evaluate(cluster, flow).verdict;
          expect(table.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
          expect(folded.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
          expect(hashed.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
          expect(hashedFolded.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
          checked++;
          if (want === "allow") allowed++;
        }
    // Both answers occur, or the comparison would prove little.
    expect(allowed).toBeGreaterThan(checked / 20);
    expect(allowed).toBeLessThan(checked);
  });
});

describe("pack-table: port rows wider than one 32-bit word", () => {
  // 40 policies, each allowing one port from one app: more than 32 port classes per protocol, so a
  // cell takes two words and the query picks the word by portIndex >>> 5.
  const apps = ["a", "b", "c"];
  const wide = makeCluster({
    pods: apps.flatMap((app, k) =>
      [0, 1].map((n) => ({
        namespace: n === 0 ? "one" : "two",
        name: `${app}${n}`,
        labels: { app },
        ports: [],
        hostNetwork: false,
        podIPs: [`10.2.${k}.${n + 1}`],
      })),
    ),
    networkPolicies: Array.from({ length: 40 }, (_, i) => ({
      namespace: i % 2 === 0 ? "one" : "two",
      name: `port-${i}`,
      spec: {
        podSelector: { matchLabels: { app: apps[i % 3]! } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: apps[(i + 1) % 3]! } }, namespaceSelector: {} }],
            ports: [{ protocol: "TCP", port: 1000 + 10 * i }],
          },
        ],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { app: apps[(i + 2) % 3]! } } }],
            ports: [{ protocol: "TCP", port: 1000 + 10 * i }],
          },
        ],
      },
    })),
  });

  it("agrees with the reference evaluator on every pair and port, folded and split, packed and hashed", () => {
    const table = compile(wide);
    expect(packTable(table.ir).words).toBeGreaterThan(1);
    const split = new PolicyTable(table.ir, [], { foldBudget: () => 0 });
    const others = [
      split,
      new PolicyTable(table.ir, [], { packLimit: 0 }),
      new PolicyTable(table.ir, [], { packLimit: 0, foldBudget: () => 0 }),
    ];
    const names = wide.pods.map((p) => `${p.namespace}/${p.name}`);
    let allowed = 0;
    for (const from of names)
      for (const to of names)
        for (let i = 0; i < 40; i++)
          for (const port of [1000 + 10 * i, 1005 + 10 * i]) {
            const flow = { from, to, port };
            const want = evaluate(wide, flow).verdict;
            expect(table.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
            for (const other of others) expect(other.decide(flow).verdict, JSON.stringify(flow)).toBe(want);
            if (want === "allow") allowed++;
          }
    expect(allowed).toBeGreaterThan(0);
  });
});

describe("index API bounds", () => {
  it.each([
    ["packed", {}],
    ["hashed", { packLimit: 0 }],
  ] as const)(
    "%s: an endpoint or port index out of range throws a RangeError instead of reading another record",
    (view, pack) => {
      const table = new PolicyTable(compile(cluster).ir, [], pack);
      expect(table.view).toBe(view);
      const E = table.endpointCount;
      const k = table.portIndex("TCP", 80);
      expect(table.allowsIndex(0, 1, k)).toBe(
        table.decide({ from: "big/p0", to: "big/p1", port: 80 }).verdict === "allow",
      );
      for (const [src, dst, port] of [
        [E, 0, k],
        [0, E, k],
        [-1, 0, k],
        [0, 0, table.ir.portClassCount],
        [0, 0, -1],
        // Not integers: NaN read as index 0 and fractions were truncated before.
        [Number.NaN, Number.NaN, Number.NaN],
        [Number.NaN, 1, k],
        [0, Number.NaN, k],
        [0, 1, Number.NaN],
        [0.5, 1, k],
        [0, 1.5, k],
        [0, 1, k + 0.25],
        [2 ** 32, 1, k],
        [Number.POSITIVE_INFINITY, 1, k],
      ] as const) {
        expect(() => table.allowsIndex(src, dst, port)).toThrow(RangeError);
        expect(() => table.decideIndex(src, dst, port)).toThrow(/endpoint indices are integers 0…/);
      }
    },
  );
});
