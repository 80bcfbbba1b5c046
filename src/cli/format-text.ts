import type { DirectionExplanation, Explanation, Matrix, Verdict } from "../index.ts";

const MARK: Record<Verdict, string> = { allow: "✓", deny: "✗", unknown: "?" };

/** `TCP/8080`, `UDP/dns`. */
export function portText(protocol: string, port: number | string): string {
  return `${protocol}/${port}`;
}

/**
 * The reachability matrix as a grid: one row per source pod, one column per destination pod
 * (numbered, the numbers listed with the rows), ✓ allow, ✗ deny, ? unknown.
 */
export function formatMatrix(m: Matrix): string {
  const n = m.pods.length;
  const lines = [
    `${portText(m.protocol, m.port)}, profile ${m.profile}: rows are sources, columns destinations (✓ allow, ✗ deny, ? unknown)`,
  ];
  if (n === 0) return `${lines[0]}\n(no pods)\n`;
  const numW = String(n).length;
  const nameW = Math.max(...m.pods.map((p) => p.length));
  const colW = Math.max(numW, 1) + 1;
  const pad = " ".repeat(numW + 3 + nameW);
  lines.push(`${pad} ${m.pods.map((_, j) => String(j + 1).padStart(colW)).join("")}`);
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < n; j++) cells.push(MARK[m.flows[i * n + j]!.verdict].padStart(colW));
    lines.push(`${String(i + 1).padStart(numW)}. ${m.pods[i]!.padEnd(nameW)}  ${cells.join("")}`);
  }
  const count = (v: Verdict): number => m.flows.filter((f) => f.verdict === v).length;
  lines.push(
    `${count("allow")} allowed, ${count("deny")} denied, ${count("unknown")} unknown of ${n * n} pairs`,
  );
  return `${lines.join("\n")}\n`;
}

function directionLine(d: DirectionExplanation): string {
  const where = d.direction === "egress" ? "egress  from" : "ingress to  ";
  let line = `  ${where} ${d.endpoint}: ${d.verdict} (${d.decidedBy}) — ${d.reason}`;
  if (d.allowedBy !== undefined) line += `\n      rule: ${d.allowedBy.policy} ${d.allowedBy.rule}`;
  return line;
}

/** One flow's decision and, per direction, why. */
export function formatExplanation(e: Explanation, givenPort: number | string): string {
  const port = e.port !== undefined && e.port !== givenPort ? `${givenPort} (${e.port})` : String(givenPort);
  const family = e.family === undefined ? "" : ` IPv${e.family}`;
  const head = `${e.verdict.toUpperCase()} ${e.from} → ${e.to} ${e.protocol}/${port}${family}`;
  const lines = [head];
  if (e.reason !== undefined) lines.push(`  ${e.reason}`);
  if (e.verdict !== "unknown") lines.push(directionLine(e.egress), directionLine(e.ingress));
  return `${lines.join("\n")}\n`;
}

/** The one-line answer of `netpol check`, with the reason when it is not an allow. */
export function formatCheck(e: Explanation, givenPort: number | string): string {
  const line = `${e.verdict} ${e.from} → ${e.to} ${portText(e.protocol, givenPort)}`;
  if (e.verdict === "allow") return `${line}\n`;
  const side = e.egress.verdict === "deny" ? e.egress : e.ingress.verdict === "deny" ? e.ingress : undefined;
  return `${line}\n  ${side === undefined ? (e.reason ?? "") : `${side.direction}: ${side.reason}`}\n`;
}
