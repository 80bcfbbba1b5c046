// The immutable updates (src/model/cluster.ts) are exactly makeCluster of the edited lists: same
// value, same compiled table; the input is never modified; immer is used without global config.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { serializeTable } from "../../src/engine/serialize-table.ts";
import {
  labelMap,
  makeCluster,
  withNamespace,
  withNamespaceLabels,
  withoutNamespace,
  withoutPod,
  withoutPolicy,
  withPod,
  withPodLabels,
  withPolicy,
} from "../../src/model/cluster.ts";
import type { Cluster, Labels, Namespace, NetworkPolicy, Pod } from "../../src/model/types.ts";
import { clusterArb, NAMESPACE_NAMES } from "../arbitraries.ts";

type Edit = { name: string; apply: (c: Cluster) => Cluster; expected: (c: Cluster) => Cluster };

const same = (a: { namespace: string; name: string }, ns: string, name: string): boolean =>
  a.namespace === ns && a.name === name;
const lists = (c: Cluster) => ({
  namespaces: c.namespaces,
  pods: c.pods,
  networkPolicies: c.networkPolicies,
});

const nsNameArb = fc.constantFrom(...NAMESPACE_NAMES, "w");
const labelsArb: fc.Arbitrary<Labels> = fc
  .uniqueArray(fc.tuple(fc.constantFrom("app", "tier", "team"), fc.constantFrom("a", "b", "")), {
    selector: ([k]) => k,
    maxLength: 3,
  })
  .map((kv) => labelMap(kv));
const podArb: fc.Arbitrary<Pod> = fc.record({
  namespace: nsNameArb,
  name: fc.constantFrom("p0", "p1", "p9"),
  labels: labelsArb,
  ports: fc.constant([]),
  hostNetwork: fc.boolean(),
  podIPs: fc.constantFrom([], ["10.0.0.7"], ["10.0.0.1", "fd00::1"]),
});
const policyArb: fc.Arbitrary<NetworkPolicy> = fc.record({
  namespace: nsNameArb,
  name: fc.constantFrom("pol0", "pol9"),
  spec: fc.record({
    podSelector: fc.constantFrom({}, { matchLabels: labelMap({ app: "a" }) }),
    policyTypes: fc.constantFrom(["Ingress"] as const, ["Ingress", "Egress"] as const),
    ingress: fc.constantFrom([], [{}]),
    egress: fc.constantFrom([], [{ ports: [{ protocol: "TCP" as const, port: 80 }] }]),
  }),
});
const namespaceArb: fc.Arbitrary<Namespace> = fc.record({ name: nsNameArb, labels: labelsArb });

/** One random edit, paired with the makeCluster of the edited lists it must equal. */
const editArb = (c: Cluster): fc.Arbitrary<Edit> => {
  const podRef = fc.constantFrom(...c.pods.map((p) => [p.namespace, p.name] as const), [
    "w",
    "nope",
  ] as const);
  const polRef = fc.constantFrom(...c.networkPolicies.map((p) => [p.namespace, p.name] as const), [
    "w",
    "nope",
  ] as const);
  const existingPod = c.pods.length > 0 ? fc.constantFrom(...c.pods) : fc.constant(undefined);
  return fc.oneof(
    podArb.map(
      (pod): Edit => ({
        name: `withPod ${pod.namespace}/${pod.name}`,
        apply: (x) => withPod(x, pod),
        expected: (x) => makeCluster({ ...lists(x), pods: [...x.pods, pod] }),
      }),
    ),
    podRef.map(
      ([ns, name]): Edit => ({
        name: `withoutPod ${ns}/${name}`,
        apply: (x) => withoutPod(x, ns, name),
        expected: (x) => makeCluster({ ...lists(x), pods: x.pods.filter((p) => !same(p, ns, name)) }),
      }),
    ),
    policyArb.map(
      (policy): Edit => ({
        name: `withPolicy ${policy.namespace}/${policy.name}`,
        apply: (x) => withPolicy(x, policy),
        expected: (x) => makeCluster({ ...lists(x), networkPolicies: [...x.networkPolicies, policy] }),
      }),
    ),
    polRef.map(
      ([ns, name]): Edit => ({
        name: `withoutPolicy ${ns}/${name}`,
        apply: (x) => withoutPolicy(x, ns, name),
        expected: (x) =>
          makeCluster({ ...lists(x), networkPolicies: x.networkPolicies.filter((p) => !same(p, ns, name)) }),
      }),
    ),
    namespaceArb.map(
      (ns): Edit => ({
        name: `withNamespace ${ns.name}`,
        apply: (x) => withNamespace(x, ns),
        expected: (x) => makeCluster({ ...lists(x), namespaces: [...x.namespaces, ns] }),
      }),
    ),
    nsNameArb.map(
      (name): Edit => ({
        name: `withoutNamespace ${name}`,
        apply: (x) => withoutNamespace(x, name),
        expected: (x) =>
          makeCluster({
            namespaces: x.namespaces.filter((n) => n.name !== name),
            pods: x.pods.filter((p) => p.namespace !== name),
            networkPolicies: x.networkPolicies.filter((p) => p.namespace !== name),
          }),
      }),
    ),
    fc.tuple(existingPod, labelsArb).map(
      ([pod, labels]): Edit => ({
        name: `withPodLabels ${pod?.namespace}/${pod?.name}`,
        // An earlier edit may have removed the pod: then the update throws and the edit is a no-op here.
        apply: (x) =>
          pod === undefined || !x.pods.some((p) => same(p, pod.namespace, pod.name))
            ? x
            : withPodLabels(x, pod.namespace, pod.name, labels),
        expected: (x) =>
          pod === undefined || !x.pods.some((p) => same(p, pod.namespace, pod.name))
            ? x
            : makeCluster({
                ...lists(x),
                pods: x.pods.map((p) =>
                  same(p, pod.namespace, pod.name) ? { ...p, labels: labelMap(labels) } : p,
                ),
              }),
      }),
    ),
    fc.tuple(fc.constantFrom(...c.namespaces), labelsArb).map(
      ([ns, labels]): Edit => ({
        name: `withNamespaceLabels ${ns.name}`,
        apply: (x) =>
          x.namespaces.some((n) => n.name === ns.name) ? withNamespaceLabels(x, ns.name, labels) : x,
        expected: (x) =>
          !x.namespaces.some((n) => n.name === ns.name)
            ? x
            : makeCluster({
                ...lists(x),
                namespaces: x.namespaces.map((n) => (n.name === ns.name ? { name: n.name, labels } : n)),
              }),
      }),
    ),
  );
};

/** Plain, comparable data: null-prototype label maps and frozen immer output compare as plain JSON. */
const plain = (c: Cluster): string => JSON.stringify(c);

describe("with*/without* updates", () => {
  it("equal makeCluster of the edited lists, compile identically, and leave the input unmodified", () => {
    fc.assert(
      fc.property(
        clusterArb.chain((c) =>
          fc.tuple(fc.constant(c), fc.array(editArb(c), { minLength: 1, maxLength: 3 })),
        ),
        ([start, edits]) => {
          let c = start;
          for (const edit of edits) {
            const before = plain(c);
            const got = edit.apply(c);
            const want = edit.expected(c);
            expect(plain(c), `${edit.name} modified its input`).toBe(before);
            expect(got, edit.name).toEqual(want);
            expect(plain(got), edit.name).toBe(plain(want));
            expect(serializeTable(compile(got)), edit.name).toBe(serializeTable(compile(want)));
            c = got;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("label updates of a missing object throw RangeError", () => {
    const c = makeCluster({});
    expect(() => withPodLabels(c, "x", "a", {})).toThrow(RangeError);
    expect(() => withNamespaceLabels(c, "x", {})).toThrow(RangeError);
  });

  it("label maps stay null-prototype, so `constructor` or `__proto__` are ordinary keys", () => {
    const c = makeCluster({ namespaces: [{ name: "x", labels: {} }] });
    const d = withNamespaceLabels(c, "x", labelMap([["constructor", "v"]]));
    expect(Object.getPrototypeOf(d.namespaces[0]!.labels)).toBe(null);
    expect(Object.hasOwn(d.namespaces[0]!.labels, "constructor")).toBe(true);
  });

  it("results are frozen (immer's default, i.e. no one turned autoFreeze off globally)", () => {
    const c = withPod(makeCluster({}), {
      namespace: "x",
      name: "a",
      labels: labelMap({}),
      ports: [],
      hostNetwork: false,
      podIPs: [],
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.pods)).toBe(true);
    // Into an existing namespace the lists are copied, not drafted: still frozen, and the
    // untouched lists are the same objects.
    const policy: NetworkPolicy = {
      namespace: "x",
      name: "p",
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [] },
    };
    const d = withPolicy(c, policy);
    expect(
      Object.isFrozen(d) && Object.isFrozen(d.networkPolicies) && Object.isFrozen(d.networkPolicies[0]),
    ).toBe(true);
    expect(d.pods).toBe(c.pods);
    const e = withoutPolicy(d, "x", "p");
    expect(e.networkPolicies).toEqual([]);
    expect(Object.isFrozen(e.networkPolicies)).toBe(true);
    expect(withoutPolicy(e, "x", "p")).toBe(e);
  });

  it("no module-global immer configuration anywhere in src/", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
      );
    const global =
      /\b(enablePatches|enableMapSet|setAutoFreeze|setUseStrictShallowCopy|setUseStrictIteration)\b/;
    const offenders = files(join(import.meta.dirname, "..", "..", "src")).filter((f) =>
      global.test(readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
