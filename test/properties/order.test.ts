// Order independence (docs/architecture.md, Invariants): the same cluster written in any order —
// lists shuffled, label keys inserted in another order, matchLabels / matchExpressions / values /
// except lists permuted — compiles to a byte-identical table and the same diagnostics.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { serializeTable } from "../../src/engine/serialize-table.ts";
import { labelMap, makeCluster } from "../../src/model/cluster.ts";
import type {
  Cluster,
  IPBlock,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NetworkPolicy,
  NetworkPolicyPeer,
  Pod,
} from "../../src/model/types.ts";
import { clusterArb, tieredClusterArb } from "../arbitraries.ts";

/** A small deterministic PRNG (mulberry32), so that a failing seed reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(xs: readonly T[], r: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const labels = (l: Labels, r: () => number): Labels => labelMap(shuffled(Object.entries(l), r));

function selector(s: LabelSelector, r: () => number): LabelSelector {
  const out: { matchLabels?: Labels; matchExpressions?: readonly LabelSelectorRequirement[] } = {};
  if (s.matchLabels !== undefined) out.matchLabels = labels(s.matchLabels, r);
  if (s.matchExpressions !== undefined)
    out.matchExpressions = shuffled(s.matchExpressions, r).map((e) =>
      e.values === undefined ? { ...e } : { ...e, values: shuffled(e.values, r) },
    );
  return out;
}

function peer(p: NetworkPolicyPeer, r: () => number): NetworkPolicyPeer {
  const out: {
    podSelector?: LabelSelector;
    namespaceSelector?: LabelSelector;
    ipBlock?: IPBlock;
  } = {};
  if (p.podSelector !== undefined) out.podSelector = selector(p.podSelector, r);
  if (p.namespaceSelector !== undefined) out.namespaceSelector = selector(p.namespaceSelector, r);
  if (p.ipBlock !== undefined)
    out.ipBlock =
      p.ipBlock.except === undefined
        ? { cidr: p.ipBlock.cidr }
        : { cidr: p.ipBlock.cidr, except: shuffled(p.ipBlock.except, r) };
  return out;
}

const peers = (
  ps: readonly NetworkPolicyPeer[] | undefined,
  r: () => number,
): readonly NetworkPolicyPeer[] | undefined => ps?.map((p) => peer(p, r));

function policy(p: NetworkPolicy, r: () => number): NetworkPolicy {
  const s = p.spec;
  return {
    namespace: p.namespace,
    name: p.name,
    spec: {
      podSelector: selector(s.podSelector, r),
      policyTypes: shuffled(s.policyTypes, r),
      ingress: s.ingress.map((rule) => {
        const from = peers(rule.from, r);
        return { ...rule, ...(from === undefined ? {} : { from }) };
      }),
      egress: s.egress.map((rule) => {
        const to = peers(rule.to, r);
        return { ...rule, ...(to === undefined ? {} : { to }) };
      }),
    },
  };
}

/** The same cluster, written in another order (rule, peer, port and podIPs order carry meaning and stay). */
function reorder(c: Cluster, seed: number): Cluster {
  const r = rng(seed);
  return makeCluster({
    namespaces: shuffled(c.namespaces, r).map((n) => ({ name: n.name, labels: labels(n.labels, r) })),
    pods: shuffled(c.pods, r).map((p): Pod => ({ ...p, labels: labels(p.labels, r) })),
    networkPolicies: shuffled(c.networkPolicies, r).map((p) => policy(p, r)),
    // Admin/baseline policies in any input order (ties of tier and priority break by name,
    // decisions #25), their subjects' selectors and the nodes' labels written in another order.
    clusterNetworkPolicies: shuffled(c.clusterNetworkPolicies, r).map((p) => ({
      ...p,
      subject:
        "namespaces" in p.subject
          ? { namespaces: selector(p.subject.namespaces, r) }
          : {
              pods: {
                namespaceSelector: selector(p.subject.pods.namespaceSelector, r),
                podSelector: selector(p.subject.pods.podSelector, r),
              },
            },
    })),
    nodes: shuffled(c.nodes, r).map((n) => ({ ...n, labels: labels(n.labels, r) })),
  });
}

describe.each([
  ["NetworkPolicy", clusterArb],
  ["all tiers and nodes", tieredClusterArb],
] as const)("order independence (%s)", (_, arb) => {
  it("the same cluster in any order compiles to a byte-identical table and the same diagnostics", () => {
    fc.assert(
      fc.property(
        arb,
        fc.integer(),
        fc.constantFrom("conformance", "ipblock-external"),
        (c, seed, profile) => {
          const a = compile(c, { profile });
          const b = compile(reorder(c, seed), { profile });
          expect(serializeTable(b)).toBe(serializeTable(a));
          expect(b.diagnostics).toEqual(a.diagnostics);
        },
      ),
      { numRuns: 500 },
    );
  });
});
