// `netpol convert` (docs/migrating-anp-to-cnp.md): v1alpha1 AdminNetworkPolicy /
// BaselineAdminNetworkPolicy → v1alpha2 ClusterNetworkPolicy YAML that netpol reads back.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { USAGE } from "../../src/cli/run.ts";
import { parseCluster } from "../../src/io/parse-cluster.ts";
import type { ClusterNetworkPolicy } from "../../src/model/types.ts";
import { netpol } from "./netpol.ts";

const FIXTURE = JSON.parse(
  readFileSync(new URL("../fixtures/convert-anp-banp-v1alpha1.json", import.meta.url), "utf8"),
) as { policies: { case: string; policy: Record<string, unknown> }[] };

const V1 = "policy.networking.k8s.io/v1alpha1";
const V2 = "policy.networking.k8s.io/v1alpha2";

const list = (...items: unknown[]): string => JSON.stringify({ apiVersion: "v1", kind: "List", items });
const policiesOf = (text: string, name = "in.yaml"): readonly ClusterNetworkPolicy[] =>
  parseCluster([{ name, text }]).cluster.clusterNetworkPolicies;
/** Convert from stdin; expect success. */
const converted = (text: string): string => {
  const r = netpol(["convert", "-"], text);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
};

const anp = (spec: Record<string, unknown>, name = "a"): Record<string, unknown> => ({
  apiVersion: V1,
  kind: "AdminNetworkPolicy",
  metadata: { name },
  spec: { priority: 3, subject: { namespaces: {} }, ...spec },
});
const cnp = (name: string, priority = 1): Record<string, unknown> => ({
  apiVersion: V2,
  kind: "ClusterNetworkPolicy",
  metadata: { name },
  spec: { tier: "Admin", priority, subject: { namespaces: {} } },
});

describe("netpol convert: round trip over the network-policy-api v1alpha1 conformance policies", () => {
  it("covers both kinds", () => {
    const kinds = new Set(FIXTURE.policies.map((p) => p.policy.kind));
    expect(kinds).toEqual(new Set(["AdminNetworkPolicy", "BaselineAdminNetworkPolicy"]));
  });

  it.each(
    FIXTURE.policies.map((p) => [`${p.case} / ${(p.policy.metadata as { name: string }).name}`, p.policy]),
  )("%s: converted, read back, equals the v1alpha1 model except kind", (_, policy) => {
    const [before] = policiesOf(list(policy));
    const yaml = converted(list(policy));
    expect(yaml).toMatch(/^apiVersion: policy\.networking\.k8s\.io\/v1alpha2\nkind: ClusterNetworkPolicy\n/);
    const { cluster, diagnostics } = parseCluster([{ name: "out.yaml", text: yaml }]);
    expect(diagnostics).toEqual([]);
    expect(cluster.clusterNetworkPolicies).toEqual([{ ...before!, kind: "ClusterNetworkPolicy" }]);
    // ANP: tier Admin at its own priority; BANP: tier Baseline at priority 1000 (decisions #24).
    const spec = policy.spec as { priority?: number };
    expect(cluster.clusterNetworkPolicies[0]).toMatchObject(
      policy.kind === "AdminNetworkPolicy"
        ? { tier: "Admin", priority: spec.priority }
        : { tier: "Baseline", priority: 1000 },
    );
  });
});

describe("netpol convert: output", () => {
  it("maps Allow → Accept and every v1alpha1 port form to protocols", () => {
    const yaml = converted(
      list(
        anp({
          ingress: [
            {
              name: "web",
              action: "Allow",
              from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "web" } } } }],
              ports: [
                { portNumber: { port: 80 } },
                { portRange: { protocol: "UDP", start: 1000, end: 2000 } },
                { portRange: { protocol: "SCTP", start: 7, end: 7 } },
                { namedPort: "http" },
              ],
            },
          ],
        }),
      ),
    );
    expect(yaml).toBe(`apiVersion: ${V2}
kind: ClusterNetworkPolicy
metadata:
  name: a
spec:
  tier: Admin
  priority: 3
  subject:
    namespaces: {}
  ingress:
    - name: web
      action: Accept
      from:
        - pods:
            namespaceSelector: {}
            podSelector:
              matchLabels:
                app: web
      protocols:
        - tcp:
            destinationPort:
              number: 80
        - udp:
            destinationPort:
              range:
                start: 1000
                end: 2000
        - sctp:
            destinationPort:
              number: 7
        - destinationNamedPort: http
`);
  });

  it("is deterministic: documents in evaluation order whatever the input order; YAML 1.1 values stay strings", () => {
    const banp = {
      apiVersion: V1,
      kind: "BaselineAdminNetworkPolicy",
      metadata: { name: "default" },
      spec: { subject: { namespaces: { matchLabels: { on: "yes", n: "012" } } } },
    };
    const a = converted(list(banp, anp({}, "b"), anp({ priority: 1 }, "c")));
    const b = converted(list(anp({ priority: 1 }, "c"), banp, anp({}, "b")));
    expect(a).toBe(b);
    expect(a.split("---\n").map((d) => /name: (\S+)/.exec(d)?.[1])).toEqual(["c", "b", "default"]);
    const back = policiesOf(a, "out.yaml");
    expect(back.map((p) => `${p.kind} ${p.tier} ${p.priority} ${p.name}`)).toEqual([
      "ClusterNetworkPolicy Admin 1 c",
      "ClusterNetworkPolicy Admin 3 b",
      "ClusterNetworkPolicy Baseline 1000 default",
    ]);
    expect(back[2]!.subject).toEqual({ namespaces: { matchLabels: { on: "yes", n: "012" } } });
  });

  it("passes v1alpha2 ClusterNetworkPolicies through (normalised); leaves out other kinds with a note", () => {
    const np = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "np", namespace: "x" },
      spec: { podSelector: {} },
    };
    const withNets = {
      ...cnp("z", 9),
      spec: {
        ...(cnp("z", 9).spec as object),
        egress: [{ action: "Deny", to: [{ networks: ["10.1.2.3/8"] }] }],
      },
    };
    const r = netpol(["convert", "-"], list(np, withNets, anp({})));
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n")).toEqual([
      expect.stringMatching(/^netpol: info: .*\[implicit-namespace\]$/),
      "netpol: info: convert prints admin and baseline policies only; left out: 1 NetworkPolicy",
      "",
    ]);
    const back = policiesOf(r.stdout);
    expect(back.map((p) => p.name)).toEqual(["a", "z"]);
    expect(back[1]!.egress[0]!.peers).toEqual([{ networks: ["10.0.0.0/8"] }]);
    expect(netpol(["convert", "-", "--quiet"], list(np, anp({}))).stderr).toBe("");
  });

  it("an input without admin or baseline policies prints nothing and says so", () => {
    const r = netpol(["convert", "-"], list());
    expect(r).toEqual({
      code: 0,
      stdout: "",
      stderr: "netpol: info: the input has no admin or baseline policy to convert\n",
    });
  });
});

describe("netpol convert: what v1alpha2 cannot say is an error, and nothing is printed", () => {
  const rules = (n: number) =>
    Array.from({ length: n }, () => ({ action: "Deny", from: [{ namespaces: {} }] }));
  it.each([
    [
      "a fail-closed peer (the removed sameLabels)",
      [anp({ ingress: [{ action: "Deny", from: [{ namespaces: {} }, { sameLabels: ["x"] }] }] })],
      "AdminNetworkPolicy a: spec.ingress[0].from[1]: a fail-closed peer",
    ],
    [
      "26 rules in one direction",
      [anp({ ingress: rules(26) })],
      "AdminNetworkPolicy a: spec.ingress: 26 ingress rules",
    ],
    [
      "26 peers in one rule",
      [anp({ egress: [{ action: "Deny", to: Array.from({ length: 26 }, () => ({ namespaces: {} })) }] })],
      "AdminNetworkPolicy a: spec.egress[0].to: 26 peers",
    ],
    [
      "26 ports in one rule",
      [
        anp({
          ingress: [
            {
              ...rules(1)[0],
              ports: Array.from({ length: 26 }, (_, i) => ({ portNumber: { port: i + 1 } })),
            },
          ],
        }),
      ],
      "AdminNetworkPolicy a: spec.ingress[0].ports: 26 ports",
    ],
    [
      "an AdminNetworkPolicy named like a ClusterNetworkPolicy of the input",
      [cnp("a", 900), anp({})],
      "AdminNetworkPolicy a: metadata.name: its ClusterNetworkPolicy would have the name of ClusterNetworkPolicy a",
    ],
  ])("%s", (_, items, message) => {
    const r = netpol(["convert", "-"], list(...items));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`netpol: error: ${message}`);
    expect(r.stderr).toContain("[not-convertible]");
  });

  it("25 rules in one direction convert", () => {
    const ok = anp({ ingress: rules(25) });
    expect(policiesOf(converted(list(ok)))[0]!.ingress).toHaveLength(25);
  });
});

describe("netpol convert: usage", () => {
  it("is in the usage text", () => {
    expect(USAGE).toMatch(/netpol convert <inputs\.\.\.>/);
  });

  it.each([
    [["convert"], "no input files given"],
    [["convert", "-", "--format", "json"], "--format is not an option of convert"],
    [["convert", "-", "--port", "80"], "--port is not an option of convert"],
  ])("%j exits 2", (args, message) => {
    const r = netpol(args, list(anp({})));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("bad input exits 2 naming the file, object and field", () => {
    const r = netpol(["convert", "-"], list(anp({ priority: 1001 })));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("netpol: error: <stdin>: AdminNetworkPolicy a: spec.priority:");
  });
});
