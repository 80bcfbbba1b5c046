// Keeps the dependency arrows of STYLE.md: model ← compile → ir ← engine, ir ← backends,
// zod only in io/, immer only in model/, node: only in cli/. Reads the imports of every source file.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms)].map((m) => m[1]!);
}

/** Folder of `src/` a relative import lands in, or the package name of a bare import. */
function target(file: string, spec: string): string {
  if (!spec.startsWith(".")) return spec.startsWith("node:") ? "node:" : spec.split("/")[0]!;
  const abs = join(file, "..", spec);
  const rel = relative(SRC, abs).split("/");
  return rel.length === 1 ? "(root)" : rel[0]!;
}

// What each folder may import (besides itself).
const ALLOWED: Record<string, readonly string[]> = {
  model: ["immer"],
  net: ["model"],
  selectors: ["model"],
  ir: ["model", "net"],
  io: ["model", "net", "selectors", "zod", "yaml", "js-yaml"],
  compile: ["model", "net", "selectors", "ir"],
  engine: ["model", "net", "ir"],
  reference: ["model", "net", "selectors"],
  backends: ["ir", "net", "model"],
  incremental: ["model", "net", "selectors", "ir", "engine", "(root)"],
  report: ["model", "@hpcc-js"], // @hpcc-js/wasm-graphviz: render-svg.ts, a lazy import()
  cli: ["model", "io", "compile", "engine", "ir", "backends", "report", "node:", "(root)"],
  "(root)": [
    "model",
    "io",
    "net",
    "selectors",
    "ir",
    "compile",
    "engine",
    "reference",
    "backends",
    "report",
    "incremental",
  ],
};

describe("architecture", () => {
  const all = files(SRC);
  it("finds the source files", () => {
    expect(all.length).toBeGreaterThan(10);
  });
  for (const file of all) {
    const rel = relative(SRC, file);
    const folder = rel.includes("/") ? rel.split("/")[0]! : "(root)";
    it(`${rel} imports only what its layer may`, () => {
      const allowed = ALLOWED[folder];
      expect(allowed, `no rule for folder ${folder}`).toBeDefined();
      const bad = imports(file)
        .map((spec) => target(file, spec))
        .filter((t) => t !== folder && !allowed!.includes(t));
      expect(bad, `${rel} imports ${bad.join(", ")}`).toEqual([]);
    });
  }
  // A backend (src/backends/<name>/) reads the IR and nothing else of the engine: it imports its own
  // folder, ir/, net/, backends/shared/ and backends/contract.ts — never another backend, the model,
  // the compiler, the engine or io (docs/backends.md, "The import rule"). From backends/render.ts
  // only its error classes (a backend may throw a RenderError; it never calls render()).
  const BACKENDS = join(SRC, "backends");
  const backendFiles = all.filter(
    (f) =>
      relative(BACKENDS, f).split("/").length > 1 &&
      !relative(BACKENDS, f).startsWith("shared/") &&
      !relative(BACKENDS, f).startsWith(".."),
  );
  it("finds backend folders", () => {
    expect(backendFiles.length).toBeGreaterThan(0);
  });
  for (const file of backendFiles) {
    const rel = relative(SRC, file);
    const own = relative(BACKENDS, file).split("/")[0]!;
    it(`${rel} imports only ir/, net/, backends/shared/, backends/contract.ts and its own folder`, () => {
      const bad = imports(file).filter((spec) => {
        if (!spec.startsWith(".")) return true; // no packages, no node: either
        const to = relative(SRC, join(file, "..", spec)).split("/");
        if (to[0] === "ir" || to[0] === "net") return false;
        if (to[0] !== "backends") return true;
        if (to.length === 2 && to[1] === "render.ts") return false; // names checked below
        return !(to[1] === "shared" || to[1] === own || (to.length === 2 && to[1] === "contract.ts"));
      });
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /^\s*import\s+(?:type\s+)?\{([^}]*)\}\s*from\s+["'](\.\.\/render\.ts)["']/gm,
      ))
        for (const name of m[1]!
          .split(",")
          .map((x) => x.replace(/^\s*type\s+/, "").trim())
          .filter((x) => x !== ""))
          if (name !== "RenderError" && name !== "UnsupportedFeatureError")
            bad.push(`${name} from ../render.ts`);
      if (/^\s*import\s+(?!(?:type\s+)?\{)[^;]*from\s+["']\.\.\/render\.ts["']/m.test(text))
        bad.push("../render.ts (only { RenderError, UnsupportedFeatureError })");
      expect(bad, `${rel} imports ${bad.join(", ")}`).toEqual([]);
    });
  }
  it("no import cycles between files (type-only imports included)", () => {
    // Edges file → file of every relative import; a cycle is reported as the path that closes it.
    const graph = new Map<string, string[]>();
    for (const file of all)
      graph.set(
        relative(SRC, file),
        imports(file)
          .filter((spec) => spec.startsWith("."))
          .map((spec) => relative(SRC, join(file, "..", spec))),
      );
    const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      state.set(f, 1);
      for (const to of graph.get(f) ?? []) {
        if (state.get(to) === 1) cycles.push([...path.slice(path.indexOf(to)), to].join(" → "));
        else if (state.get(to) === undefined) visit(to, [...path, to]);
      }
      state.set(f, 2);
    };
    for (const f of [...graph.keys()].sort()) if (state.get(f) === undefined) visit(f, [f]);
    expect(cycles).toEqual([]);
  });
  it("src/index.ts lists exports by name (no export *)", () => {
    expect(readFileSync(join(SRC, "index.ts"), "utf8")).not.toMatch(/^\s*export\s+\*/m);
  });
});
