// The reachability pass of the bench (bench/reachability.ts): its cross-namespace part reads each
// source class's column of ingress rows once, folds a class group's destinations that read one row
// into a count, and skips the AND where a row allows every class. Checked here against the plain
// double loop over every (source identity, destination identity) pair, on random tiered clusters
// (one-word masks; those with address-less pods the pass refuses are left out) and on the bench's S-admin scenario (8 words per mask).
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { crossIdentities, variantClasses } from "../../bench/reach-identities.ts";
import { reachRows } from "../../bench/reach-rows.ts";
import { reachabilityIndex } from "../../bench/reachability.ts";
import { scaleSpec } from "../../bench/scales.ts";
import { compile } from "../../src/compile.ts";
import { type IRDirection, KIND_POD, type PolicyTableIR } from "../../src/ir/policy-table-ir.ts";
import { blockRow } from "../../src/ir/read-table.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { Cluster, NetworkPolicy, NetworkPolicyPort, Pod } from "../../src/model/types.ts";
import { clusterArb, tieredClusterArb } from "../arbitraries.ts";

/** The cross-namespace row of `subject` towards `peer` in variant v, read from the IR (ALL: not a pod; NONE: no class). */
function crossRow(
  ir: PolicyTableIR,
  dir: IRDirection,
  subject: number,
  peer: number,
  v: number,
  rows: { readonly ALL: number; readonly NONE: number },
): number {
  if (ir.kind[subject] !== KIND_POD) return rows.ALL;
  const E = ir.kind.length;
  const c = dir.globalClass[v * E + peer]!;
  return c < 0 ? rows.NONE : blockRow(dir, dir.group[subject]!, c);
}

/** Every identity pair read one by one: the pairs allowing some class and the sum of their masks' words. */
function naiveCross(ir: PolicyTableIR): { allowed: number; checksum: number } {
  const rows = reachRows(ir);
  const vc = variantClasses(ir);
  const x = crossIdentities(ir, vc, rows.ALL, rows.NONE);
  const VC = vc.rep.length;
  let allowed = 0;
  let checksum = 0;
  for (let a = 0; a < x.src.ids.rep.length; a++)
    for (let b = 0; b < x.dst.ids.rep.length; b++) {
      const s = x.src.ids.rep[a]!;
      const d = x.dst.ids.rep[b]!;
      const v = vc.pairVariant[vc.of[s]! * VC + vc.of[d]!]!;
      if (v < 0 || (ir.kind[s] !== KIND_POD && ir.kind[d] !== KIND_POD)) continue;
      const er = rows.rows[crossRow(ir, ir.egress, s, d, v, rows)]!;
      const irow = rows.rows[crossRow(ir, ir.ingress, d, s, v, rows)]!;
      let any = 0;
      for (let w = 0; w < rows.W; w++) {
        const m = er[w]! & irow[w]!;
        any |= m;
        checksum = (checksum + m) | 0;
      }
      if (any !== 0) allowed++;
    }
  return { allowed, checksum };
}

/** Address-less pods that the pod range leaves open (join classes): the pass does not take them. */
const hasJoinClasses = (ir: PolicyTableIR): boolean =>
  [ir.egress.joinClass, ir.ingress.joinClass].some((j) => j.some((c) => c >= 0));

/** Both ways of reading sparse blocks: made dense (the default for small tables) and in place. */
function expectCrossLikeNaive(ir: PolicyTableIR): void {
  const naive = naiveCross(ir);
  for (const denseInts of [undefined, 0]) {
    const counts = reachabilityIndex(ir, denseInts).run();
    expect(counts.crossAllowed, `denseInts ${denseInts}`).toBe(naive.allowed);
    expect(counts.crossChecksum, `denseInts ${denseInts}`).toBe(naive.checksum);
    // The whole pass agrees with itself either way.
    expect(counts).toEqual(reachabilityIndex(ir).run());
  }
}

/**
 * The adversarial scenario in small (bench/generate-hostile.ts): `pods` pods in two namespaces,
 * policy i selecting pod i with `blocks` /32s of its own, the next pod's address and `ranges` port
 * ranges of its own, both directions — blocks the IR stores sparse, with exceptions at address
 * and at pod classes, address sources by the hundred. Every third pod has no policy, and an admin
 * policy denies some of the /32s to and from every pod: sparse blocks whose default row allows.
 * `one-namespace`: the adversarial shape — one namespace, no pod peers by address — with a pod in
 * four without a policy, one in four isolated for ingress only, one in five also allowing ingress
 * from its namespace on its ports: identities whose same-namespace rows differ, by direction too.
 */
function hostile(
  pods: number,
  blocks: number,
  ranges: number,
  shape: "mixed" | "one-namespace" = "mixed",
): Cluster {
  const mixed = shape === "mixed";
  const ip = (k: number): string => `100.64.${k >> 8}.${k & 255}`;
  const namespace = (i: number): string => (!mixed || i % 2 === 0 ? "a" : "b");
  const ps: Pod[] = [];
  const policies: NetworkPolicy[] = [];
  const podIP = (i: number): string => `10.1.0.${(i % pods) + 1}`;
  for (let i = 0; i < pods; i++) {
    const id = `w-${i}`;
    ps.push({
      namespace: namespace(i),
      name: id,
      labels: { workload: id },
      ports: [],
      hostNetwork: false,
      podIPs: [podIP(i)],
    });
    if (mixed ? i % 3 === 2 : i % 4 === 3) continue;
    const peers = Array.from({ length: blocks }, (_, j) => ({
      ipBlock: { cidr: `${ip(i * blocks + j)}/32` },
    }));
    if (mixed) peers.push({ ipBlock: { cidr: `${podIP(i + 1)}/32` } });
    const ports: NetworkPolicyPort[] = Array.from({ length: ranges }, (_, j) => {
      const start = 1024 + 4 * (i * ranges + j);
      return { protocol: "TCP", port: start, endPort: start + 1 + ((i + j) % 3) };
    });
    policies.push({
      namespace: namespace(i),
      name: `allow-${id}`,
      spec: {
        podSelector: { matchLabels: { workload: id } },
        // One namespace: some policies isolate ingress only, some allow it from the namespace too.
        policyTypes: !mixed && i % 4 === 1 ? ["Ingress"] : ["Ingress", "Egress"],
        ingress: [
          { from: peers, ports },
          ...(!mixed && i % 5 === 0 ? [{ from: [{ podSelector: {} }], ports }] : []),
        ],
        egress: [{ to: peers, ports }],
      },
    });
  }
  return makeCluster({
    namespaces: [
      { name: "a", labels: {} },
      { name: "b", labels: {} },
    ],
    pods: ps,
    networkPolicies: policies,
    clusterNetworkPolicies: [
      {
        kind: "ClusterNetworkPolicy",
        name: "deny-some",
        tier: "Admin",
        priority: 10,
        subject: { namespaces: {} },
        ingress: [{ action: "Deny", peers: [{ networks: [`${ip(1)}/32`, `${ip(3 * blocks + 2)}/32`] }] }],
        egress: [{ action: "Deny", peers: [{ networks: [`${ip(0)}/32`, `${ip(3 * blocks + 1)}/32`] }] }],
      },
    ],
  });
}

/** Whether some global block of the IR is stored sparse. */
const hasSparse = (ir: PolicyTableIR): boolean =>
  [ir.egress, ir.ingress].some((d) => d.sparseDefault.length > 0);

describe("reachability's cross-namespace part", () => {
  test.prop([clusterArb], { numRuns: 150 })("matches the pair-by-pair loop (NetworkPolicies)", (cluster) => {
    const { ir } = compile(cluster);
    fc.pre(!hasJoinClasses(ir));
    expectCrossLikeNaive(ir);
  });
  test.prop([tieredClusterArb], { numRuns: 150 })("matches the pair-by-pair loop (every tier)", (cluster) => {
    const { ir } = compile(cluster);
    fc.pre(!hasJoinClasses(ir));
    expectCrossLikeNaive(ir);
  });
  for (const [pods, blocks, ranges] of [
    [30, 6, 6],
    [24, 4, 24],
  ] as const)
    it(`matches it on sparse blocks: ${pods} pods × ${blocks} /32s × ${ranges} port ranges`, () => {
      const ir = compile(hostile(pods, blocks, ranges)).ir;
      expect(hasSparse(ir)).toBe(true);
      expect(reachRows(ir).W).toBeGreaterThan(1);
      expectCrossLikeNaive(ir);
    });
  it("folds same-namespace identities alike without changing a count (adversarial's shape: 100 pods, one namespace)", () => {
    const ir = compile(hostile(100, 3, 2, "one-namespace")).ir;
    expect(reachRows(ir).W).toBeGreaterThan(1);
    const folded = reachabilityIndex(ir).run();
    expect(folded).toEqual(reachabilityIndex(ir, undefined, false).run());
    // Enough identities in the namespace for the fold to be tried (reach-namespace.ts MIN_FOLD).
    expect(folded.namespaceIdentities).toBeGreaterThanOrEqual(64);
  });
  it("matches it on S, whose masks are one word and class groups large (the memo across source classes)", () => {
    const ir = compile(scaleSpec("S").build()).ir;
    expect(reachRows(ir).W).toBe(1);
    expectCrossLikeNaive(ir);
  });
  it("matches it on S-admin, whose masks are 8 words", () => {
    const ir = compile(scaleSpec("S-admin").build()).ir;
    expect(reachRows(ir).W).toBeGreaterThan(1);
    expectCrossLikeNaive(ir);
  });
});
