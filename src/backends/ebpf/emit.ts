// The map contents written out: as data (JSON, one entry a line, so that diffs show entries) and
// as a bpftool batch (`map update name M key hex … value hex …`, one line an entry).
import { MAPS } from "./layout.ts";
import type { MapContents } from "./maps.ts";
import { PROGRAM_FILE } from "./program.ts";
import { batchLine } from "./rows.ts";

export const MAPS_JSON_FILE = "netpol-ebpf.maps.json";
export const BATCH_FILE = "netpol-ebpf.bpftool";

/** The maps as data: per map its kind, limit and entries (decoded fields; the batch has the bytes). */
export function mapsJSON(maps: MapContents, node: string | undefined): string {
  const lines = [
    "{",
    `  "format": "netpol-engine ebpf maps 1",`,
    `  "program": ${JSON.stringify(PROGRAM_FILE)},`,
    `  "node": ${JSON.stringify(node ?? null)},`,
    `  "maps": [`,
  ];
  MAPS.forEach((m, i) => {
    const entries = maps.get(m.name) ?? [];
    lines.push(
      "    {",
      `      "name": ${JSON.stringify(m.name)},`,
      `      "type": ${JSON.stringify(m.type)},`,
      `      "maxEntries": ${m.maxEntries},`,
      `      "entries": [${entries.length === 0 ? "]" : ""}`,
    );
    entries.forEach((e, j) => {
      lines.push(`        ${JSON.stringify(e.data)}${j + 1 < entries.length ? "," : ""}`);
    });
    if (entries.length > 0) lines.push("      ]");
    lines.push(`    }${i + 1 < MAPS.length ? "," : ""}`);
  });
  lines.push("  ]", "}", "");
  return lines.join("\n");
}

/** The maps as a bpftool batch (comments name each map; np_flows is the program's own). */
export function mapsBatch(maps: MapContents, node: string | undefined): string {
  const lines = [
    `# netpol-engine ebpf map entries${node === undefined ? "" : ` for node ${node}`}: bpftool batch file ${BATCH_FILE}`,
    "# (integers little-endian; run on the host that loaded the program, maps pinned or found by name)",
  ];
  for (const m of MAPS) {
    const entries = maps.get(m.name) ?? [];
    if (entries.length === 0) continue;
    lines.push(`# ${m.name}: ${entries.length} entries`);
    for (const e of entries) lines.push(batchLine(m.name, e));
  }
  return `${lines.join("\n")}\n`;
}
