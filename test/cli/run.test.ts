// The `netpol` CLI contract (docs/cli.md), run in-process through `run` with captured output.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { netpol } from "./netpol.ts";

const SHOP = join(import.meta.dirname, "..", "..", "examples", "shop");
const tmp = mkdtempSync(join(tmpdir(), "netpol-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe("netpol matrix", () => {
  it("prints every ordered pair of pods as JSON with exactly the contract's keys", () => {
    const r = netpol(["matrix", SHOP, "--port", "8080", "--protocol", "TCP", "--format", "json"]);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as { flows: { from: string; to: string; verdict: string }[] };
    expect(Object.keys(m)).toEqual(["port", "protocol", "profile", "flows"]);
    expect(m).toMatchObject({ port: 8080, protocol: "TCP", profile: "conformance" });
    expect(m.flows).toHaveLength(36);
    const v = (from: string, to: string) => m.flows.find((f) => f.from === from && f.to === to)?.verdict;
    expect(v("shop/frontend", "shop/api")).toBe("allow");
    expect(v("monitoring/prometheus", "shop/api")).toBe("deny"); // only the metrics port is open to it
    expect(v("shop/worker", "shop/api")).toBe("deny"); // worker egress reaches tier=data only
    expect(v("shop/api", "shop/frontend")).toBe("deny");
    expect(new Set(m.flows.map((f) => `${f.from}>${f.to}`)).size).toBe(36);
  });

  it("prints a readable grid by default", () => {
    const r = netpol(["matrix", SHOP, "--port", "8080"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("TCP/8080, profile conformance");
    expect(r.stdout).toMatch(/shop\/frontend/);
    expect(r.stdout).toMatch(/\d+ allowed, \d+ denied, 0 unknown of 36 pairs/);
  });

  it("takes a profile by name and rejects unknown ones", () => {
    const ok = netpol([
      "matrix",
      SHOP,
      "--port",
      "8080",
      "--profile",
      "ipblock-external",
      "--format",
      "json",
    ]);
    expect(JSON.parse(ok.stdout).profile).toBe("ipblock-external");
    const bad = netpol(["matrix", SHOP, "--port", "8080", "--profile", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown profile "nope"');
  });

  it("resolves a named port per destination pod", () => {
    const r = netpol(["matrix", SHOP, "--port", "metrics", "--format", "json"]);
    const m = JSON.parse(r.stdout) as {
      port: string;
      flows: { from: string; to: string; verdict: string }[];
    };
    expect(m.port).toBe("metrics");
    const v = (from: string, to: string) => m.flows.find((f) => f.from === from && f.to === to)?.verdict;
    expect(v("monitoring/prometheus", "shop/api")).toBe("allow");
    expect(v("monitoring/prometheus", "shop/db")).toBe("unknown"); // db declares no port named metrics
  });
});

describe("netpol check", () => {
  it("answers one flow as JSON with its explanation", () => {
    const r = netpol([
      "check",
      SHOP,
      "--from",
      "shop/frontend",
      "--to",
      "shop/api",
      "--port",
      "http",
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(["from", "to", "port", "protocol", "verdict", "explanation"]);
    expect(o).toMatchObject({
      from: "shop/frontend",
      to: "shop/api",
      port: "http",
      protocol: "TCP",
      verdict: "allow",
    });
    expect(o.explanation.port).toBe(8080);
    expect(o.explanation.ingress.allowedBy).toEqual({ policy: "shop/api", rule: "spec.ingress[0]" });
  });

  it("exits 1 when --expect does not hold, 0 when it does", () => {
    const args = ["check", SHOP, "--from", "shop/worker", "--to", "shop/db", "--port", "5432"];
    const miss = netpol([...args, "--expect", "allow"]);
    expect(miss.code).toBe(1);
    expect(miss.stdout).toMatch(/^deny shop\/worker → shop\/db TCP\/5432/);
    expect(miss.stderr).toContain("expected allow, got deny");
    expect(netpol([...args, "--expect", "deny"]).code).toBe(0);
  });

  it("decides a file of flows, in order", () => {
    const flows = [
      { from: "shop/frontend", to: "shop/api", port: 8080, protocol: "TCP" },
      { from: "shop/worker", to: "shop/db", port: 5432 },
      { from: "shop/api", to: "kube-system/coredns", port: 53, protocol: "UDP" },
      { from: "203.0.113.9", to: "shop/frontend", port: "http" },
      { from: "shop/api", to: "shop/db", port: "nope" },
    ];
    const r = netpol(["check", SHOP, "--flows", file("flows.json", JSON.stringify(flows))]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { verdict: string; from: string; protocol: string }[];
    expect(out.map((o) => o.verdict)).toEqual(["allow", "deny", "allow", "allow", "unknown"]);
    expect(out.map((o) => o.from)).toEqual(flows.map((f) => f.from));
    expect(out[1]!.protocol).toBe("TCP");
  });

  it.each([
    [["--protocol", "UDP"], /--flows cannot be combined with --protocol/],
    [["--format", "text"], /--flows answers in JSON only; --format text/],
    [["--from", "shop/api"], /--flows cannot be combined with --from/],
  ])("refuses %j beside --flows (it would be ignored): usage error, exit 2", (extra, message) => {
    const flows = file(
      "refused-flows.json",
      JSON.stringify([{ from: "shop/api", to: "shop/db", port: 5432 }]),
    );
    const r = netpol(["check", SHOP, "--flows", flows, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("reads the flows from stdin", () => {
    const r = netpol(
      ["check", SHOP, "--flows", "-"],
      JSON.stringify([{ from: "shop/api", to: "shop/db", port: 5432 }]),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0].verdict).toBe("allow");
  });

  it("names the flow's index when a flow names no pod", () => {
    const path = file(
      "bad-flows.json",
      JSON.stringify([
        { from: "shop/api", to: "shop/db", port: 1 },
        { from: "shop/nope", to: "shop/db", port: 1 },
      ]),
    );
    const r = netpol(["check", SHOP, "--flows", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad-flows.json");
    expect(r.stderr).toContain("[1]");
    expect(r.stderr).toContain("shop/nope");
  });

  it("accepts an IP endpoint", () => {
    const r = netpol([
      "check",
      SHOP,
      "--from",
      "203.0.113.9",
      "--to",
      "shop/frontend",
      "--port",
      "8080",
      "--format",
      "json",
    ]);
    expect(JSON.parse(r.stdout).verdict).toBe("allow");
    const inside = netpol(["check", SHOP, "--from", "10.244.9.9", "--to", "shop/frontend", "--port", "8080"]);
    expect(inside.stdout).toMatch(/^deny/); // except 10.244.0.0/16
  });
});

describe("netpol explain", () => {
  it("names the isolating policies and the direction that denied", () => {
    const r = netpol([
      "explain",
      SHOP,
      "--from",
      "monitoring/prometheus",
      "--to",
      "shop/db",
      "--port",
      "5432",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DENY monitoring\/prometheus → shop\/db TCP\/5432 IPv4/);
    expect(r.stdout).toContain("shop/db");
    expect(r.stdout).toContain("shop/default-deny");
    expect(r.stdout).toMatch(/egress\s+from monitoring\/prometheus: allow \(default\)/);
    expect(r.stdout).toMatch(/ingress to\s+shop\/db: deny \(network-policy\)/);
  });

  it("names the allowing rule as JSON", () => {
    const r = netpol([
      "explain",
      SHOP,
      "--from",
      "shop/api",
      "--to",
      "shop/db",
      "--port",
      "postgres",
      "--format",
      "json",
    ]);
    const e = JSON.parse(r.stdout);
    expect(e.verdict).toBe("allow");
    expect(e.egress.allowedBy).toEqual({ policy: "shop/api", rule: "spec.egress[0]" });
    expect(e.ingress.allowedBy).toEqual({ policy: "shop/db", rule: "spec.ingress[0]" });
  });
});

describe("bad input and usage: exit 2, a clear message, no stack trace", () => {
  it("a malformed manifest names the file", () => {
    const bad = file("bad.yaml", "kind: NetworkPolicy\nmetadata: {name: broken\n");
    const r = netpol(["check", bad, "--from", "x/a", "--to", "x/b", "--port", "80"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml");
    expect(r.stderr).not.toContain("    at ");
  });

  it("an invalid field names the object and the field path", () => {
    const bad = file(
      "cidr.yaml",
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/33}\n",
    );
    const r = netpol(["matrix", bad, "--port", "80"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cidr.yaml");
    expect(r.stderr).toContain("NetworkPolicy x/p");
    expect(r.stderr).toContain("spec.ingress[0].from[0].ipBlock.cidr");
    expect(r.stderr).toContain("10.0.0.0/33");
  });

  it.each([
    [["matrix", SHOP], "--port is required"],
    [["matrix", SHOP, "--port", "0"], "--port must be 1-65535"],
    [["matrix", SHOP, "--port", "80", "--protocol", "ICMP"], "--protocol must be TCP, UDP or SCTP"],
    [["matrix", SHOP, "--port", "80", "--format", "xml"], "--format must be text or json"],
    [["matrix", SHOP, "--port", "80", "--bogus"], "bogus"],
    [["matrix", SHOP, "--port", "80", "--from", "x/a"], "--from is not an option of matrix"],
    [["check", SHOP, "--to", "shop/api", "--port", "80"], "--from is required"],
    [
      ["check", SHOP, "--from", "shop/api", "--to", "shop/db", "--port", "80", "--expect", "maybe"],
      "--expect must be allow or deny",
    ],
    [
      ["check", SHOP, "--from", "shop/api", "--to", "shop/nope", "--port", "80"],
      'no pod or workload "shop/nope"',
    ],
    [["frobnicate", SHOP], 'unknown command "frobnicate"'],
    [["matrix", "--port", "80"], "no input files"],
    [["matrix", join(tmp, "missing.yaml"), "--port", "80"], "no such file"],
  ])("%j → %s", (args, message) => {
    const r = netpol(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain("    at ");
  });

  it("--help prints the usage and exits 0", () => {
    const r = netpol(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("netpol matrix");
  });
});

describe("inputs", () => {
  it("reads manifests from stdin", () => {
    const text = [
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\nstatus: {podIP: 10.0.0.1}",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\nstatus: {podIP: 10.0.0.2}",
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\nspec: {podSelector: {matchLabels: {app: a}}}",
    ].join("\n---\n");
    const r = netpol(
      ["check", "-", "--from", "x/b", "--to", "x/a", "--port", "80", "--format", "json", "-q"],
      text,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe("deny");
    expect(r.stderr).toBe("");
  });

  it("prints diagnostics on stderr unless --quiet", () => {
    const path = file("orphan.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: lonely}\n");
    const r = netpol(["matrix", path, "--port", "80", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("implicit-namespace");
    expect(JSON.parse(r.stdout).flows).toHaveLength(1);
  });
});

describe("netpol check --flows with expectations", () => {
  it("exits 1 and names every flow whose verdict differs from its expect", () => {
    const flows = [
      { from: "shop/frontend", to: "shop/api", port: 8080, expect: "allow" },
      { from: "shop/worker", to: "shop/db", port: 5432, expect: "allow" },
      { from: "shop/api", to: "shop/db", port: "nope", expect: "unknown" },
    ];
    const r = netpol(["check", SHOP, "--flows", file("expect.json", JSON.stringify(flows)), "-q"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((o: { verdict: string }) => o.verdict)).toEqual([
      "allow",
      "deny",
      "unknown",
    ]);
    expect(r.stderr).toBe("netpol: [1] expected allow, got deny: shop/worker → shop/db TCP/5432\n");
  });

  it("exits 0 when every expectation holds", () => {
    const flows = [{ from: "shop/worker", to: "shop/db", port: 5432, expect: "deny" }];
    expect(netpol(["check", SHOP, "--flows", file("expect-ok.json", JSON.stringify(flows)), "-q"]).code).toBe(
      0,
    );
  });
});
