// Manifests as netpol-analyzer's scenarios write them (docs/decisions.md #56-#59): a controller
// reference without a kind, the lenient CRD reading (`crdValidation: "warn"`) and finished pods
// kept as endpoints (`keepFinishedPods`).
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { type ParseOptions, parseCluster } from "../../src/io/parse-cluster.ts";
import { InputError, type InputIssue } from "../../src/model/input-error.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { issues, jsonList, ok, pod } from "./helpers.ts";

const V1 = "policy.networking.k8s.io/v1alpha1";
const V2 = "policy.networking.k8s.io/v1alpha2";
const LENIENT: ParseOptions = { crdValidation: "warn" };
const NA_PROFILE = {
  name: "netpol-analyzer",
  ipBlockMatchesPodIPs: false,
  allowSelf: true,
  allowFromOwnNode: false,
};

const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels },
});
const labelled = (name: string, ns: string, labels: Record<string, string>, ip: string, extra = {}) =>
  pod({ metadata: { name, namespace: ns, labels }, status: { podIP: ip }, ...extra }, name, ns);
const anp = (spec: Record<string, unknown>, name = "p") => ({
  apiVersion: V1,
  kind: "AdminNetworkPolicy",
  metadata: { name },
  spec: { priority: 5, ...spec },
});
const lenient = (...objects: unknown[]) => parseCluster([jsonList(objects)], LENIENT);
const issuesOf = (options: ParseOptions, ...objects: unknown[]): readonly InputIssue[] => {
  try {
    parseCluster([jsonList(objects)], options);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error("expected an InputError");
};

describe("a controller reference without a kind (decisions #56)", () => {
  const owned = (name: string, labels: Record<string, string>, ref: Record<string, unknown>) =>
    pod({ metadata: { name, namespace: "default", labels, ownerReferences: [ref] } }, name, "default");

  it("groups its pods under the owner's name, shown as [Pod], with a warning at the reference's kind", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        owned("pod-1", { app: "a" }, { name: "internal-security", controller: true }),
        owned("pod-2", { app: "a" }, { name: "internal-security", controller: true, kind: "" }),
      ]),
    );
    expect(cluster.pods.map((p) => [p.name, p.owner])).toEqual([
      ["pod-1", { kind: "Pod", name: "internal-security" }],
      ["pod-2", { kind: "Pod", name: "internal-security" }],
    ]);
    const warned = diagnostics.filter((d) => d.code === "incomplete-owner-reference");
    expect(warned.map((d) => [d.severity, d.object, d.path])).toEqual([
      ["warning", "Pod default/pod-1", "metadata.ownerReferences[0].kind"],
      ["warning", "Pod default/pod-2", "metadata.ownerReferences[0].kind"],
    ]);
    expect(warned[0]!.message).toMatch(/"internal-security" has no kind .*shown as \[Pod\]/);
    // `ns/owner[Kind]` names the owner's first pod, as for any owner (decisions #54).
    const table = compile(cluster);
    expect(table.endpointIndex("default/internal-security[Pod]")).toBe(table.endpointIndex("default/pod-1"));
  });

  it("a reference that is not the controller is not read, kind or not; a controller without a name is still an error", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        owned("p", {}, { name: "x" }),
        owned("q", {}, { kind: "ReplicaSet", name: "rs", controller: false }),
      ]),
    );
    expect(cluster.pods.map((p) => p.owner)).toEqual([undefined, undefined]);
    expect(diagnostics.filter((d) => d.code === "incomplete-owner-reference")).toEqual([]);
    const [issue, ...rest] = issues(jsonList([owned("p", {}, { controller: true })]));
    expect(rest).toEqual([]);
    expect([issue!.code, issue!.path]).toEqual(["missing-field", "metadata.ownerReferences[0].name"]);
  });

  it("a workload's kind-less controller reference is read the same way", () => {
    const rs = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "rs", namespace: "default", ownerReferences: [{ name: "d", controller: true }] },
      spec: { template: { metadata: { labels: { app: "a" } } } },
    };
    const { cluster, diagnostics } = ok(jsonList([rs]));
    expect(cluster.pods.map((p) => [p.name, p.workload])).toEqual([["rs", "ReplicaSet"]]);
    expect(diagnostics.find((d) => d.code === "incomplete-owner-reference")?.object).toBe(
      "ReplicaSet default/rs",
    );
  });
});

describe('crdValidation "warn": a pods without its required selectors (decisions #57)', () => {
  const noPodSelector = anp({
    subject: { namespaces: { matchLabels: { team: "a" } } },
    egress: [{ action: "Deny", to: [{ pods: { namespaceSelector: { matchLabels: { team: "b" } } } }] }],
  });
  const noNamespaceSelector = anp({
    subject: { pods: { podSelector: { matchLabels: { app: "x" } } } },
    ingress: [{ action: "Deny", from: [{ pods: { podSelector: { matchLabels: { app: "y" } } } }] }],
  });

  it("strict (the default) refuses both, as the v1alpha1 CRD requires namespaceSelector and podSelector", () => {
    expect(issuesOf({}, noPodSelector).map((i) => [i.code, i.path])).toEqual([
      ["missing-field", "spec.egress[0].to[0].pods.podSelector"],
    ]);
    expect(issuesOf({}, noNamespaceSelector).map((i) => [i.code, i.path])).toEqual([
      ["missing-field", "spec.subject.pods.namespaceSelector"],
      ["missing-field", "spec.ingress[0].from[0].pods.namespaceSelector"],
    ]);
  });

  it("warn reads an absent selector (or null) as {}, with a missing-selector warning at its path", () => {
    const { cluster, diagnostics } = lenient(noPodSelector, {
      ...noNamespaceSelector,
      metadata: { name: "q" },
    });
    const [p, q] = cluster.clusterNetworkPolicies;
    expect(p!.egress[0]!.peers).toEqual([
      { pods: { namespaceSelector: { matchLabels: { team: "b" } }, podSelector: {} } },
    ]);
    expect(q!.subject).toEqual({
      pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "x" } } },
    });
    expect(q!.ingress[0]!.peers).toEqual([
      { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "y" } } } },
    ]);
    expect(
      diagnostics.filter((d) => d.code === "missing-selector").map((d) => [d.severity, d.object, d.path]),
    ).toEqual([
      ["warning", "AdminNetworkPolicy p", "spec.egress[0].to[0].pods.podSelector"],
      ["warning", "AdminNetworkPolicy q", "spec.ingress[0].from[0].pods.namespaceSelector"],
      ["warning", "AdminNetworkPolicy q", "spec.subject.pods.namespaceSelector"],
    ]);
    const nulls = anp({ subject: { pods: { namespaceSelector: null, podSelector: null } } });
    expect(lenient(nulls).cluster.clusterNetworkPolicies[0]!.subject).toEqual({
      pods: { namespaceSelector: {}, podSelector: {} },
    });
  });

  it("the reading: a Deny to pods of namespaces team=b (no podSelector) denies every pod there", () => {
    const { cluster } = lenient(
      namespace("a", { team: "a" }),
      namespace("b", { team: "b" }),
      namespace("c", { team: "c" }),
      labelled("src", "a", {}, "10.0.0.1"),
      labelled("x", "b", { app: "x" }, "10.0.0.2"),
      labelled("y", "b", { app: "y" }, "10.0.0.3"),
      labelled("z", "c", {}, "10.0.0.4"),
      noPodSelector,
    );
    const table = compile(cluster);
    for (const [to, verdict] of [
      ["b/x", "deny"],
      ["b/y", "deny"],
      ["c/z", "allow"],
    ] as const) {
      const flow = { from: "a/src", to, port: 80 };
      expect(table.decide(flow).verdict, to).toBe(verdict);
      expect(evaluate(cluster, flow).verdict, to).toBe(verdict);
    }
  });

  it("a selector that is there but invalid is still an error, and unknown fields still are", () => {
    const bad = anp({
      subject: { namespaces: {} },
      egress: [{ action: "Deny", to: [{ pods: { namespaceSelector: { matchLabels: { "a b": "x" } } } }] }],
    });
    expect(issuesOf(LENIENT, bad).map((i) => i.code)).toEqual(["invalid-label-key"]);
    const typo = anp({
      subject: { namespaces: {} },
      egress: [{ action: "Deny", to: [{ pods: { podselector: {} } }] }],
    });
    expect(issuesOf(LENIENT, typo).map((i) => [i.code, i.message])).toEqual([
      ["unknown-field", expect.stringMatching(/did you mean "podSelector"/)],
    ]);
  });
});

describe('crdValidation "warn": a named port beside address peers (decisions #58)', () => {
  const rule = {
    action: "Allow",
    name: "allow-egress",
    to: [
      { networks: ["104.154.164.170/32"] },
      { pods: { namespaceSelector: { matchLabels: { team: "b" } }, podSelector: {} } },
    ],
    ports: [{ portNumber: { protocol: "TCP", port: 8080 } }, { namedPort: "dns" }],
  };
  const policy = anp({
    subject: { namespaces: { matchLabels: { team: "a" } } },
    egress: [rule, { action: "Deny", to: rule.to }],
  });

  it("strict refuses it (the CRD's CEL rule); warn reads it with a named-port-ip-peer warning", () => {
    expect(issuesOf({}, policy).map((i) => [i.code, i.path])).toEqual([
      ["invalid-port", "spec.egress[0].ports[1]"],
    ]);
    const { diagnostics } = lenient(policy);
    expect(
      diagnostics.filter((d) => d.code === "named-port-ip-peer").map((d) => [d.severity, d.path, d.message]),
    ).toEqual([
      [
        "warning",
        "spec.egress[0].ports[1]",
        expect.stringMatching(/include networks .* matches the rule's pod peers only/),
      ],
    ]);
    const cnp = {
      apiVersion: V2,
      kind: "ClusterNetworkPolicy",
      metadata: { name: "c" },
      spec: {
        tier: "Admin",
        priority: 1,
        subject: { namespaces: {} },
        egress: [{ action: "Accept", to: [{ nodes: {} }], protocols: [{ destinationNamedPort: "http" }] }],
      },
    };
    expect(issuesOf({}, cnp).map((i) => i.code)).toEqual(["invalid-port"]);
    expect(
      lenient(cnp)
        .diagnostics.filter((d) => d.code === "named-port-ip-peer")
        .map((d) => d.path),
    ).toEqual(["spec.egress[0].protocols[0]"]);
  });

  it("the named port matches the pods the rule names, never the addresses", () => {
    const { cluster } = lenient(
      namespace("a", { team: "a" }),
      namespace("b", { team: "b" }),
      labelled("src", "a", {}, "10.0.0.1"),
      labelled("web", "b", {}, "10.0.0.2", {
        spec: { containers: [{ name: "c", ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }] }] },
      }),
      policy,
    );
    for (const profile of ["conformance", NA_PROFILE] as const) {
      const table = compile(cluster, { profile });
      for (const [to, port, protocol, verdict] of [
        ["b/web", 53, "UDP", "allow"],
        ["b/web", 8080, "TCP", "allow"],
        ["b/web", 80, "TCP", "deny"],
        ["104.154.164.170", 53, "UDP", "deny"],
        ["104.154.164.170", 8080, "TCP", "allow"],
        ["104.154.164.171", 53, "UDP", "allow"],
      ] as const) {
        const flow = { from: "a/src", to, port, protocol };
        expect(table.decide(flow).verdict, `${to} ${protocol}/${port}`).toBe(verdict);
        expect(evaluate(cluster, flow, profile).verdict, `${to} ${protocol}/${port}`).toBe(verdict);
      }
    }
  });
});

describe("keepFinishedPods (decisions #59)", () => {
  const done = (name: string, phase: string) =>
    pod(
      {
        metadata: {
          name,
          namespace: "ns",
          ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: `${name}-job`, controller: true }],
        },
        status: { phase, podIP: "10.0.0.9", hostIP: "192.168.49.2" },
      },
      name,
    );

  it("keeps pods in phase Succeeded or Failed, without their released addresses, with one info line", () => {
    const input = jsonList([done("a", "Succeeded"), done("b", "Failed")]);
    expect(ok(input).cluster.pods).toEqual([]);
    const { cluster, diagnostics } = parseCluster([input], { keepFinishedPods: true });
    expect(cluster.pods.map((p) => [p.name, p.podIPs, p.hostIP, p.owner])).toEqual([
      ["a", [], "192.168.49.2", { kind: "Job", name: "a-job" }],
      ["b", [], "192.168.49.2", { kind: "Job", name: "b-job" }],
    ]);
    expect(
      diagnostics.filter((d) => d.code !== "implicit-namespace").map((d) => [d.severity, d.code, d.message]),
    ).toEqual([
      [
        "info",
        "finished-pods-kept",
        expect.stringMatching(/^2 pods .* kept as endpoints without their addresses .*: ns\/a, ns\/b$/),
      ],
    ]);
  });
});
