// `netpol render`: a backend's artifacts written into --out, for the whole cluster and for one
// node; its options checked before any input is read; unsupported features refused (exit 2) or,
// with --allow-unsupported, rendered with warnings.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUILTIN_BACKENDS } from "../../src/backends/builtin.ts";
import { run } from "../../src/cli/run.ts";
import { type Backend, compile, parseCluster, render } from "../../src/index.ts";
import { netpol } from "./netpol.ts";

const SHOP = join(import.meta.dirname, "..", "..", "examples", "shop");
const TMP = mkdtempSync(join(tmpdir(), "netpol-render-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let n = 0;
const outDir = (): string => join(TMP, `out-${n++}`);

const DOMAIN_NAMES = `
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: names }
spec:
  tier: Admin
  priority: 20
  subject: { namespaces: {} }
  egress: [{ action: Accept, to: [{ domainNames: ["*.example.com"] }] }]
`;

function shopTable() {
  const sources = ["namespaces.yaml", "pods.yaml", "policies.yaml"].map((f) => ({
    name: f,
    text: readFileSync(join(SHOP, f), "utf8"),
  }));
  return compile(parseCluster(sources).cluster);
}

const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

describe.each(Object.keys(BUILTIN_BACKENDS))("netpol render --backend %s", (name) => {
  it("writes the artifacts of the whole cluster and prints one summary line", () => {
    const out = outDir();
    const r = netpol(["render", SHOP, "--backend", name, "--out", out, "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const expected = render(shopTable(), BUILTIN_BACKENDS[name]!).artifacts;
    expect(files(out)).toEqual(expected.map((a) => a.path).sort());
    for (const a of expected) expect(readFileSync(join(out, a.path), "utf8")).toBe(a.content);
    expect(files(out)).toContain("README");
    const bytes = expected.reduce((s, a) => s + Buffer.byteLength(a.content), 0);
    expect(r.stdout).toBe(
      `rendered ${name} (whole cluster): ${expected.length} files, ${bytes} bytes in ${out}\n`,
    );
  });

  it("--node renders that node's pods as subjects, into an existing directory", () => {
    const out = outDir();
    expect(netpol(["render", SHOP, "--backend", name, "--out", out, "-q"]).code).toBe(0);
    const whole = files(out).map((f) => readFileSync(join(out, f), "utf8"));
    const r = netpol(["render", SHOP, "--backend", name, "--out", out, "--node", "node-2", "-q"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^rendered ${name} \\(node node-2\\): \\d+ files, \\d+ bytes in `));
    const expected = render(shopTable(), BUILTIN_BACKENDS[name]!, { node: "node-2" }).artifacts;
    for (const a of expected) expect(readFileSync(join(out, a.path), "utf8")).toBe(a.content);
    expect(expected.map((a) => a.content)).not.toEqual(whole);
  });

  it("a feature the backend lacks: exit 2 naming it; --allow-unsupported renders with warnings", () => {
    const backend = BUILTIN_BACKENDS[name]!;
    if (backend.capabilities.features.includes("domain-names")) return;
    const out = outDir();
    const r = netpol(["render", SHOP, "-", "--backend", name, "--out", out, "-q"], DOMAIN_NAMES);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `netpol: error: backend ${name} cannot render: domain-names (ClusterNetworkPolicy names spec.egress[0])`,
    );
    expect(r.stderr).toContain("--allow-unsupported");
    expect(r.stdout).toBe("");
    expect(() => statSync(out)).toThrow(); // nothing written
    const w = netpol(
      ["render", SHOP, "-", "--backend", name, "--out", out, "-q", "--allow-unsupported"],
      DOMAIN_NAMES,
    );
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(new RegExp(`^netpol: warning: backend ${name} does not render domain-names`));
    expect(w.stdout).toMatch(/^rendered /);
  });
});

describe("netpol render: options", () => {
  const usage = (r: { code: number; stdout: string; stderr: string }, message: string): void => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`netpol: ${message}\nRun "netpol --help" for usage.\n`);
  };
  const known = Object.keys(BUILTIN_BACKENDS).sort().join(", ");

  it("--backend is required and must be known (checked before the inputs are read)", () => {
    usage(netpol(["render", SHOP, "--out", outDir()]), "--backend is required");
    usage(
      netpol(["render", "no-such-file.yaml", "--backend", "bogus", "--out", outDir()]),
      `unknown backend "bogus" (known: ${known})`,
    );
    usage(
      netpol(["render", SHOP, "--backend", "constructor", "--out", outDir()]),
      `unknown backend "constructor" (known: ${known})`,
    );
  });

  it("--out is required and must not be a file", () => {
    usage(netpol(["render", SHOP, "--backend", "nftables"]), "--out is required");
    const file = join(TMP, "a-file");
    writeFileSync(file, "x");
    usage(
      netpol(["render", SHOP, "--backend", "nftables", "--out", file]),
      `--out ${JSON.stringify(file)} exists and is not a directory`,
    );
  });

  it("an unknown node, options of other commands, a repeated option, no inputs", () => {
    usage(
      netpol(["render", SHOP, "--backend", "nftables", "--out", outDir(), "--node", "node-9", "-q"]),
      `--node "node-9" is not a node of the cluster (nodes: node-1, node-2)`,
    );
    usage(
      netpol(["render", SHOP, "--backend", "nftables", "--out", outDir(), "--format", "json"]),
      "--format is not an option of render",
    );
    usage(
      netpol(["render", SHOP, "--backend", "nftables", "--out", outDir(), "--port", "80"]),
      "--port is not an option of render",
    );
    usage(
      netpol(["render", SHOP, "--backend", "nftables", "--backend", "nftables", "--out", outDir()]),
      "--backend is given more than once",
    );
    usage(netpol(["render", "--backend", "nftables", "--out", outDir()]), "no input files given");
    usage(
      netpol(["check", SHOP, "--backend", "nftables", "--from", "a/b", "--to", "a/c", "--port", "1"]),
      "--backend is not an option of check",
    );
  });

  it("bad input: exit 2 naming the file, nothing written", () => {
    const out = outDir();
    const r = netpol(
      ["render", "-", "--backend", "nftables", "--out", out],
      "kind: Pod\nmetadata: {name: x\n",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^netpol: error: <stdin>/);
    expect(() => statSync(out)).toThrow();
  });

  it("--profile reaches the compile; an unknown one is exit 2", () => {
    const out = outDir();
    const r = netpol([
      "render",
      SHOP,
      "--backend",
      "nftables",
      "--out",
      out,
      "--profile",
      "ipblock-external",
      "-q",
    ]);
    expect(r.code).toBe(0);
    const table = compile(
      parseCluster(
        readdirSync(SHOP)
          .filter((f) => f.endsWith(".yaml"))
          .sort()
          .map((f) => ({ name: f, text: readFileSync(join(SHOP, f), "utf8") })),
      ).cluster,
      { profile: "ipblock-external" },
    );
    for (const a of render(table, BUILTIN_BACKENDS.nftables!).artifacts)
      expect(readFileSync(join(out, a.path), "utf8")).toBe(a.content);
    const bad = netpol(["render", SHOP, "--backend", "nftables", "--out", outDir(), "--profile", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown profile "nope"');
  });

  it("a file that cannot be written: exit 2 naming it", () => {
    const out = outDir();
    const r0 = netpol(["render", SHOP, "--backend", "nftables", "--out", out, "-q"]);
    expect(r0.code).toBe(0);
    rmSync(join(out, "README"));
    mkdirSync(join(out, "README")); // a directory where the README goes
    const r = netpol(["render", SHOP, "--backend", "nftables", "--out", out, "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^netpol: error: cannot write ${join(out, "README")}: `));
    expect(r.stdout).toBe("");
  });

  it("--help lists render and the built-in backends", () => {
    const r = netpol(["--help"]);
    expect(r.stdout).toContain("netpol render  <inputs...> --backend <name> --out <dir>");
    expect(r.stdout).toContain(`(${known})`);
  });

  it("a backend that writes no README gets a generic one; nested artifact paths make their folders", () => {
    const bare: Backend = {
      name: "bare",
      capabilities: { features: ["ipv4", "ipv6", "port-ranges", "node-scope", "sctp"] },
      render: (ir) => [{ path: "rules/all.txt", content: `${ir.pods.length} pods\n` }],
    };
    const out = outDir();
    let stdout = "";
    const code = run(["render", SHOP, "--backend", "bare", "--out", out, "-q"], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
      readStdin: () => "",
      backends: { bare },
    });
    expect(code).toBe(0);
    expect(files(out)).toEqual(["README", "rules", "rules/all.txt"]);
    expect(readFileSync(join(out, "rules/all.txt"), "utf8")).toBe("6 pods\n");
    expect(readFileSync(join(out, "README"), "utf8")).toContain("rules/all.txt");
    expect(stdout).toMatch(/^rendered bare \(whole cluster\): 2 files, \d+ bytes in /);
  });
});
