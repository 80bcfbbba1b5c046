// The README's library example, run against the bundled examples/shop: what the README promises
// must stay true (and the example's intended shape — open exactly what the shop needs — must hold).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, evaluate, parseCluster } from "../../src/index.ts";

const DIR = join(import.meta.dirname, "..", "..", "examples", "shop");
const sources = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(DIR, f), "utf8") }));
const { cluster, diagnostics } = parseCluster(sources);
const table = compile(cluster);

describe("README library example on examples/shop", () => {
  it("reads without diagnostics", () => {
    expect([...diagnostics, ...table.diagnostics]).toEqual([]);
  });

  it("decide: frontend → api on 8080 is allowed, IPv4", () => {
    expect(table.decide({ from: "shop/frontend", to: "shop/api", port: 8080 })).toEqual({
      verdict: "allow",
      family: 4,
    });
  });

  it("explain: frontend → db is denied at egress (frontend may only reach the api)", () => {
    const e = table.explain({ from: "shop/frontend", to: "shop/db", port: 5432 });
    expect(e.verdict).toBe("deny");
    expect(e.egress).toMatchObject({ verdict: "deny", isolated: true });
    expect(e.egress.policies).toEqual(["shop/allow-dns", "shop/default-deny", "shop/frontend"]);
  });

  it("matrix: every ordered pair, each equal to the reference", () => {
    const m = table.matrix({ port: 8080, protocol: "TCP" });
    expect(m.flows).toHaveLength(cluster.pods.length ** 2);
    for (const f of m.flows)
      expect(f.verdict, `${f.from} → ${f.to}`).toBe(evaluate(cluster, { ...f, port: 8080 }).verdict);
  });

  it("hot path: allowsIndex on resolved indices", () => {
    const src = table.endpointIndex("shop/frontend");
    const dst = table.endpointIndex("shop/api");
    expect(table.allowsIndex(src, dst, table.portIndex("TCP", 8080))).toBe(true);
    expect(table.allowsIndex(dst, src, table.portIndex("TCP", 8080))).toBe(false);
  });

  it.each([
    ["shop/api", "shop/db", 5432, "allow"],
    ["shop/worker", "shop/db", 5432, "deny"],
    ["monitoring/prometheus", "shop/api", 9090, "allow"],
    ["monitoring/prometheus", "shop/worker", 9090, "deny"],
    ["shop/db", "kube-system/coredns", 53, "allow"],
    ["203.0.113.7", "shop/frontend", 8080, "allow"],
    ["10.244.3.3", "shop/frontend", 8080, "deny"],
  ] as const)("%s → %s:%i is %s", (from, to, port, verdict) => {
    const protocol = port === 53 ? "UDP" : "TCP";
    expect(table.decide({ from, to, port, protocol }).verdict).toBe(verdict);
  });
});
