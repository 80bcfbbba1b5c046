import type { DirectionExplanation, Explanation, GroupVerdict } from "../index.ts";

const MARK: Record<GroupVerdict, string> = { allow: "✓", deny: "✗", unknown: "?", mixed: "~" };

/** A matrix as the writers read it: pod rows, or owner-group rows (whose cells may be `mixed`). */
interface RowsToWrite {
  readonly port: number | string;
  readonly protocol: string;
  readonly profile: string;
  readonly pods: readonly string[];
  readonly members?: readonly (readonly string[])[];
  row(src: number): readonly GroupVerdict[];
}

/** `TCP/8080`, `UDP/dns`. */
export function portText(protocol: string, port: number | string): string {
  return `${protocol}/${port}`;
}

/**
 * The reachability matrix as a grid, written a row at a time (a 10 000-pod matrix is 10⁸ cells:
 * never held whole): one row per source pod, one column per destination pod (numbered, the
 * numbers listed with the rows), ✓ allow, ✗ deny, ? unknown.
 */
export function writeMatrixText(m: RowsToWrite, write: (text: string) => void): void {
  const n = m.pods.length;
  const grouped = m.members !== undefined;
  const legend = grouped
    ? "✓ allow, ✗ deny, ? unknown, ~ mixed: the pods' pairs differ"
    : "✓ allow, ✗ deny, ? unknown";
  write(
    `${portText(m.protocol, m.port)}, profile ${m.profile}: rows are sources, columns destinations${grouped ? ", pods grouped by owner" : ""} (${legend})\n`,
  );
  if (n === 0) {
    write("(no pods)\n");
    return;
  }
  const numW = String(n).length;
  let nameW = 0;
  for (const p of m.pods) nameW = Math.max(nameW, p.length);
  const colW = Math.max(numW, 1) + 1;
  const pad = " ".repeat(numW + 3 + nameW);
  write(`${pad} ${m.pods.map((_, j) => String(j + 1).padStart(colW)).join("")}\n`);
  const cell: Record<GroupVerdict, string> = {
    allow: MARK.allow.padStart(colW),
    deny: MARK.deny.padStart(colW),
    unknown: MARK.unknown.padStart(colW),
    mixed: MARK.mixed.padStart(colW),
  };
  const count: Record<GroupVerdict, number> = { allow: 0, deny: 0, unknown: 0, mixed: 0 };
  for (let i = 0; i < n; i++) {
    let cells = "";
    for (const v of m.row(i)) {
      cells += cell[v];
      count[v]++;
    }
    const size = grouped ? `  (${m.members![i]!.length} pod${m.members![i]!.length === 1 ? "" : "s"})` : "";
    write(`${String(i + 1).padStart(numW)}. ${m.pods[i]!.padEnd(nameW)}  ${cells}${size}\n`);
  }
  const mixed = grouped ? `, ${count.mixed} mixed` : "";
  write(
    `${count.allow} allowed, ${count.deny} denied, ${count.unknown} unknown${mixed} of ${n * n} ${grouped ? "group pairs" : "pairs"}\n`,
  );
}

/** The matrix as JSON, one flow per line, written a row of sources at a time (see docs/cli.md). */
export function writeMatrixJson(m: RowsToWrite, write: (text: string) => void): void {
  const groups =
    m.members === undefined ? {} : { groups: Object.fromEntries(m.pods.map((g, i) => [g, m.members![i]])) };
  const head = JSON.stringify({ port: m.port, protocol: m.protocol, profile: m.profile, ...groups }).slice(
    0,
    -1,
  );
  const n = m.pods.length;
  if (n === 0) {
    write(`${head},"flows":[]}\n`);
    return;
  }
  write(`${head},"flows":[\n`);
  // The same bytes as JSON.stringify({from, to, verdict}), without building the objects.
  const to = m.pods.map((p) => `,"to":${JSON.stringify(p)},"verdict":"`);
  for (let i = 0; i < n; i++) {
    const from = `{"from":${JSON.stringify(m.pods[i])}`;
    const verdicts = m.row(i);
    const lines: string[] = [];
    for (let j = 0; j < n; j++) lines.push(`${from}${to[j]}${verdicts[j]}"}`);
    write(`${lines.join(",\n")}${i + 1 < n ? ",\n" : "\n"}`);
  }
  write("]}\n");
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
  // The walk text names its direction already (`egress: [NetworkPolicy] deny: …`).
  const why =
    side === undefined
      ? (e.reason ?? "")
      : side.reason.startsWith(`${side.direction}:`)
        ? side.reason
        : `${side.direction}: ${side.reason}`;
  return `${line}\n  ${why}\n`;
}
