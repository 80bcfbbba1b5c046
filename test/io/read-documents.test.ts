import { describe, expect, it } from "vitest";
import { safeParseCluster } from "../../src/io/parse-cluster.ts";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_YAML_BYTES,
  MAX_DEPTH,
  readDocuments,
} from "../../src/io/read-documents.ts";
import { issues, ok } from "./helpers.ts";

const LIMITS = { maxBytes: 64 * 1024 * 1024, maxYamlBytes: 8 * 1024 * 1024 };
const codeOf = (name: string, text: string) => issues({ name, text }).map((i) => i.code);

describe("readDocuments", () => {
  it("splits multi-document YAML, skipping empty and comment-only documents, numbering from 1", () => {
    const r = readDocuments("f.yaml", "---\n# c\n---\na: 1\n---\n---\nb: 2\n...\n", LIMITS);
    expect(r.issues).toEqual([]);
    expect(r.documents).toEqual([
      { value: { a: 1 }, index: 2 },
      { value: { b: 2 }, index: 4 },
    ]);
  });

  it("detects JSON by the first non-blank character", () => {
    expect(readDocuments("x", '  \n{"a": 1}', LIMITS).documents).toEqual([{ value: { a: 1 }, index: 1 }]);
    // not JSON: YAML reads this as the string "a"
    expect(readDocuments("x", "a", LIMITS).documents).toEqual([{ value: "a", index: 1 }]);
  });
});

describe("YAML as kubectl reads it", () => {
  it.each([
    ["duplicate keys", "a: 1\na: 2\n", "yaml-syntax"],
    ["a collection as a key", "? [a]\n: 1\n", "yaml-syntax"],
  ])("%s → %s with line and column", (_, text, code) => {
    const [i] = issues({ name: "k.yaml", text });
    expect(i).toMatchObject({ code, object: "document 1" });
    expect(i!.message).toMatch(/line \d+, column \d+/);
  });

  it("bare null documents are skipped", () => {
    expect(readDocuments("n.yaml", "~\n---\nnull\n", LIMITS)).toEqual({ documents: [], issues: [] });
  });
});

describe("hostile input", () => {
  it.each([
    ["JSON, 100k nested [", "[".repeat(100_000) + "]".repeat(100_000)],
    ["JSON, 100k nested [ unbalanced", "[".repeat(100_000)],
    ["JSON, 101 nested objects", `${'{"a":'.repeat(MAX_DEPTH + 1)}1${"}".repeat(MAX_DEPTH + 1)}`],
  ])("%s → too-deep or invalid-json, no crash", (_, text) => {
    const codes = codeOf("d.json", text);
    expect(codes.length).toBe(1);
    expect(["too-deep", "invalid-json"]).toContain(codes[0]);
  });

  it("JSON nested 2.5M deep (5 MB) is refused by a scan before JSON.parse builds it; brackets in strings do not count", () => {
    expect(codeOf("d.json", "[".repeat(2_500_000) + "]".repeat(2_500_000))).toEqual(["too-deep"]);
    const quoted = `{"a": "${"[".repeat(500)}\\"${"{".repeat(500)}", "b": 1}`;
    expect(readDocuments("q.json", quoted, LIMITS).issues).toEqual([]);
  });

  it("JSON nesting at exactly the limit is read", () => {
    const text = `${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}`;
    expect(readDocuments("d.json", text, LIMITS).issues).toEqual([]);
    expect(codeOf("d.json", `[${text}]`)).toEqual(["too-deep"]);
  });

  it.each([
    ["flow [ 100k", "[".repeat(100_000) + "]".repeat(100_000)],
    ["flow { 100k", `a: ${"{a: ".repeat(100_000)}1${"}".repeat(100_000)}`],
    ["flow 1000 (fatal to the yaml parser without the pre-check)", "[".repeat(1000) + "]".repeat(1000)],
    ["compact sequences", `${"- ".repeat(5000)}x\n`],
    ["explicit keys", `${"? ".repeat(3000)}x\n`],
    ["deep block mappings", `${Array.from({ length: 150 }, (_, i) => `${" ".repeat(i)}a:`).join("\n")} 1\n`],
  ])("YAML %s → too-deep", (_, text) => {
    expect(codeOf("d.yaml", text)).toEqual(["too-deep"]);
  });

  it("brackets inside quoted strings and block scalars do not count as nesting", () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    x: "${"[".repeat(500)}"\n    y: |\n      ${"{".repeat(500)}\n`;
    expect(ok({ name: "q.yaml", text }).cluster.pods).toHaveLength(1);
  });

  it("YAML alias bomb → too-many-aliases, quickly", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    // The point is "not exponential": the test's timeout is the guard, not a timed assertion.
    expect(codeOf("bomb.yaml", `${lines.join("\n")}\nkind: Pod\n`)).toEqual(["too-many-aliases"]);
  }, 20_000);

  it("a few aliases are fine (merge keys too)", () => {
    const text =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations: &l {app: web}\n  labels:\n    <<: *l\n    tier: db\n";
    expect(ok({ name: "a.yaml", text }).cluster.pods[0]!.labels).toEqual({ app: "web", tier: "db" });
  });

  it("a source over maxBytes → too-large, whatever its content", () => {
    const r = safeParseCluster(
      [{ name: "big.json", text: `{"kind":"List","items":[]}${" ".repeat(2000)}` }],
      { maxBytes: 1000 },
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.issues).toEqual([expect.objectContaining({ code: "too-large", file: "big.json" })]);
    // counted in UTF-8 bytes, not UTF-16 code units
    const multi = safeParseCluster([{ name: "u.yaml", text: `a: "${"é".repeat(600)}"` }], { maxBytes: 1000 });
    expect(multi.ok).toBe(false);
  });

  it("a ~50 MB JSON PodList is read correctly in seconds", () => {
    const items = [];
    for (let i = 0; i < 100_000; i++)
      items.push({
        metadata: {
          name: `p${i}`,
          namespace: `ns${i % 50}`,
          labels: { app: `a${i % 10}`, tier: "web" },
          annotations: { note: "x".repeat(150) },
        },
        spec: { containers: [{ name: "c", ports: [{ name: "http", containerPort: 8080 }] }] },
        status: { podIP: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` },
      });
    const text = JSON.stringify({ apiVersion: "v1", kind: "PodList", items }, null, 1);
    expect(text.length).toBeGreaterThan(45_000_000);
    const { cluster } = ok({ name: "big.json", text });
    expect(cluster.pods).toHaveLength(100_000);
    expect(cluster.namespaces).toHaveLength(50);
    expect(cluster.pods.find((p) => p.name === "p257")!.podIPs).toEqual(["10.0.1.1"]);
  });

  it("YAML has the JSON limit by default: a ~10 MB List (over the old 8 MiB YAML limit) is read", () => {
    expect(DEFAULT_MAX_YAML_BYTES).toBe(DEFAULT_MAX_BYTES);
    let text = "apiVersion: v1\nkind: List\nitems:\n";
    for (let i = 0; i < 16_000; i++)
      text += `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p${i}\n    namespace: ns${i % 50}\n    labels: {app: a${i % 10}, enabled: "yes"}\n    annotations:\n      note: ${"x".repeat(400)}\n  status:\n    podIP: 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}\n`;
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
    const { cluster } = ok({ name: "big.yaml", text });
    expect(cluster.pods).toHaveLength(16_000);
    expect(cluster.pods.find((p) => p.name === "p257")!).toMatchObject({
      podIPs: ["10.0.1.1"],
      labels: { app: "a7", enabled: "yes" },
    });
  }, 60_000);

  it("maxYamlBytes still lowers the YAML limit: a bigger source → too-large at once, JSON named", () => {
    const chunk = "- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n";
    const text = `apiVersion: v1\nkind: List\nitems:\n${chunk.repeat(Math.ceil(2_000_000 / chunk.length))}`;
    const r = safeParseCluster([{ name: "big.yaml", text }], { maxYamlBytes: 1024 * 1024 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues).toEqual([expect.objectContaining({ code: "too-large", file: "big.yaml" })]);
    expect(r.error.issues[0]!.message).toContain("JSON");
  });
});
