// Reading the seed's legacy API (src/io/legacy-*.ts, docs/legacy-api.md): schemas, errors with
// their paths, the translation parseCluster evaluates, and its diagnostics.
import { describe, expect, it } from "vitest";
import type { NetworkPolicy } from "../../src/model/types.ts";
import { issues, jsonList, ok } from "./helpers.ts";

const ALPHA = "net.alpha.kubernetes.io/v1alpha1";
const BETA = "extensions/v1beta1";
const ns = (name: string, annotations: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, annotations },
});
const on = (name = "x") => ns(name, { "net.alpha.kubernetes.io/network-isolation": "on" });
const legacy = (apiVersion: string, spec: unknown, name = "p", namespace = "x") => ({
  apiVersion,
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});
const policies = (...items: unknown[]): readonly NetworkPolicy[] =>
  ok(jsonList(items)).cluster.networkPolicies;
const issuesOf = (...items: unknown[]) =>
  issues(jsonList(items)).map((i) => `${i.object}: ${i.path}: ${i.message} [${i.code}]`);

describe("legacy policies are read into networking.k8s.io/v1", () => {
  it("alpha: podSelector and peers are label maps; toPorts absent = every port; a default deny per isolated namespace", () => {
    const spec = {
      podSelector: { app: "db" },
      allowIncoming: { from: [{ pods: { app: "web" } }, { namespaces: { team: "ops" } }] },
    };
    expect(policies(on(), legacy(ALPHA, spec))).toEqual([
      {
        namespace: "x",
        name: "legacy-default-deny",
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [] },
      },
      {
        namespace: "x",
        name: "p",
        spec: {
          podSelector: { matchLabels: { app: "db" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                { podSelector: { matchLabels: { app: "web" } } },
                { namespaceSelector: { matchLabels: { team: "ops" } } },
              ],
            },
          ],
          egress: [],
        },
      },
    ]);
  });

  it("alpha: no allowIncoming allows nothing; an absent podSelector selects every pod", () => {
    expect(policies(on(), legacy(ALPHA, {}))[1]!.spec).toMatchObject({ podSelector: {}, ingress: [] });
  });

  it("beta: a null podSelector selects every pod; ports keep names; protocol defaults to TCP", () => {
    const spec = {
      podSelector: null,
      ingress: [{ ports: [{ port: "http" }, { port: 53, protocol: "UDP" }] }],
    };
    const p = policies(on(), legacy(BETA, spec))[1]!;
    expect(p.spec.podSelector).toEqual({});
    expect(p.spec.ingress).toEqual([
      {
        ports: [
          { protocol: "TCP", port: "http" },
          { protocol: "UDP", port: 53 },
        ],
      },
    ]);
  });

  it("beta: matchExpressions are kept, in the podSelector and in peers", () => {
    const sel = { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] };
    const p = policies(
      on(),
      legacy(BETA, { podSelector: sel, ingress: [{ from: [{ namespaceSelector: sel }] }] }),
    )[1]!;
    expect(p.spec.podSelector).toEqual(sel);
    expect(p.spec.ingress).toEqual([{ from: [{ namespaceSelector: sel }] }]);
  });

  it("beta isolation: the JSON annotation; {} or another key does not isolate", () => {
    const beta = (v: string) => ns("x", { "net.beta.kubernetes.io/network-policy": v });
    expect(policies(beta('{"ingress":{"isolation":"DefaultDeny"}}'), legacy(BETA, {}))).toHaveLength(2);
    expect(policies(beta("{}"), legacy(BETA, {}))).toEqual([]);
    const r = ok(jsonList([beta('{"ingres":{"isolation":"DefaultDeny"}}')]));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["unknown-field"]);
    // Keys in any case, as Go's encoding/json (the controllers of the time) matched them.
    const upper = ok(jsonList([beta('{"Ingress":{"Isolation":"DefaultDeny"}}'), legacy(BETA, {})]));
    expect(upper.cluster.networkPolicies).toHaveLength(2);
    expect(upper.diagnostics.map((d) => d.code)).not.toContain("unknown-field");
  });

  it("beta isolation: a repeated key (JSON.parse would keep the last silently) is an error", () => {
    const beta = (v: string) => ns("x", { "net.beta.kubernetes.io/network-policy": v });
    const repeated = issues(jsonList([beta('{"ingress":{"isolation":"DefaultDeny"},"ingress":{}}')]));
    expect(repeated).toEqual([
      expect.objectContaining({
        code: "invalid-annotation",
        message: 'repeated key "ingress" in one object',
      }),
    ]);
    const twoCases = issues(jsonList([beta('{"ingress":{},"Ingress":{"isolation":"DefaultDeny"}}')]));
    expect(twoCases[0]!.message).toBe('keys "ingress", "Ingress" name one field');
  });

  it("an empty from or ports reads as absent (what the API server stores), with a warning", () => {
    const r = ok(jsonList([on(), legacy(BETA, { ingress: [{ from: [], ports: [] }] })]));
    expect(r.cluster.networkPolicies[1]!.spec.ingress).toEqual([{}]);
    expect(r.diagnostics.filter((d) => d.code === "legacy-empty-list").map((d) => d.path)).toEqual([
      "spec.ingress[0].from",
      "spec.ingress[0].ports",
    ]);
  });

  it("an unknown field (a typo that changes the meaning silently) gets a note", () => {
    const r = ok(
      jsonList([on(), legacy(ALPHA, { allowIncomming: {} }), legacy(BETA, { ingress: [{ form: [] }] }, "q")]),
    );
    expect(
      r.diagnostics.filter((d) => d.code === "unknown-field").map((d) => `${d.object} ${d.path}`),
    ).toEqual(["NetworkPolicy x/p spec.allowIncomming", "NetworkPolicy x/q spec.ingress[0].form"]);
  });

  it("both annotations that disagree: isolated, with a warning", () => {
    const both = ns("x", {
      "net.alpha.kubernetes.io/network-isolation": "off",
      "net.beta.kubernetes.io/network-policy": '{"ingress":{"isolation":"DefaultDeny"}}',
    });
    const r = ok(jsonList([both]));
    expect(r.cluster.networkPolicies.map((p) => p.name)).toEqual(["legacy-default-deny"]);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual([
      "warning legacy-isolation-conflict",
      "info legacy-isolation",
    ]);
  });

  it("a policy of a namespace that is not isolated (or has no Namespace object) has no effect: a warning, nothing evaluated", () => {
    const r = ok(jsonList([ns("x"), legacy(BETA, {}), legacy(ALPHA, {}, "q", "y")]));
    expect(r.cluster.networkPolicies).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.object}`)).toEqual([
      "legacy-no-effect NetworkPolicy x/p",
      "legacy-no-effect NetworkPolicy y/q",
    ]);
  });

  it("copies of one legacy object are merged as for other kinds; an alpha and a beta policy of one name are two", () => {
    const r = ok(jsonList([on(), legacy(BETA, {}), legacy(BETA, {}), legacy(ALPHA, {})]));
    expect(r.cluster.networkPolicies.map((p) => p.name)).toEqual(["legacy-default-deny", "p", "p-2"]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(["duplicate-object", "legacy-renamed"]),
    );
    expect(issuesOf(legacy(BETA, {}), legacy(BETA, { ingress: [{}] }))).toEqual([
      expect.stringMatching(
        /^NetworkPolicy x\/p: undefined: NetworkPolicy x\/p is defined twice with different content/,
      ),
    ]);
  });
});

describe("legacy input errors name the object and the field", () => {
  it.each([
    [
      "alpha isolation neither on nor off",
      [ns("x", { "net.alpha.kubernetes.io/network-isolation": "On" })],
      'Namespace x: metadata.annotations["net.alpha.kubernetes.io/network-isolation"]: network isolation must be "on" or "off", got "On" [invalid-annotation]',
    ],
    [
      "beta isolation other than DefaultDeny",
      [ns("x", { "net.beta.kubernetes.io/network-policy": '{"ingress":{"isolation":"Deny"}}' })],
      'Namespace x: metadata.annotations["net.beta.kubernetes.io/network-policy"]: "ingress.isolation" must be "DefaultDeny" (the only isolation defined), got "Deny" [invalid-annotation]',
    ],
    [
      "beta annotation JSON that is not an object",
      [ns("x", { "net.beta.kubernetes.io/network-policy": "[1]" })],
      'Namespace x: metadata.annotations["net.beta.kubernetes.io/network-policy"]: expected a JSON object, got an array (1 items) [invalid-annotation]',
    ],
    [
      "a beta peer with both selectors (1.3: exactly one)",
      [legacy(BETA, { ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] })],
      "NetworkPolicy x/p: spec.ingress[0].from[0]: a peer sets exactly one of podSelector and namespaceSelector, not both [invalid-peer]",
    ],
    [
      "a beta ipBlock (1.7+)",
      [legacy(BETA, { ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }] })],
      "NetworkPolicy x/p: spec.ingress[0].from[0].ipBlock: ipBlock is a field of networking.k8s.io/v1 (1.7+), not of this API [invalid-legacy-field]",
    ],
    [
      "beta egress (1.8+)",
      [legacy(BETA, { egress: [{}] })],
      "NetworkPolicy x/p: spec.egress: egress is a field of the 1.7+ API, whose semantics are networking.k8s.io/v1's: write this policy as networking.k8s.io/v1 [invalid-legacy-field]",
    ],
    [
      "an alpha peer with neither pods nor namespaces",
      [legacy(ALPHA, { allowIncoming: { from: [{}] } })],
      "NetworkPolicy x/p: spec.allowIncoming.from[0]: a peer must set pods or namespaces [invalid-peer]",
    ],
    [
      "SCTP (1.12+)",
      [legacy(ALPHA, { allowIncoming: { toPorts: [{ protocol: "SCTP" }] } })],
      'NetworkPolicy x/p: spec.allowIncoming.toPorts[0].protocol: unsupported protocol "SCTP": must be TCP or UDP [invalid-protocol]',
    ],
    [
      "a port out of range",
      [legacy(BETA, { ingress: [{ ports: [{ port: 70000 }] }] })],
      "NetworkPolicy x/p: spec.ingress[0].ports[0].port: invalid port 70000: must be between 1 and 65535, inclusive [invalid-port]",
    ],
    [
      "a bad label in an alpha podSelector",
      [legacy(ALPHA, { podSelector: { "a b": "c" } })],
      'NetworkPolicy x/p: spec.podSelector["a b"]:',
    ],
  ])("%s", (_, items, message) => {
    expect(issuesOf(...items)).toEqual([expect.stringContaining(message)]);
  });
});
