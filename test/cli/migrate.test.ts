// `netpol migrate` (docs/legacy-api.md): the whole input with the legacy API replaced, as YAML
// that netpol reads back; exit codes and diagnostics.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { USAGE } from "../../src/cli/run.ts";
import { migrateLegacy } from "../../src/io/migrate-legacy.ts";
import { parseCluster } from "../../src/io/parse-cluster.ts";
import { netpol } from "./netpol.ts";

const DIR = new URL("../fixtures/legacy/", import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, DIR), "utf8");
const ANNOTATIONS = /net\.alpha\.kubernetes\.io\/network-isolation|net\.beta\.kubernetes\.io\/network-policy/;

describe("netpol migrate: the seed's examples", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml") && f !== "migrate-mixed.yaml");
  it.each(files)("%s: migrated, read back with no legacy object left", (file) => {
    const r = netpol(["migrate", "-"], fixture(file));
    expect(r.code).toBe(0);
    // Every policy is v1 and no annotation is left (the alpha example's ThirdPartyResource passes through).
    for (const doc of r.stdout.split(/^---\n/m))
      if (/^kind: NetworkPolicy$/m.test(doc)) expect(doc).toMatch(/^apiVersion: networking\.k8s\.io\/v1$/m);
    expect(r.stdout).not.toMatch(ANNOTATIONS);
    const back = parseCluster([{ name: "out.yaml", text: r.stdout }]);
    expect(back.diagnostics.filter((d) => d.code.startsWith("legacy-"))).toEqual([]);
    expect(r.stderr).toMatch(/netpol: info: migrated \d+ legacy polic/);
  });

  it("the proposal's example 1 becomes a default deny and the same allow rule", () => {
    const r = netpol(["migrate", "-", "--quiet"], fixture("beta-proposal-1-allow-frontend.yaml"));
    expect(r).toEqual({ code: 0, stderr: "", stdout: expect.any(String) });
    expect(r.stdout).toBe(`kind: Namespace
apiVersion: v1
metadata:
  name: myns
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: legacy-default-deny
  namespace: myns
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
  namespace: myns
spec:
  podSelector:
    matchLabels:
      role: backend
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - protocol: TCP
          port: 6379
`);
  });
});

describe("netpol migrate: the whole input comes out", () => {
  const r = netpol(["migrate", "-"], fixture("migrate-mixed.yaml"));
  const docs = r.stdout.split(/^---\n/m);
  it("exits 0; kinds netpol does not read and v1 policies are passed through", () => {
    expect(r.code).toBe(0);
    expect(docs.map((d) => /^kind: (\S+)/m.exec(d)?.[1])).toEqual([
      "Namespace",
      "NetworkPolicy",
      "Service",
      "NetworkPolicy",
      "List",
    ]);
    expect(docs[2]).toBe(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: ClusterIP\n",
    );
  });

  it("namespaces lose only the isolation annotations", () => {
    expect(docs[0]).toBe(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: x\n  annotations:\n    keep: "yes"\n',
    );
  });

  it("names taken by v1 policies (or by the other form) are not reused; the policy with no effect is left out", () => {
    const { cluster, diagnostics } = parseCluster([{ name: "out.yaml", text: r.stdout }]);
    expect(cluster.networkPolicies.map((p) => `${p.namespace}/${p.name}`)).toEqual([
      "shop/db",
      "shop/db-2",
      "shop/legacy-default-deny",
      "shop/legacy-default-deny-2",
    ]);
    expect(diagnostics.map((d) => d.code)).toEqual(["ignored-kind"]);
    expect(r.stdout).not.toContain("stray");
    expect(r.stderr).toContain("[legacy-no-effect]");
    expect(r.stderr).toContain('translation (of the extensions/v1beta1 policy) is named "db-2"');
    expect(r.stderr).toContain(
      "netpol: info: migrated 2 legacy policies and 1 isolated namespace; left out 1 policy that had no effect\n",
    );
  });

  it("is deterministic: the same files in another order give the same bytes", () => {
    const a = fixture("beta-proposal-1-allow-frontend.yaml");
    const b = fixture("alpha-blog-2016-04.yaml");
    const one = migrateLegacy([
      { name: "a.yaml", text: a },
      { name: "b.yaml", text: b },
    ]).yaml;
    const two = migrateLegacy([
      { name: "b.yaml", text: b },
      { name: "a.yaml", text: a },
    ]).yaml;
    expect(two).toBe(one);
    expect(one.indexOf("name: myns")).toBeLessThan(one.indexOf("name: tenant-a"));
  });

  it("a NetworkPolicyList of extensions/v1beta1 becomes a networking.k8s.io/v1 list", () => {
    const text = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: "x", annotations: { "net.alpha.kubernetes.io/network-isolation": "on" } },
        },
        {
          apiVersion: "extensions/v1beta1",
          kind: "NetworkPolicyList",
          items: [{ metadata: { name: "p", namespace: "x" }, spec: {} }],
        },
      ],
    });
    const r = netpol(["migrate", "-", "--quiet"], text);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "  - apiVersion: networking.k8s.io/v1\n    kind: NetworkPolicyList\n    items:\n      - apiVersion: networking.k8s.io/v1\n        kind: NetworkPolicy\n",
    );
    expect(
      parseCluster([{ name: "out.yaml", text: r.stdout }]).cluster.networkPolicies.map((p) => p.name),
    ).toEqual(["legacy-default-deny", "p"]);
  });

  it("an input without the legacy API is written back as read, and says so", () => {
    const text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n";
    expect(netpol(["migrate", "-"], text)).toEqual({
      code: 0,
      stdout: text,
      stderr: "netpol: info: the input has no legacy network policy API to migrate; written back as read\n",
    });
  });
});

describe("netpol migrate: bad input and usage exit 2, printing nothing", () => {
  it.each([
    [
      "an alpha isolation that is neither on nor off",
      'kind: Namespace\napiVersion: v1\nmetadata:\n  name: x\n  annotations:\n    net.alpha.kubernetes.io/network-isolation: "yes"\n',
      'netpol: error: <stdin>: Namespace x: metadata.annotations["net.alpha.kubernetes.io/network-isolation"]: network isolation must be "on" or "off", got "yes" [invalid-annotation]',
    ],
    [
      "an unquoted on (a YAML boolean)",
      "kind: Namespace\napiVersion: v1\nmetadata:\n  name: x\n  annotations:\n    net.alpha.kubernetes.io/network-isolation: on\n",
      "(quote it: annotation values are strings",
    ],
    [
      "beta annotation JSON that does not parse",
      "kind: Namespace\napiVersion: v1\nmetadata:\n  name: x\n  annotations:\n    net.beta.kubernetes.io/network-policy: '{ingress: DefaultDeny}'\n",
      'Namespace x: metadata.annotations["net.beta.kubernetes.io/network-policy"]: not JSON',
    ],
    [
      "a 1.7+ field in a beta policy",
      "kind: NetworkPolicy\napiVersion: extensions/v1beta1\nmetadata: {name: p, namespace: x}\nspec: {policyTypes: [Ingress]}\n",
      "NetworkPolicy x/p: spec.policyTypes: policyTypes is a field of the 1.7+ API",
    ],
  ])("%s", (_, text, message) => {
    const r = netpol(["migrate", "-"], text);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });

  it.each([
    [["migrate"], "no input files given"],
    [["migrate", "-", "--port", "80"], "--port is not an option of migrate"],
    [["migrate", "-", "--format", "json"], "--format is not an option of migrate"],
  ])("%j", (args, message) => {
    const r = netpol(args, "");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("is in the usage text", () => {
    expect(USAGE).toMatch(/netpol migrate <inputs\.\.\.>/);
  });
});
