// The fast YAML reader (js-yaml) against the exact one (`yaml`, what this project always used): the
// same values on everything both read, the same protections on what neither should.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { dump } from "js-yaml";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { EXACT_RETRY_MAX_CHARS, MAX_DOCUMENTS, readYaml } from "../../src/io/read-yaml.ts";
import { readYamlComposed } from "../../src/io/read-yaml-composed.ts";

const SHOP = join(import.meta.dirname, "..", "..", "examples", "shop");
/** A hang guard for the hostile inputs (no timed assertion: the test's own timeout). */
const HANG_GUARD_MS = 60_000;

/** Pad a source past the size the exact reader retries, so that the fast reader's answer is the one given. */
const PAD_LINES = Math.ceil(EXACT_RETRY_MAX_CHARS / 10) + 1;
const big = (text: string): string => `${"# padding\n".repeat(PAD_LINES)}${text}`;

const SCALARS = [
  "yes",
  "Yes",
  "NO",
  "on",
  "Off",
  "y",
  "n",
  "true",
  "False",
  "~",
  "null",
  "",
  "1e3",
  "1.5e-3",
  "-2E+2",
  "190:20:30",
  "1:20.5",
  "2024-01-01",
  "2026-11-02T09:14:27Z",
  "010",
  "08",
  "0b101",
  "0x1F",
  "-0x1f",
  "1_000",
  "+5",
  "0o17",
  ".5",
  "5.",
  ".inf",
  "-.Inf",
  ".nan",
  "80",
  "8080/TCP",
  "0.0.0.0/0",
  "10.0.0.1",
  "fd00::1",
  "a:b",
  "'quoted'",
  '"yes"',
];

describe("the fast reader reads what the exact one reads", () => {
  it.each(SCALARS)("scalar %s", (scalar) => {
    const text = `value: ${scalar}\nlist: [${scalar === "" ? "''" : scalar}]\n`;
    const fast = readYaml(text, "s.yaml");
    expect(fast.issues).toEqual([]);
    expect(fast).toEqual(readYamlComposed(text, "s.yaml"));
  });

  it("as kubectl: YAML 1.1 booleans, timestamps and sexagesimals as strings, exponents as numbers", () => {
    const text = big(
      "a: yes\nb: off\nc: 2024-01-01\nd: 190:20:30\ne: 1e3\nf: 010\ng: .\nh: !!timestamp 2024-01-01\ni: 5e83990000\n",
    );
    expect(readYaml(text, "k.yaml").documents[0]!.value).toEqual({
      a: true,
      b: false,
      c: "2024-01-01",
      d: "190:20:30",
      e: 1000,
      f: 8,
      g: ".",
      h: "2024-01-01",
      i: "5e83990000", // out of range: a string, as go-yaml reads it (a pod-template-hash)
    });
  });

  it("ints as go-yaml v2 reads them (Go's ParseInt, base 0): 0o, 0O, 0B, 0X prefixes, underscores; both readers alike", () => {
    const text = "a: 0o17\nb: 0O17\nc: 0B1111\nd: 0X0f\ne: 017\nf: 0o1_7\ng: 1_000\nh: 08\ni: -0o17\n";
    const value = { a: 15, b: 15, c: 15, d: 15, e: 15, f: 15, g: 1000, h: 8, i: -15 };
    expect(readYaml(big(text), "i.yaml").documents).toEqual([{ value, index: 1 }]);
    expect(readYamlComposed(text, "i.yaml").documents).toEqual([{ value, index: 1 }]);
    // What sends a small source to the exact reader (an unknown tag) leaves the numbers as they are.
    const withTag = `${text}j: !foo bar\nk: 5e83990000\n`;
    expect(readYaml(withTag, "t.yaml").documents[0]!.value).toEqual({ ...value, j: "bar", k: "5e83990000" });
  });

  it.each([
    ["!!set", "labels: !!set {app, db}\n", { labels: { app: null, db: null } }],
    ["!!omap", "matchLabels: !!omap [app: db]\n", { matchLabels: [{ app: "db" }] }],
    ["!!pairs", "spec: !!pairs [podSelector: {}]\n", { spec: [{ podSelector: {} }] }],
  ])(
    "%s stays the plain collection it is written as (a JS Set or Map would read as empty)",
    (_, text, value) => {
      expect(readYaml(big(text), "t.yaml").documents).toEqual([{ value, index: 1 }]);
      expect(readYamlComposed(text, "t.yaml").documents).toEqual([{ value, index: 1 }]);
    },
  );

  it.each(["namespaces.yaml", "pods.yaml", "policies.yaml"])("examples/shop/%s", (name) => {
    const text = readFileSync(join(SHOP, name), "utf8");
    const fast = readYaml(text, name);
    expect(fast.documents.length).toBeGreaterThan(0);
    expect(fast).toEqual(readYamlComposed(text, name));
  });

  it("documents numbered alike, empty ones skipped, merges and anchors resolved alike", () => {
    const text =
      "---\n# c\n---\nbase: &b {app: web, tier: db}\nlabels:\n  <<: *b\n  tier: api\n---\n---\n- &c [1, {x: y}]\n- [*c, *c]\n...\n";
    const fast = readYaml(text, "m.yaml");
    expect(fast.documents.map((d) => d.index)).toEqual([2, 4]);
    expect(fast).toEqual(readYamlComposed(text, "m.yaml"));
  });
});

describe("fast ≡ exact (property)", () => {
  const scalar = fc.oneof(
    fc.string(),
    fc.constantFrom(...SCALARS, "190:20:30", "2024-01-01", "1_000", "-.5"),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      scalar,
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("a", "yes", "1", "k")), tie("v"), { maxKeys: 4 }),
    ),
  })).v;

  it("whatever the exact reader reads, the fast one (no retry: a big source) reads the same", () => {
    let read = 0;
    fc.assert(
      fc.property(value, fc.constantFrom("yaml", "block", "flow"), (v, writer) => {
        // Written by both libraries, in block and flow styles: the text a user's tool may produce.
        const text =
          writer === "yaml"
            ? stringify(v, { version: "1.1" })
            : dump(v, { flowLevel: writer === "flow" ? 0 : -1 });
        const exact = readYamlComposed(text, "p.yaml");
        if (exact.issues.length > 0) return;
        read++;
        expect(readYaml(big(text), "p.yaml")).toEqual(exact);
      }),
      { numRuns: 300, seed: 20261204 },
    );
    expect(read).toBeGreaterThan(240);
  });
});

describe("what the fast reader refuses in a big source, with its line and column", () => {
  const one = (text: string) => {
    const r = readYaml(big(text), "b.yaml");
    expect(r.documents).toEqual([]);
    expect(r.issues).toHaveLength(1);
    return r.issues[0]!;
  };

  it("a repeated key: the exact reader's words", () => {
    expect(one("a: 1\nb: 2\na: 3\n")).toEqual({
      code: "yaml-syntax",
      file: "b.yaml",
      object: "document 1",
      message: `Map keys must be unique at line ${PAD_LINES + 3}, column 1`,
    });
  });

  it("names the document the error is in (the one before a `---` when it is found there)", () => {
    const docs = ["a: 1\n", "b: 2\n", "c: [1, 2\n", "d: 4\n"];
    expect(one(`---\n${docs.join("---\n")}`)).toMatchObject({ object: "document 3" });
    expect(one(docs.join("---\n"))).toMatchObject({ object: "document 3" });
    expect(one(`a: 1\n---\nb: [2\n---\nc: 3\n`)).toMatchObject({ object: "document 2" });
  });

  it("a syntax error and an unknown tag: yaml-syntax at a line", () => {
    expect(one("a: [1, 2\nb: 3\n")).toMatchObject({
      code: "yaml-syntax",
      message: /at line \d+, column \d+$/,
    });
    expect(one("a: !foo bar\n")).toMatchObject({ code: "yaml-syntax", message: /unknown .*tag.* at line/ });
  });

  it("a collection as a key: yaml-syntax", () => {
    expect(one("? [a]\n: 1\n")).toMatchObject({ code: "yaml-syntax" });
  });

  it(
    "merges of a big anchor: too-many-aliases (js-yaml's merge-key limit is the node budget)",
    () => {
      const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join(", ");
      let text = `big: &big {${keys}}\nitems:\n`;
      for (let i = 0; i < 2000; i++) text += "- {<<: *big, kind: X}\n";
      expect(one(text)).toMatchObject({ code: "too-many-aliases" });
    },
    HANG_GUARD_MS,
  );

  it(
    "aliases nested by reference (a billion laughs): too-many-aliases on the walk, not a hang",
    () => {
      const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
      for (let i = 1; i < 12; i++)
        lines.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(96 + i)}`)
            .join(", ")}]`,
        );
      expect(one(`${lines.join("\n")}\n`)).toMatchObject({ code: "too-many-aliases", object: "document 1" });
    },
    HANG_GUARD_MS,
  );

  it("nesting past the limit: too-deep", () => {
    expect(one(`a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`)).toMatchObject({ code: "too-deep" });
    expect(one(`${"- ".repeat(5000)}x\n`)).toMatchObject({ code: "too-deep" });
  });
});

describe("many small things in a few MB", () => {
  it(
    "2 000 000 empty documents (8 MB): too-many-documents before parsing; 100 000 are read",
    () => {
      expect(readYaml("---\n".repeat(2_000_000), "e.yaml")).toEqual({
        documents: [],
        issues: [
          {
            code: "too-many-documents",
            file: "e.yaml",
            message: `more than ${MAX_DOCUMENTS} YAML documents in one source`,
          },
        ],
      });
      const many = `${"---\na: 1\n".repeat(MAX_DOCUMENTS - 1)}---\n# last\n`;
      expect(readYaml(many, "m.yaml").documents).toHaveLength(MAX_DOCUMENTS - 1);
      expect(readYaml(`${many}---\n`, "m.yaml").issues).toMatchObject([{ code: "too-many-documents" }]);
      // Documents ended by `...` need no `---`: they count too.
      expect(readYaml("kind: Namespace\n...\n".repeat(300_000), "d.yaml").issues).toMatchObject([
        { code: "too-many-documents" },
      ]);
    },
    HANG_GUARD_MS,
  );

  it(
    "300 000 keys in one mapping (3.6 MB), and one repeated: read, and refused at its line",
    () => {
      const keys = `x:\n${Array.from({ length: 300_000 }, (_, i) => `  k${i}: 1`).join("\n")}\n`;
      const value = readYaml(keys, "k.yaml").documents[0]!.value as { x: object };
      expect(Object.keys(value.x)).toHaveLength(300_000);
      expect(readYaml(`${keys}  k7: 2\n`, "k.yaml").issues).toEqual([
        {
          code: "yaml-syntax",
          file: "k.yaml",
          object: "document 1",
          message: "Map keys must be unique at line 300002, column 3",
        },
      ]);
    },
    HANG_GUARD_MS,
  );
});
