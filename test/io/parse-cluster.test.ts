import { describe, expect, it } from "vitest";
import { parseCluster, safeParseCluster } from "../../src/io/parse-cluster.ts";
import { InputError } from "../../src/model/input-error.ts";
import { issues, jsonList, ok, pod, policy } from "./helpers.ts";

const MULTI = `# a comment before anything
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: payments}
---
---
# only a comment
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  containers:
  - name: c
    ports:
    - name: http
      containerPort: 8080
status:
  podIP: 10.0.0.5
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: http}]
`;

describe("parseCluster: formats", () => {
  it("multi-document YAML with empty and comment-only documents", () => {
    const { cluster, diagnostics } = ok({ name: "m.yaml", text: MULTI });
    expect(cluster.namespaces.map((n) => n.name)).toEqual(["shop"]);
    expect(cluster.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(["shop/web"]);
    expect(cluster.pods[0]!.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(cluster.networkPolicies[0]!.spec.ingress[0]!.ports).toEqual([{ protocol: "TCP", port: "http" }]);
    expect(diagnostics).toEqual([]);
  });

  it("JSON (detected by a leading { after whitespace) gives the same cluster as YAML", () => {
    const yaml = ok({ name: "m.yaml", text: MULTI }).cluster;
    const items = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { team: "payments" } } },
      pod({
        metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
        spec: { containers: [{ name: "c", ports: [{ name: "http", containerPort: 8080 }] }] },
        status: { podIP: "10.0.0.5" },
      }),
      policy(
        { podSelector: { matchLabels: { app: "web" } }, ingress: [{ ports: [{ port: "http" }] }] },
        "allow-web",
        "shop",
      ),
    ];
    const json = ok({
      name: "m.json",
      text: `\n  ${JSON.stringify({ apiVersion: "v1", kind: "List", items })}`,
    }).cluster;
    expect(json).toEqual(yaml);
  });

  it("typed Lists: items without kind take it from the list (PodList, NetworkPolicyList, NamespaceList)", () => {
    const text = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "v1",
          kind: "PodList",
          items: [{ metadata: { name: "a", namespace: "x" } }, { metadata: { name: "b", namespace: "x" } }],
        },
        {
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicyList",
          items: [{ metadata: { name: "p", namespace: "x" }, spec: { podSelector: {} } }],
        },
        { apiVersion: "v1", kind: "NamespaceList", items: [{ metadata: { name: "x" } }] },
      ],
    });
    const { cluster, diagnostics } = ok({ name: "l.json", text });
    expect(cluster.pods.map((p) => p.name)).toEqual(["a", "b"]);
    expect(cluster.networkPolicies.map((p) => p.name)).toEqual(["p"]);
    expect(cluster.namespaces.map((n) => n.name)).toEqual(["x"]);
    expect(diagnostics).toEqual([]);
  });

  it("YAML List as kubectl get -o yaml prints it; items: null is an empty list", () => {
    const text =
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\nmetadata:\n  resourceVersion: ''\n---\nkind: PodList\napiVersion: v1\nitems: null\n";
    expect(ok({ name: "l.yaml", text }).cluster.pods.map((p) => p.name)).toEqual(["a"]);
  });

  it("list item errors name the item's place", () => {
    const found = issues(
      jsonList([
        { apiVersion: "v1", kind: "Pod", metadata: { name: "ok" } },
        42,
        { metadata: { name: "x" } },
      ]),
    );
    expect(found).toEqual([
      expect.objectContaining({ code: "not-an-object", object: "document 1 items[1]", file: "in.json" }),
      expect.objectContaining({ code: "missing-kind", object: "document 1 items[2]", path: "kind" }),
    ]);
    expect(found[0]!.message).toContain("42");
  });

  it("items that is not an array is invalid-type", () => {
    const [i] = issues({ name: "l.json", text: '{"kind": "List", "apiVersion": "v1", "items": {"a": 1}}' });
    expect(i).toMatchObject({ code: "invalid-type", path: "items" });
  });

  it("output is canonical whatever the input order", () => {
    const a = [pod({}, "b", "y"), pod({}, "a", "y"), pod({}, "c", "x")];
    const one = ok(jsonList(a)).cluster;
    const two = ok(jsonList([...a].reverse())).cluster;
    expect(one).toEqual(two);
    expect(one.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(["x/c", "y/a", "y/b"]);
  });
});

describe("parseCluster: kinds", () => {
  it.each([
    [
      "Deployment of extensions/v1beta1 (only apps/v1 is read)",
      { apiVersion: "extensions/v1beta1", kind: "Deployment", metadata: { name: "d", namespace: "n" } },
      "Deployment n/d",
    ],
    ["Service", { apiVersion: "v1", kind: "Service", metadata: { name: "s" } }, "Service default/s"],
    ["Pod of apiVersion v2", { ...pod(), apiVersion: "v2" }, "Pod ns/a"],
    [
      "a kind named like an Object.prototype member",
      { apiVersion: "v1", kind: "constructor", metadata: { name: "c" } },
      "constructor default/c",
    ],
  ])("%s is ignored with a diagnostic", (_, o, object) => {
    const { cluster, diagnostics } = ok({ name: "k.json", text: JSON.stringify(o) });
    expect(cluster).toEqual({
      namespaces: [],
      pods: [],
      networkPolicies: [],
      nodes: [],
      clusterNetworkPolicies: [],
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: "ignored-kind", severity: "info", object, file: "k.json" }),
    ]);
  });

  it.each([
    [
      "NetworkPolicy of another apiVersion",
      { ...policy({ podSelector: {} }), apiVersion: "networking.k8s.io/v1beta1" },
      "NetworkPolicy ns/np",
    ],
    [
      "AdminNetworkPolicy of another apiVersion (cluster-scoped: no namespace in its name)",
      {
        apiVersion: "policy.networking.k8s.io/v1alpha2",
        kind: "AdminNetworkPolicy",
        metadata: { name: "deny" },
      },
      "AdminNetworkPolicy deny",
    ],
    [
      "ClusterNetworkPolicy of v1alpha1 (only v1alpha2 is read)",
      {
        apiVersion: "policy.networking.k8s.io/v1alpha1",
        kind: "ClusterNetworkPolicy",
        metadata: { name: "c" },
      },
      "ClusterNetworkPolicy c",
    ],
    [
      "Calico GlobalNetworkPolicy",
      { apiVersion: "projectcalico.org/v3", kind: "GlobalNetworkPolicy", metadata: { name: "g" } },
      "GlobalNetworkPolicy g",
    ],
    [
      "CiliumNetworkPolicy",
      { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: "d", namespace: "n" } },
      "CiliumNetworkPolicy n/d",
    ],
    [
      "CiliumClusterwideNetworkPolicy",
      { apiVersion: "cilium.io/v2", kind: "CiliumClusterwideNetworkPolicy", metadata: { name: "d" } },
      "CiliumClusterwideNetworkPolicy d",
    ],
    [
      "Calico NetworkPolicy (projectcalico.org/v3)",
      { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: { name: "c", namespace: "n" } },
      "NetworkPolicy n/c",
    ],
    [
      "MultiNetworkPolicy",
      {
        apiVersion: "k8s.cni.cncf.io/v1beta1",
        kind: "MultiNetworkPolicy",
        metadata: { name: "m", namespace: "n" },
      },
      "MultiNetworkPolicy n/m",
    ],
  ])("%s is not evaluated: a warning that its denials may be missed", (_, o, object) => {
    const { cluster, diagnostics } = ok({ name: "k.json", text: JSON.stringify(o) });
    expect(cluster.networkPolicies).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "ignored-kind",
        severity: "warning",
        object,
        file: "k.json",
        message: expect.stringContaining("not evaluated"),
      }),
    ]);
  });

  it.each([
    ["a scalar document", "just a string\n", "not-an-object", "document 1"],
    ["a top-level YAML array", "- kind: Pod\n", "not-an-object", "document 1"],
    ["an object without kind", "apiVersion: v1\nmetadata: {name: a}\n", "missing-kind", "document 1"],
    [
      "a second document without kind",
      "kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n---\nfoo: 1\n",
      "missing-kind",
      "document 2",
    ],
    ["kind: null", "kind: null\n", "missing-kind", "document 1"],
    ["kind is a number", "kind: 5\n", "invalid-type", "document 1"],
    ["a read kind without apiVersion", "kind: Pod\nmetadata: {name: a}\n", "missing-field", "Pod default/a"],
    ["a JSON array at top level", "[1, 2]", "not-an-object", "document 1"],
  ])("%s is an error", (_, text, code, object) => {
    const found = issues({ name: "e.yaml", text });
    expect(found).toEqual([expect.objectContaining({ code, object, file: "e.yaml" })]);
  });
});

describe("parseCluster: diagnostics", () => {
  it("implicit-namespace for a pod or policy whose namespace has no Namespace object (once per namespace)", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        pod({}, "a", "ghost"),
        policy({ podSelector: {} }, "p", "ghost"),
        pod({}, "b", "real"),
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "real" } },
      ]),
    );
    expect(cluster.namespaces.map((n) => n.name)).toEqual(["ghost", "real"]);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: "implicit-namespace", object: "Namespace ghost", file: "in.json" }),
    ]);
    expect(diagnostics[0]!.message).toContain('"ghost"');
  });

  it("the default namespace is implicit too when no Namespace default is given", () => {
    const { diagnostics } = ok({ name: "p.yaml", text: "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n" });
    expect(diagnostics.map((d) => d.object)).toEqual(["Namespace default"]);
  });

  it("duplicate identical objects are merged with a diagnostic naming the first file", () => {
    const p = pod({ metadata: { name: "a", namespace: "ns", labels: { x: "1", y: "2" } } });
    const reordered = pod({
      metadata: { namespace: "ns", labels: { y: "2", x: "1" }, name: "a" },
      status: {},
    });
    const { cluster, diagnostics } = ok(jsonList([p], "one.json"), jsonList([reordered], "two.json"));
    expect(cluster.pods).toHaveLength(1);
    const dup = diagnostics.find((d) => d.code === "duplicate-object");
    expect(dup).toMatchObject({ object: "Pod ns/a", file: "two.json" });
    expect(dup!.message).toContain("one.json");
  });

  it("duplicate differing objects are an error naming both files", () => {
    const found = issues(
      jsonList([pod({ metadata: { name: "a", namespace: "ns", labels: { v: "1" } } })], "one.json"),
      jsonList([pod({ metadata: { name: "a", namespace: "ns", labels: { v: "2" } } })], "two.json"),
    );
    expect(found).toEqual([
      expect.objectContaining({ code: "duplicate-object", object: "Pod ns/a", file: "two.json" }),
    ]);
    expect(found[0]!.message).toContain("one.json");
    expect(found[0]!.message).toContain("two.json");
  });

  it("the same name in different kinds or namespaces is not a duplicate", () => {
    const { cluster } = ok(
      jsonList([pod({}, "a", "x"), pod({}, "a", "y"), policy({ podSelector: {} }, "a", "x")]),
    );
    expect(cluster.pods).toHaveLength(2);
    expect(cluster.networkPolicies).toHaveLength(1);
  });

  it("unknown fields of a NetworkPolicy are errors (strict, as kubectl) with a did-you-mean; elsewhere ignored", () => {
    const np = policy({
      podSelector: {},
      ingres: [],
      ingress: [{ form: [{ podselector: {} }], from: [{ podSelector: {}, namespaceselector: {} }] }],
    });
    const found = issues(jsonList([{ ...np, sepc: 1 }, pod({ spec: { whatever: true } })]));
    expect(found.map((d) => `${d.code} ${d.object} ${d.path}`)).toEqual([
      "unknown-field NetworkPolicy ns/np sepc",
      "unknown-field NetworkPolicy ns/np spec.ingres",
      "unknown-field NetworkPolicy ns/np spec.ingress[0].form",
      "unknown-field NetworkPolicy ns/np spec.ingress[0].from[0].namespaceselector",
    ]);
    const message = (path: string) => found.find((d) => d.path === path)!.message;
    expect(message("sepc")).toMatch(/unknown field "sepc" \(did you mean "spec"\?\)/);
    expect(message("spec.ingres")).toMatch(/did you mean "ingress"\?/);
    expect(message("spec.ingress[0].form")).toMatch(/did you mean "from"\?/);
    expect(message("spec.ingress[0].from[0].namespaceselector")).toMatch(
      /did you mean "namespaceSelector"\?/,
    );
    // A pod's unknown fields are not ours to police (a dump holds many we do not model).
    expect(ok(jsonList([pod({ spec: { whatever: true } })])).cluster.pods).toHaveLength(1);
  });

  it("a misspelt field that makes the object invalid is named first, with its did-you-mean", () => {
    const found = issues(jsonList([policy({ podSelector: {}, ingress: [{ from: [{ podselector: {} }] }] })]));
    expect(found.map((d) => `${d.code} ${d.path}`)).toEqual([
      "unknown-field spec.ingress[0].from[0].podselector",
      "invalid-peer spec.ingress[0].from[0]",
    ]);
    expect(found[0]!.message).toMatch(/did you mean "podSelector"\?/);
  });

  it("podSelector: null reads as {} (every pod of the namespace) with an info diagnostic", () => {
    const { cluster, diagnostics } = ok(jsonList([policy({ podSelector: null }), pod({})]));
    expect(cluster.networkPolicies[0]!.spec.podSelector).toEqual(
      ok(jsonList([policy({ podSelector: {} })])).cluster.networkPolicies[0]!.spec.podSelector,
    );
    expect(diagnostics.filter((d) => d.code === "null-pod-selector")).toEqual([
      expect.objectContaining({ severity: "info", object: "NetworkPolicy ns/np", path: "spec.podSelector" }),
    ]);
  });
});

describe("parseCluster: errors", () => {
  it("one InputError carries every issue across files, each with file and object", () => {
    let error: unknown;
    try {
      parseCluster([
        { name: "a.yaml", text: "kind: Pod\napiVersion: v1\nmetadata: {name: A}\n" },
        { name: "b.json", text: "{not json" },
        { name: "c.yaml", text: "a: [\n" },
        jsonList([policy({ podSelector: {}, ingress: [{ from: [{}] }] })], "d.json"),
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const found = (error as InputError).issues;
    expect(found.map((i) => [i.file, i.code])).toEqual([
      ["a.yaml", "invalid-name"],
      ["b.json", "invalid-json"],
      ["c.yaml", "yaml-syntax"],
      ["d.json", "invalid-peer"],
    ]);
    expect((error as InputError).message).toContain("a.yaml: Pod default/A: metadata.name:");
    expect(
      (error as InputError).stack === undefined || !(error as InputError).message.includes("    at "),
    ).toBe(true);
  });

  it("safeParseCluster never throws for bad input and returns the same issues", () => {
    const r = safeParseCluster([{ name: "x.yaml", text: "kind: [" }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues[0]!.code).toBe("yaml-syntax");
    const good = safeParseCluster([{ name: "x.yaml", text: "" }]);
    expect(good).toEqual({
      ok: true,
      cluster: { namespaces: [], pods: [], networkPolicies: [], nodes: [], clusterNetworkPolicies: [] },
      diagnostics: [],
    });
  });

  it("YAML syntax errors give document number and line/column", () => {
    const [i] = issues({
      name: "s.yaml",
      text: "kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n---\nkind: Pod\n  bad: [x\n",
    });
    expect(i).toMatchObject({ code: "yaml-syntax", file: "s.yaml", object: "document 2" });
    expect(i!.message).toMatch(/line \d+, column \d+/);
  });

  it("invalid JSON gives line and column, and no raw input", () => {
    const [i] = issues({ name: "s.json", text: '{\n  "kind": "Pod",\n  "x": }' });
    expect(i).toMatchObject({ code: "invalid-json", file: "s.json" });
    expect(i!.message).toMatch(/line 3, column \d+/);
  });

  it("zod's wording never leaks", () => {
    const found = issues(
      jsonList([
        pod({ spec: { containers: [{ ports: [{ containerPort: "x" }] }] } }),
        policy({ podSelector: 3 }),
      ]),
    );
    for (const i of found) expect(i.message).not.toMatch(/Invalid input|received|nonoptional/);
  });

  it("YAML 1.1 booleans as label values are rejected like kubectl does; quoted they work", () => {
    const [i] = issues({
      name: "b.yaml",
      text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {enabled: yes}\n",
    });
    expect(i).toMatchObject({
      code: "invalid-type",
      path: "metadata.labels.enabled",
      object: "Pod default/a",
    });
    expect(i!.message).toContain("true");
    const { cluster } = ok({
      name: "b.yaml",
      text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {enabled: 'yes', date: 2024-01-01}\n",
    });
    expect(cluster.pods[0]!.labels).toEqual({ enabled: "yes", date: "2024-01-01" });
  });
});
