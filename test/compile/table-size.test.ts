// The table's size grows with what the rules say, not with their product (issue: the hostile user),
// and past a budget the input is refused with an input error (docs/decisions.md #33). Sizes, not timings.
import { describe, expect, it } from "vitest";
import { compileIR } from "../../src/compile/compile-ir.ts";
import { compile } from "../../src/compile.ts";
import type { IRDirection, PolicyTableIR } from "../../src/ir/policy-table-ir.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import { InputError } from "../../src/model/input-error.ts";
import { CONFORMANCE_PROFILE } from "../../src/model/profile.ts";
import type { Cluster, NetworkPolicy, NetworkPolicyPort, Pod } from "../../src/model/types.ts";

/**
 * `pods` pods in one namespace; policy i selects pod i and allows ingress from and egress to `blocks`
 * /32s of its own (outside the pod network) on `ranges` TCP port ranges of its own
 * (bench/generate-hostile.ts, `hostile-<n>`, in small).
 */
function hostile(pods: number, blocks: number, ranges: number): Cluster {
  const ip = (k: number): string => `100.${64 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`;
  const ps: Pod[] = [];
  const policies: NetworkPolicy[] = [];
  for (let i = 0; i < pods; i++) {
    const id = `w-${i}`;
    ps.push({
      namespace: "tenant",
      name: id,
      labels: { workload: id },
      ports: [],
      hostNetwork: false,
      podIPs: [`10.1.${i >> 8}.${i & 255}`],
    });
    const peers = Array.from({ length: blocks }, (_, j) => ({
      ipBlock: { cidr: `${ip(i * blocks + j)}/32` },
    }));
    const ports: NetworkPolicyPort[] = Array.from({ length: ranges }, (_, j) => {
      const start = 1024 + 2 * (i * ranges + j);
      return { protocol: "TCP", port: start, endPort: start + 1 + ((i + j) % 50) };
    });
    policies.push({
      namespace: "tenant",
      name: `allow-${id}`,
      spec: {
        podSelector: { matchLabels: { workload: id } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: peers, ports }],
        egress: [{ to: peers, ports }],
      },
    });
  }
  return makeCluster({ namespaces: [{ name: "tenant", labels: {} }], pods: ps, networkPolicies: policies });
}

/** Ints the IR's cells take: dense cells, sparse exceptions (class and row), local cells and port-row runs. */
function cellInts(ir: PolicyTableIR): number {
  const dir = (d: IRDirection): number =>
    d.globalCells.length +
    d.sparseClass.length +
    d.sparseRow.length +
    d.sparseDefault.length +
    d.localCells.length;
  return dir(ir.egress) + dir(ir.ingress) + ir.runClass.length + ir.runOutcome.length + ir.rowStart.length;
}

describe("table size", () => {
  it("1,000 single-pod policies × 20 /32s × 20 port ranges: the IR holds what the rules say, not their product", () => {
    const cluster = hostile(1000, 20, 20);
    const { ir } = compileIR(cluster, CONFORMANCE_PROFILE);
    const classes = ir.egress.globalClassCount;
    const groups = ir.egress.groupRules.length;
    // The product the dense layout would hold: groups × peer classes per direction (~20 M each).
    expect(groups * classes).toBeGreaterThan(20_000_000);
    // What the rules say: per policy and direction 20 addresses and 20 ranges (each range cuts a
    // few port classes). Bounded by a small multiple of that (about 89,000 ints at 81c22c3), so under 2% of the product.
    const said = 1000 * 2 * (20 + 20);
    expect(cellInts(ir), `cell ints ${cellInts(ir)}`).toBeLessThan(4 * said);
    expect(cellInts(ir)).toBeGreaterThan(said); // the exceptions are there: every /32 of every policy
    // The answers are the rules': pod 0 may reach its own /32 on its own range, not pod 1's.
    const table = compile(cluster);
    expect(table.allows({ from: "tenant/w-0", to: "100.64.0.0", port: 1024 })).toBe(true);
    expect(table.allows({ from: "tenant/w-0", to: "100.64.0.20", port: 1024 })).toBe(false);
    expect(table.allows({ from: "tenant/w-1", to: "100.64.0.20", port: 1064 })).toBe(true);
  });

  it("past the cell budget, compile refuses the input with an error naming a policy and the direction", () => {
    const cluster = hostile(40, 4, 2);
    expect(() => compile(cluster)).not.toThrow();
    let error: unknown;
    try {
      compile(cluster, { cellBudget: 50 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0]!;
    expect(issue.code).toBe("table-too-large");
    expect(issue.object).toMatch(/^NetworkPolicy tenant\/allow-w-\d+$/);
    expect(issue.path).toMatch(/^spec\.(egress|ingress)$/);
    expect(issue.message).toContain("50 cells");
  });

  it("a budget the table fits in changes nothing", () => {
    const cluster = hostile(40, 4, 2);
    const { ir } = compileIR(cluster, CONFORMANCE_PROFILE);
    const fitted = compile(cluster, { cellBudget: cellInts(ir) });
    expect(fitted.allows({ from: "tenant/w-3", to: "100.64.0.12", port: 1036 })).toBe(
      compile(cluster).allows({ from: "tenant/w-3", to: "100.64.0.12", port: 1036 }),
    );
  });
});
