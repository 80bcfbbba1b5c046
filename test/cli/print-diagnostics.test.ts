// Many alike diagnostics are summarised, not printed one by one (README standards).
import { describe, expect, it } from "vitest";
import { diagnosticLines, SHOWN_PER_CODE } from "../../src/cli/print-diagnostics.ts";
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
  it("prints each code's first few, then one count for the rest", () => {
    const lines = diagnosticLines(many);
    expect(lines.filter((l) => l.includes("[selector-matches-nothing]"))).toHaveLength(SHOWN_PER_CODE);
    expect(lines.filter((l) => l.includes("[unknown-named-port]"))).toHaveLength(1);
    expect(lines.at(-1)).toBe(
      `netpol: ${12 - SHOWN_PER_CODE} more selector-matches-nothing diagnostics not shown (12 in all; --all-diagnostics lists every one)\n`,
    );
  });
  it("prints every one when asked", () => {
    expect(diagnosticLines(many, true)).toHaveLength(13);
  });

  it("the CLI summarises and --all-diagnostics lists", () => {
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
    const short = netpol(args, input);
    expect(short.code).toBe(0);
    const codes = [...short.stderr.matchAll(/\[([a-z-]+)\]\n/g)].map((m) => m[1]);
    const code = codes[0]!;
    expect(codes.filter((c) => c === code).length).toBe(SHOWN_PER_CODE);
    expect(short.stderr).toContain(`3 more ${code} diagnostics not shown (8 in all`);
    const all = netpol([...args, "--all-diagnostics"], input);
    expect([...all.stderr.matchAll(new RegExp(`\\[${code}\\]\\n`, "g"))]).toHaveLength(8);
    expect(all.stderr).not.toContain("not shown");
  });
});
