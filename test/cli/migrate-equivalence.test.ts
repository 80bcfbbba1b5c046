// `netpol migrate` proves itself: over random small clusters written in the seed's legacy API, the
// engine on the migrated YAML (read back by parseCluster: no legacy object left) gives, for every
// pod pair, every port the policies can name plus one none names, TCP and UDP, the verdict of an
// independent evaluator of the legacy semantics written plainly below from the documents
// (docs/legacy-api.md), which reads the raw legacy manifests themselves.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, parseCluster } from "../../src/index.ts";
import { netpol } from "./netpol.ts";

type Labels = Record<string, string>;
type Raw = Record<string, unknown>;
interface Pod {
  ns: string;
  name: string;
  labels: Labels;
  http: number;
}

// ---- The legacy semantics, plainly (kubernetes docs/proposals/network-policy.md, "Behavior") ----

const matches = (labels: Labels, selector: Labels | undefined): boolean =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

function isolated(ns: Raw | undefined): boolean {
  const annotations = ((ns?.metadata as Raw | undefined)?.annotations ?? {}) as Labels;
  if (annotations["net.alpha.kubernetes.io/network-isolation"] === "on") return true;
  const beta = annotations["net.beta.kubernetes.io/network-policy"];
  return beta !== undefined && JSON.parse(beta)?.ingress?.isolation === "DefaultDeny";
}

/** Ingress to `dst` (egress is never isolated in this API, so this is the flow's verdict). */
function legacyAllows(input: Raw[], src: Pod, dst: Pod, port: number, protocol: string): boolean {
  if (src === dst) return true; // the conformance profile: a pod always reaches itself
  const namespaces = input.filter((o) => o.kind === "Namespace");
  const nsOf = (name: string) => namespaces.find((n) => (n.metadata as Raw).name === name);
  if (!isolated(nsOf(dst.ns))) return true;
  const nsLabels = (name: string): Labels => ({
    ...(((nsOf(name)?.metadata as Raw | undefined)?.labels ?? {}) as Labels),
    "kubernetes.io/metadata.name": name,
  });
  for (const p of input) {
    if (p.kind !== "NetworkPolicy" || (p.metadata as Raw).namespace !== dst.ns) continue;
    const spec = p.spec as Raw;
    const alpha = p.apiVersion === "net.alpha.kubernetes.io/v1alpha1";
    const selector = alpha ? (spec.podSelector as Labels) : (spec.podSelector as Raw)?.matchLabels;
    if (!matches(dst.labels, selector as Labels | undefined)) continue;
    const incoming = spec.allowIncoming as Raw | undefined;
    const rules = alpha
      ? incoming === undefined
        ? []
        : [{ from: incoming.from, ports: incoming.toPorts }]
      : ((spec.ingress ?? []) as Raw[]);
    for (const rule of rules as { from?: Raw[]; ports?: Raw[] }[]) {
      const fromOk =
        rule.from === undefined ||
        rule.from.length === 0 ||
        rule.from.some((peer) => {
          if (alpha)
            return peer.pods !== undefined
              ? src.ns === dst.ns && matches(src.labels, peer.pods as Labels)
              : matches(nsLabels(src.ns), peer.namespaces as Labels);
          return peer.podSelector !== undefined
            ? src.ns === dst.ns && matches(src.labels, (peer.podSelector as Raw).matchLabels as Labels)
            : matches(nsLabels(src.ns), (peer.namespaceSelector as Raw).matchLabels as Labels);
        });
      const portOk =
        rule.ports === undefined ||
        rule.ports.length === 0 ||
        rule.ports.some(
          (q) =>
            String(q.protocol ?? "TCP").toUpperCase() === protocol &&
            (q.port === undefined ||
              q.port === port ||
              (q.port === "http" && protocol === "TCP" && dst.http === port)),
        );
      if (fromOk && portOk) return true;
    }
  }
  return false;
}

// ---- Random small legacy clusters (small alphabets, so that selectors match) ----

const NAMESPACES = ["a", "b", "c"];
/** Namespaces pods and policies may be in: "d" has no Namespace object (implicit, so never isolated). */
const USED = [...NAMESPACES, "d"];
const labelMap = (keys: string[], values: string[]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 2 });
const ANNOTATIONS = [
  {},
  { "net.alpha.kubernetes.io/network-isolation": "on" },
  { "net.alpha.kubernetes.io/network-isolation": "off" },
  { "net.beta.kubernetes.io/network-policy": '{"ingress": {"isolation": "DefaultDeny"}}' },
  { "net.beta.kubernetes.io/network-policy": "{}", other: "kept" },
];
const port = fc.record(
  {
    port: fc.constantFrom<number | string>(80, 443, 53, "http"),
    protocol: fc.constantFrom("TCP", "UDP", "tcp"),
  },
  { requiredKeys: [] },
);
const peerLabels = labelMap(["role", "team", "kubernetes.io/metadata.name"], ["x", "y", "a", "b"]);
const alphaPeer = fc.oneof(
  peerLabels.map((pods) => ({ pods })),
  peerLabels.map((namespaces) => ({ namespaces })),
);
const betaPeer = fc.oneof(
  peerLabels.map((m) => ({ podSelector: { matchLabels: m } })),
  peerLabels.map((m) => ({ namespaceSelector: { matchLabels: m } })),
);
const rule = <P>(peer: fc.Arbitrary<P>) =>
  fc.record(
    { from: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) },
    { requiredKeys: [] },
  );
const policy = fc.oneof(
  fc.record({
    apiVersion: fc.constant("net.alpha.kubernetes.io/v1alpha1"),
    ns: fc.constantFrom(...USED),
    spec: fc.record(
      {
        podSelector: labelMap(["role"], ["x", "y"]),
        allowIncoming: rule(alphaPeer).map(({ from, ports }) => ({
          ...(from && { from }),
          ...(ports && { toPorts: ports }),
        })),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({
    apiVersion: fc.constant("extensions/v1beta1"),
    ns: fc.constantFrom(...USED),
    spec: fc.record(
      {
        podSelector: labelMap(["role"], ["x", "y"]).map((m) => ({ matchLabels: m })),
        ingress: fc.array(rule(betaPeer), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  }),
);
const legacyCluster = fc.record({
  namespaces: fc.tuple(
    ...NAMESPACES.map(() =>
      fc.record({ labels: labelMap(["team"], ["x", "y"]), annotations: fc.constantFrom(...ANNOTATIONS) }),
    ),
  ),
  pods: fc.array(
    fc.record({
      ns: fc.constantFrom(...USED),
      labels: labelMap(["role", "team"], ["x", "y"]),
      http: fc.constantFrom(80, 8080),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  policies: fc.array(policy, { maxLength: 4 }),
});

type LegacyCluster = typeof legacyCluster extends fc.Arbitrary<infer T> ? T : never;

function manifests(c: LegacyCluster): { input: Raw[]; pods: Pod[] } {
  const input: Raw[] = NAMESPACES.map((name, i) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: c.namespaces[i]!.labels, annotations: c.namespaces[i]!.annotations },
  }));
  const pods = c.pods.map((p, i) => ({ ...p, name: `p${i}` }));
  for (const [i, p] of pods.entries())
    input.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: p.name, namespace: p.ns, labels: p.labels },
      spec: { containers: [{ ports: [{ name: "http", containerPort: p.http }] }] },
      status: { podIP: `10.1.0.${i + 1}` },
    });
  // Few names, so that an alpha and a beta policy often share one (migrate renames); one object
  // defined twice with different content would be bad input, so a repeat gets its own name.
  const seen = new Set<string>();
  for (const [i, p] of c.policies.entries()) {
    const name = seen.has(`${p.apiVersion} ${p.ns} np${i % 2}`) ? `np${i}` : `np${i % 2}`;
    seen.add(`${p.apiVersion} ${p.ns} ${name}`);
    input.push({
      apiVersion: p.apiVersion,
      kind: "NetworkPolicy",
      metadata: { name, namespace: p.ns },
      spec: p.spec,
    });
  }
  return { input, pods };
}

describe("netpol migrate: the migrated set decides as the legacy semantics", () => {
  it("every pod pair, every port the policies name and one none names, TCP and UDP", () => {
    let allowed = 0;
    let denied = 0;
    fc.assert(
      fc.property(legacyCluster, (c) => {
        const { input, pods } = manifests(c);
        const text = JSON.stringify({ apiVersion: "v1", kind: "List", items: input });
        const r = netpol(["migrate", "-", "--quiet"], text);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).not.toMatch(
          /extensions\/v1beta1|net\.alpha\.kubernetes\.io|net\.beta\.kubernetes\.io/,
        );
        const migrated = compile(parseCluster([{ name: "out.yaml", text: r.stdout }]).cluster);
        const direct = compile(parseCluster([{ name: "in.json", text }]).cluster);
        for (const protocol of ["TCP", "UDP"] as const)
          for (const port of [53, 80, 443, 8080, 9999])
            for (const src of pods)
              for (const dst of pods) {
                const flow = { from: `${src.ns}/${src.name}`, to: `${dst.ns}/${dst.name}`, port, protocol };
                const want = legacyAllows(input, src, dst, port, protocol) ? "allow" : "deny";
                const got = migrated.decide(flow).verdict;
                if (got !== want)
                  throw new Error(`${JSON.stringify(flow)}: migrated ${got}, legacy ${want}\n${r.stdout}`);
                expect(direct.decide(flow).verdict).toBe(want);
                if (src !== dst) want === "allow" ? allowed++ : denied++;
              }
      }),
      { numRuns: 150, seed: 12 },
    );
    // The generator must exercise both outcomes, not mostly one.
    expect(allowed).toBeGreaterThan(1000);
    expect(denied).toBeGreaterThan(1000);
  });
});
