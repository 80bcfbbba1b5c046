// Workloads and ns/name[Kind] through check, explain, matrix and --flows; --group-by owner; phases.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { netpol } from "./netpol.ts";

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/workloads/${name}`, import.meta.url));
const GIT = fixture("git.yaml"); // a Deployment, a CronJob and a Pod named like the Deployment
const DUMP = fixture("dump.yaml"); // a Deployment → ReplicaSet → 2 pods, one of them a canary

/** `netpol <command> GIT --from … --to … --port … [extra]`. */
const ask = (command: string, from: string, to: string, port: string, ...extra: string[]) =>
  netpol([command, GIT, "--from", from, "--to", to, "--port", port, ...extra]);

describe("workloads from git manifests", () => {
  it("check and explain take ns/name and ns/name[Kind] (any case)", () => {
    const allow = ask("check", "shop/report", "shop/web[Deployment]", "http", "-q");
    expect(allow).toMatchObject({ code: 0, stdout: "allow shop/report → shop/web[Deployment] TCP/http\n" });
    const deny = ask("check", "shop/web[pod]", "shop/web[Deployment]", "http", "-q");
    expect(deny.stdout).toMatch(
      /^deny shop\/web\[Pod\] → shop\/web\[Deployment\] TCP\/http\n {2}ingress: \[NetworkPolicy\] deny/,
    );
    const explain = ask("explain", "shop/report", "shop/web[Deployment]", "http", "-q", "--format", "json");
    expect(JSON.parse(explain.stdout)).toMatchObject({
      verdict: "allow",
      port: 8080,
      to: "shop/web[Deployment]",
    });
  });

  it("a bare name two kinds share is a usage-level input error listing the choices", () => {
    const r = netpol(["check", GIT, "--from", "shop/report", "--to", "shop/web", "--port", "80", "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '"shop/web" names more than one endpoint (shop/web[Pod], shop/web[Deployment])',
    );
  });

  it("the matrix lists workloads beside pods, the shared name with its kind", () => {
    const r = netpol(["matrix", GIT, "--port", "8080", "--format", "json", "-q"]);
    const m = JSON.parse(r.stdout) as { flows: { from: string; to: string; verdict: string }[] };
    expect([...new Set(m.flows.map((f) => f.from))]).toEqual([
      "shop/report",
      "shop/web[Pod]",
      "shop/web[Deployment]",
    ]);
    const v = (from: string, to: string) => m.flows.find((f) => f.from === from && f.to === to)?.verdict;
    expect(v("shop/report", "shop/web[Deployment]")).toBe("allow");
    expect(v("shop/web[Pod]", "shop/web[Deployment]")).toBe("deny");
  });

  it("--flows files name workloads too", () => {
    const flows = JSON.stringify([
      { from: "shop/report[CronJob]", to: "shop/web[Deployment]", port: "http", expect: "allow" },
      { from: "shop/web[Pod]", to: "shop/web[Deployment]", port: 8080, expect: "deny" },
    ]);
    const r = netpol(["check", GIT, "--flows", "-", "-q"], flows);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { verdict: string }[]).map((f) => f.verdict)).toEqual(["allow", "deny"]);
  });
});

describe("a dump with pods and their owners", () => {
  it("the pods are the endpoints; the owner's name stands for its first pod", () => {
    const r = netpol(["check", DUMP, "--from", "shop/client", "--to", "shop/web", "--port", "80", "-q"]);
    expect(r.stdout).toBe("allow shop/client → shop/web-1 TCP/80\n");
    const m = JSON.parse(netpol(["matrix", DUMP, "--port", "80", "--format", "json", "-q"]).stdout);
    expect(new Set(m.flows.map((f: { from: string }) => f.from))).toEqual(
      new Set(["shop/client", "shop/web-1", "shop/web-2"]),
    );
  });

  it("--group-by owner folds an owner's pods into one row and column; differing pairs are mixed", () => {
    const text = netpol(["matrix", DUMP, "--port", "80", "--group-by", "owner", "-q"]);
    expect(text.stdout).toContain("pods grouped by owner");
    expect(text.stdout).toMatch(/1\. shop\/client +✓ ~ {2}\(1 pod\)\n2\. shop\/web +✓ ✓ {2}\(2 pods\)\n/);
    const json = JSON.parse(
      netpol(["matrix", DUMP, "--port", "80", "--group-by", "owner", "--format", "json", "-q"]).stdout,
    );
    expect(json.groups).toEqual({ "shop/client": ["shop/client"], "shop/web": ["shop/web-1", "shop/web-2"] });
    expect(json.flows).toContainEqual({ from: "shop/client", to: "shop/web", verdict: "mixed" });
    const bad = netpol(["matrix", DUMP, "--port", "80", "--group-by", "node"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--group-by must be owner, got "node"');
  });

  it("warns that the Deployment's pods differ in labels", () => {
    const r = netpol(["matrix", DUMP, "--port", "80"]);
    expect(r.stderr).toMatch(/warning: Deployment shop\/web: its 2 pods carry 2 different label sets/);
  });
});

describe("render from manifests without addresses", () => {
  it("warns that address-less endpoints get no rules (rendered from git, nothing is enforced for them)", () => {
    const out = fileURLToPath(new URL("../../node_modules/.cache/netpol-render-workloads", import.meta.url));
    const r = netpol(["render", GIT, "--backend", "nftables", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "netpol: warning: 3 of 3 endpoints have no address (workload templates, or pods without status.podIPs: shop/report, shop/web[Pod], shop/web[Deployment])",
    );
  });
});
