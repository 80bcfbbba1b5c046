// `netpol list`: every format through the CLI on the bundled shop, the filters, and bad options.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { netpol, netpolAsync } from "./netpol.ts";

const SHOP = join(import.meta.dirname, "..", "..", "examples", "shop");
const list = (...args: string[]) => netpol(["list", SHOP, "-q", ...args]);
const json = (...args: string[]) => {
  const r = list("--format", "json", ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    profile: string;
    connections: { src: string; dst: string; conns: unknown }[];
  };
};

describe("netpol list", () => {
  it("prints netpol-analyzer's lines, sorted, with [External] ranges", () => {
    const r = list("--profile", "netpol-analyzer");
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toContain("shop/frontend[Pod] => shop/api[Pod] : TCP 8080");
    expect(lines).toContain("shop/api[Pod] => kube-system/coredns[Pod] : TCP 53,UDP 53");
    expect(lines).toContain(
      "0.0.0.0-10.243.255.255,10.245.0.0-255.255.255.255[External] => shop/frontend[Pod] : TCP 8080",
    );
    expect([...lines].sort()).toEqual(lines);
    // Nothing allowed (the worker reaches only DNS), no self pairs, no external-to-external pairs.
    expect(lines.some((l) => l.startsWith("shop/worker[Pod] => shop/"))).toBe(false);
    expect(lines.some((l) => /^(\S+) => \1 :/.test(l))).toBe(false);
    expect(lines.some((l) => /\[External\] => .*\[External\]/.test(l))).toBe(false);
  });

  it("json: the profile and each connection's port ranges or All Connections", () => {
    const out = json("--profile", "netpol-analyzer");
    expect(out.profile).toBe("netpol-analyzer");
    expect(out.connections).toContainEqual({
      src: "shop/api[Pod]",
      dst: "kube-system/coredns[Pod]",
      conns: { TCP: [[53, 53]], UDP: [[53, 53]] },
    });
    expect(out.connections.some((c) => c.conns === "All Connections")).toBe(true);
  });

  it("--focus lists one workload's connections, both ways; a pod or a bare name finds its workload", () => {
    const out = json("--focus", "shop/api");
    expect(out.connections.length).toBeGreaterThan(0);
    for (const c of out.connections) expect([c.src, c.dst]).toContain("shop/api[Pod]");
    expect(out.connections.some((c) => c.src === "shop/api[Pod]")).toBe(true);
    expect(out.connections.some((c) => c.dst === "shop/api[Pod]")).toBe(true);
    expect(json("--focus", "shop/api[pod]")).toEqual(out);
  });

  it("--namespace, --protocol and --port narrow the list", () => {
    for (const c of json("--namespace", "monitoring").connections)
      expect(c.src.startsWith("monitoring/") || c.dst.startsWith("monitoring/")).toBe(true);
    const udp = json("--protocol", "UDP").connections;
    expect(udp.length).toBeGreaterThan(0);
    for (const c of udp) expect(Object.keys(c.conns as object)).toEqual(["UDP"]);
    const p5432 = json("--port", "5432").connections;
    expect(p5432).toContainEqual({
      src: "shop/api[Pod]",
      dst: "shop/db[Pod]",
      conns: { TCP: [[5432, 5432]] },
    });
    expect(p5432.some((c) => c.src === "shop/frontend[Pod]" && c.dst === "shop/api[Pod]")).toBe(false);
  });

  it("csv, md and dot", () => {
    const csv = list("--format", "csv");
    expect(csv.stdout.split("\n")[0]).toBe("src,dst,conn");
    expect(csv.stdout).toContain('shop/api[Pod],kube-system/coredns[Pod],"TCP 53,UDP 53"\n');
    const md = list("--format", "md");
    expect(md.stdout.split("\n").slice(0, 2)).toEqual(["| src | dst | conn |", "|-----|-----|------|"]);
    const dot = list("--format", "dot");
    expect(dot.stdout.startsWith("digraph")).toBe(true);
    expect(dot.stdout).toContain("cluster_");
  });

  it("svg: a parsed SVG with a node per endpoint (runAsync); run() refuses it with a clear message", async () => {
    const r = await netpolAsync(["list", SHOP, "-q", "--format", "svg"]);
    expect(r.code, r.stderr).toBe(0);
    const problems: string[] = [];
    const doc = new DOMParser({ onError: (l, m) => problems.push(`${l}: ${m}`) }).parseFromString(
      r.stdout,
      "image/svg+xml",
    );
    expect(problems).toEqual([]);
    expect(doc.documentElement!.tagName).toBe("svg");
    const titles = [...doc.getElementsByTagName("title")].map((t) => t.textContent);
    expect(titles.some((t) => t?.includes("shop/api"))).toBe(true);
    const sync = list("--format", "svg");
    expect(sync.code).toBe(2);
    expect(sync.stderr).toContain("runAsync");
  });

  it("bad options exit 2 before any input is read", () => {
    for (const [args, message] of [
      [["--format", "yaml"], "--format of list must be txt, json, csv, md, dot, svg"],
      [["--port", "http"], "--port of list must be a number"],
      [["--port", "0"], "--port of list must be a number"],
      [["--protocol", "ICMP"], "--protocol must be"],
      [["--focus", ""], "--focus needs"],
      [["--from", "a/b"], "--from is not an option of list"],
    ] as const) {
      const r = netpol(["list", "/nonexistent", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it("a focus or namespace naming nothing is an error naming it", () => {
    const r = list("--focus", "shop/nope");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("shop/nope");
    const n = list("--namespace", "nope");
    expect(n.code).toBe(2);
    expect(n.stderr).toContain("namespace nope");
  });

  it("matrix --by workload is --group-by owner", () => {
    const a = netpol(["matrix", SHOP, "-q", "--port", "80", "--by", "workload", "--format", "json"]);
    const b = netpol(["matrix", SHOP, "-q", "--port", "80", "--group-by", "owner", "--format", "json"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(netpol(["matrix", SHOP, "--port", "80", "--by", "owner"]).code).toBe(2);
  });
});

describe("docs/reports", () => {
  // The pictures and listings of docs/reports.md are this build's output (UPDATE_GOLDEN=1 rewrites them).
  const DOCS = join(import.meta.dirname, "..", "..", "docs", "reports");
  it.each([
    ["shop.svg", ["--format", "svg"]],
    ["shop.txt", []],
    ["shop-api.json", ["--focus", "shop/api", "--format", "json"]],
  ] as const)("%s is what netpol list prints", async (file, args) => {
    const r = await netpolAsync(["list", SHOP, "-q", "--profile", "netpol-analyzer", ...args]);
    expect(r.code, r.stderr).toBe(0);
    const path = join(DOCS, file);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, r.stdout);
    expect(r.stdout, `docs/reports/${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
  });
});
