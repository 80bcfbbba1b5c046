// Many alike diagnostics are summarised, not printed one by one (README standards).
import { describe, expect, it } from "vitest";
import {
  diagnosticLines,
  errorLines,
  MAX_PART,
  SHOWN_ERRORS,
  SHOWN_PER_CODE,
} from "../../src/cli/print-diagnostics.ts";
import type { Diagnostic } from "../../src/model/types.ts";
import { netpol } from "./netpol.ts";

const diag = (code: string, i: number): Diagnostic => ({
  severity: "warning",
  code,
  object: `NetworkPolicy x/p${i}`,
  message: `finding ${i}`,
});

describe("diagnostic lines", () => {
  const many = [
    ...Array.from({ length: 12 }, (_, i) => diag("selector-matches-nothing", i)),
    diag("unknown-named-port", 0),
  ];
  it("one line per code: its count, the first message and the first few objects; a single one as it is", () => {
    expect(diagnosticLines(many)).toEqual([
      `netpol: warning: selector-matches-nothing ×12: finding 0 (NetworkPolicy x/p0, NetworkPolicy x/p1, NetworkPolicy x/p2, … and ${12 - SHOWN_PER_CODE} more)\n`,
      "netpol: warning: NetworkPolicy x/p0: finding 0 [unknown-named-port]\n",
      "netpol: (--verbose lists every diagnostic)\n",
    ]);
  });
  it("two of a code: both named (the second message left out, so the hint)", () => {
    expect(diagnosticLines([diag("a", 1), diag("a", 2)])).toEqual([
      "netpol: warning: a ×2: finding 1 (NetworkPolicy x/p1, NetworkPolicy x/p2)\n",
      "netpol: (--verbose lists every diagnostic)\n",
    ]);
  });
  it("severities of one code are summarised apart", () => {
    const lines = diagnosticLines([diag("k", 1), { ...diag("k", 2), severity: "info" }, diag("k", 3)]);
    expect(lines[0]).toMatch(/^netpol: warning: k ×2: /);
    expect(lines[1]).toBe("netpol: info: NetworkPolicy x/p2: finding 2 [k]\n");
  });
  it("prints every one when asked", () => {
    expect(diagnosticLines(many, true)).toHaveLength(13);
  });

  const policies = Array.from({ length: 8 }, (_, i) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { namespace: "x", name: `p${i}` },
    spec: { podSelector: { matchLabels: { app: `none-${i}` } }, policyTypes: ["Ingress"] },
  }));
  const input = JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { namespace: "x", name: "a", labels: { app: "a" } },
        status: { podIP: "10.0.0.1" },
      },
      ...policies,
    ],
  });
  const args = ["check", "-", "--from", "x/a", "--to", "x/a", "--port", "80"];

  it("the CLI summarises; --verbose and --all-diagnostics list; --quiet prints none", () => {
    const short = netpol(args, input);
    expect(short.code).toBe(0);
    const summary = short.stderr.split("\n").find((l) => l.includes(" ×8: "))!;
    expect(summary).toMatch(
      /^netpol: warning: [a-z-]+ ×8: .* \(NetworkPolicy x\/p0, NetworkPolicy x\/p1, NetworkPolicy x\/p2, … and 5 more\)$/,
    );
    const code = /warning: ([a-z-]+) ×8/.exec(summary)![1]!;
    for (const flag of ["--verbose", "-v", "--all-diagnostics"]) {
      const all = netpol([...args, flag], input);
      expect([...all.stderr.matchAll(new RegExp(`\\[${code}\\]\\n`, "g"))]).toHaveLength(8);
      expect(all.stderr).not.toContain("×8");
    }
    expect(netpol([...args, "--quiet"], input).stderr).toBe("");
    expect(netpol([...args, "-q", "-v"], input)).toMatchObject({ code: 2 });
  });
});

describe("error lines", () => {
  it("10 000 bad items: a screenful, then a count; --verbose prints every one", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { namespace: "x", name: `p${i}` },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: `10.0.0.${i}/33` } }] }] },
    }));
    const input = JSON.stringify({ apiVersion: "v1", kind: "List", items });
    const args = ["check", "-", "--from", "x/a", "--to", "x/a", "--port", "80"];
    const r = netpol(args, input);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(SHOWN_ERRORS + 1);
    expect(lines[0]).toMatch(
      /^netpol: error: <stdin>: NetworkPolicy x\/p0: spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: .*\[invalid-cidr\]$/,
    );
    expect(lines.at(-1)).toBe(
      `netpol: … and ${10_000 - SHOWN_ERRORS} more errors (--verbose lists every one)`,
    );
    expect(
      netpol([...args, "--verbose"], input)
        .stderr.trimEnd()
        .split("\n"),
    ).toHaveLength(10_000);
  });

  it("a long path, object or value is cut at MAX_PART characters", () => {
    const key = `a${"b".repeat(5000)}`;
    const [line] = errorLines([
      {
        code: "invalid-label",
        file: "f.yaml",
        object: `Pod x/${"p".repeat(500)}`,
        path: `metadata.labels.${key}`,
        message: `bad key "${key}"`,
      },
    ]);
    expect(line!.length).toBeLessThan(4 * MAX_PART + 50);
    expect(line).toMatch(
      /^netpol: error: f\.yaml: Pod x\/p+…: metadata\.labels\.ab+…: bad key "ab+… \[invalid-label\]\n$/,
    );
  });
});
