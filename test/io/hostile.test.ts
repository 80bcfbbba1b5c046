// Hostile and odd input found by red-teaming parseCluster: each case was a silent wrong answer or a
// misleading error before it was fixed.
import { describe, expect, it } from "vitest";
import { issues, ok, pod } from "./helpers.ts";

/** A per-test timeout that fails a hang (the inputs below once took tens of seconds). */
const HANG_GUARD_MS = 20_000;

const yaml = (text: string) => ({ name: "a.yaml", text });

describe("YAML 1.1 collection tags", () => {
  it("!!omap as matchLabels is an error, not `{}` (a selector of every pod)", () => {
    const found = issues(
      yaml(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n  podSelector: {matchLabels: !!omap [app: db]}\n",
      ),
    );
    expect(found).toMatchObject([{ code: "invalid-type", path: "spec.podSelector.matchLabels" }]);
  });

  it("!!set as labels is read as the mapping it is (null values: an error), not as no labels", () => {
    const found = issues(
      yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: !!set {app, db}}\n"),
    );
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ["invalid-type", "metadata.labels.app"],
      ["invalid-type", "metadata.labels.db"],
    ]);
  });

  it("!!pairs as a spec is an array: invalid-type", () => {
    const found = issues(
      yaml(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: !!pairs [podSelector: {}]\n",
      ),
    );
    expect(found).toMatchObject([{ code: "invalid-type", path: "spec" }]);
  });
});

describe("YAML errors raised while building values", () => {
  it("an alias to an undefined anchor is yaml-syntax, not an alias bomb", () => {
    const found = issues(yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: *l}\n"));
    expect(found).toMatchObject([{ code: "yaml-syntax", object: "document 1" }]);
    expect(found[0]!.message).toContain("Unresolved alias");
  });

  it("a merge of a scalar is yaml-syntax", () => {
    const found = issues(yaml("apiVersion: v1\nkind: Namespace\nmetadata:\n  <<: 5\n  name: a\n"));
    expect(found).toMatchObject([{ code: "yaml-syntax" }]);
    expect(found[0]!.message).toContain("Merge sources");
  });

  // These inputs took 38 s and 10 s before the fix; the tests' own timeouts (HANG_GUARD_MS) are the
  // hang guard — no timed assertion.
  const timed = (text: string) => issues(yaml(text));
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: 1`).join(", ");

  it(
    "2 000 merges of a 20 000-key anchor are too-many-aliases, quickly (yaml's count let it through)",
    () => {
      let text = `apiVersion: v1\nkind: List\nbig: &big {${keys(20_000)}}\nitems:\n`;
      for (let i = 0; i < 2000; i++) text += "- {<<: *big, kind: X}\n";
      expect(timed(text)).toMatchObject([{ code: "too-many-aliases" }]);
    },
    HANG_GUARD_MS,
  );

  it(
    "a 40 000-key mapping with a repeated key is yaml-syntax, quickly (yaml's check is quadratic)",
    () => {
      const text = `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\nx:\n${Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1`).join("\n")}\n  k7: 2\n`;
      expect(timed(text)).toMatchObject([
        { code: "yaml-syntax", message: "Map keys must be unique at line 40005, column 3" },
      ]);
    },
    HANG_GUARD_MS,
  );

  it("a List whose 300 items each merge one small anchor is fine (kubectl reads it)", () => {
    let text =
      "apiVersion: v1\nkind: List\nitems:\n- &base {apiVersion: v1, kind: Pod, metadata: {name: p0, namespace: ns}}\n";
    for (let i = 1; i < 300; i++) text += `- <<: *base\n  metadata: {name: p${i}, namespace: ns}\n`;
    expect(ok(yaml(text)).cluster.pods).toHaveLength(300);
  });

  it("block mappings nested by indentation past the composer's stack are too-deep, not 'Maximum call stack'", () => {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\nx:\n";
    for (let i = 1; i < 1000; i++) text += `${"  ".repeat(i)}a:\n`;
    expect(issues(yaml(text))).toMatchObject([{ code: "too-deep" }]);
  });

  it("a one-line flow mapping of many keys is not 'too deep' (JSON-like YAML)", () => {
    const text = `# converted\n{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}, "x": {${keys(300)}}}\n`;
    expect(ok(yaml(text)).cluster.namespaces.map((n) => n.name)).toEqual(["a"]);
  });
});

describe("byte-order mark", () => {
  const ns = '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}';
  it("a JSON source starting with a BOM is read (Windows editors write one)", () => {
    expect(ok({ name: "a.json", text: `\uFEFF${ns}` }).cluster.namespaces.map((n) => n.name)).toEqual(["a"]);
  });
  it("and a JSON flows file too", async () => {
    const { parseFlows } = await import("../../src/io/parse-flows.ts");
    expect(parseFlows({ name: "f.json", text: '\uFEFF[{"from":"a/b","to":"a/c","port":80}]' })).toHaveLength(
      1,
    );
  });
});

describe("pod addresses", () => {
  const parse = (status: unknown) => issues({ name: "p.json", text: JSON.stringify(pod({ status })) });

  it("a second IPv4 in podIPs is invalid-ip (the engine would match only one)", () => {
    expect(parse({ podIPs: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }] })).toMatchObject([
      { code: "invalid-ip", path: "status.podIPs[1].ip", object: "Pod ns/a" },
    ]);
  });

  it("podIPs disagreeing with podIP in the same family is invalid-ip", () => {
    expect(parse({ podIP: "10.0.0.1", podIPs: [{ ip: "10.0.0.2" }, { ip: "fd00::2" }] })).toMatchObject([
      { code: "invalid-ip", path: "status.podIPs[0].ip" },
    ]);
  });

  it("dual-stack and repeated addresses stay fine", () => {
    const text = JSON.stringify(
      pod({
        status: { podIP: "10.0.0.1", podIPs: [{ ip: "10.0.0.1" }, { ip: "FD00::1" }, { ip: "fd00::1" }] },
      }),
    );
    expect(ok({ name: "p.json", text }).cluster.pods[0]!.podIPs).toEqual(["10.0.0.1", "fd00::1"]);
  });
});

describe("the same files in another order report the same", () => {
  const a = {
    name: "a.yaml",
    text: [
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x}\n",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: x}\nspec: {template: {}}\n",
    ].join("---\n"),
  };
  const b = {
    name: "b.yaml",
    text: [
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x}\n",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p2, namespace: x}\n",
    ].join("---\n"),
  };

  it("diagnostics: the duplicate and the implicit namespace name the canonically first place", () => {
    const ab = ok(a, b).diagnostics;
    expect(ok(b, a).diagnostics).toEqual(ab);
    expect(ab.find((d) => d.code === "duplicate-object")).toMatchObject({ file: "b.yaml" });
    expect(ab.find((d) => d.code === "duplicate-object")!.message).toContain("first in a.yaml (document 1)");
    expect(ab.find((d) => d.code === "implicit-namespace")!.message).toContain(
      "first used in a.yaml (document 1)",
    );
  });

  it("issues: sources in name order, a differing duplicate named the same way", () => {
    const c = {
      name: "c.yaml",
      text: "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x, labels: {v: z}}\n",
    };
    const bad = { name: "0.yaml", text: "kind: [\n" };
    const forward = issues(a, b, c, bad);
    expect(issues(bad, c, b, a)).toEqual(forward);
    expect(forward.map((i) => [i.file, i.code])).toEqual([
      ["0.yaml", "yaml-syntax"],
      ["c.yaml", "duplicate-object"],
    ]);
    expect(forward[1]!.message).toContain("in a.yaml (document 1) and in c.yaml (document 1)");
  });
});

describe("JSON duplicate keys", () => {
  it("are invalid-json with the key and position, as YAML's are yaml-syntax (JSON.parse keeps the last)", () => {
    const text =
      '{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np"},\n"spec":{"podSelector":{"matchLabels":{"app":"db"},"matchLabels":{}}}}';
    const found = issues({ name: "np.json", text });
    expect(found).toEqual([
      {
        code: "invalid-json",
        file: "np.json",
        message: 'invalid JSON at line 2, column 51: duplicate key "matchLabels" in one object',
      },
    ]);
  });

  it("escapes are compared decoded; equal keys in different objects are fine", () => {
    expect(issues({ name: "a.json", text: '{"kind":"Pod","\\u006bind":"Pod"}' })[0]!.message).toContain(
      'duplicate key "kind"',
    );
    const text =
      '{"kind":"List","apiVersion":"v1","items":[{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"a\\\\"}},{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"b"}}]}';
    expect(issues({ name: "l.json", text }).map((i) => i.code)).toEqual(["invalid-name"]);
  });
});

describe("object names in issues", () => {
  it("a namespace of the wrong type is named as read, not as `default`", () => {
    const found = issues(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: yes}\n"));
    expect(found).toMatchObject([{ object: "Pod true/p", path: "metadata.namespace", code: "invalid-type" }]);
    const obj = issues(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: {a: b}}\n"));
    expect(obj).toMatchObject([{ object: "Pod ?/p" }]);
  });
});

describe("container port names", () => {
  const ports = (containers: unknown) => ({
    name: "p.json",
    text: JSON.stringify(pod({ spec: { containers } })),
  });

  it("a name twice in one container is invalid-port (validateContainerPorts), even across protocols", () => {
    const found = issues(
      ports([
        {
          ports: [
            { name: "dns", containerPort: 53, protocol: "UDP" },
            { name: "dns", containerPort: 53 },
          ],
        },
      ]),
    );
    expect(found).toMatchObject([{ code: "invalid-port", path: "spec.containers[0].ports[1].name" }]);
  });

  it("the same name in two containers stays legal", () => {
    const two = ports([
      { ports: [{ name: "http", containerPort: 80 }] },
      { ports: [{ name: "http", containerPort: 81 }] },
    ]);
    expect(ok(two).cluster.pods[0]!.ports).toHaveLength(2);
  });
});
