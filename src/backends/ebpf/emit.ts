// The map contents written out: as data (JSON, one entry a line, so that diffs show entries) and
// as a bpftool batch (`map update name M key hex … value hex …`, one line an entry).
import { MAPS } from "./layout.ts";
import type { MapContents } from "./maps.ts";
import { PROGRAM_FILE } from "./program.ts";

export const MAPS_JSON_FILE = "netpol-ebpf.maps.json";
export const BATCH_FILE = "netpol-ebpf.bpftool";

/** The maps as data: per map its kind, limit and entries (decoded fields; the batch has the bytes). */
export function mapsJSON(maps: MapContents, node: string | undefined): string {
  const parts = [
    "{\n",
    `  "format": "netpol-engine ebpf maps 1",\n`,
    `  "program": ${JSON.stringify(PROGRAM_FILE)},\n`,
    `  "node": ${JSON.stringify(node ?? null)},\n`,
    `  "maps": [\n`,
  ];
  MAPS.forEach((m, i) => {
    const entries = maps.get(m.name)!;
    parts.push(
      "    {\n",
      `      "name": ${JSON.stringify(m.name)},\n`,
      `      "type": ${JSON.stringify(m.type)},\n`,
      `      "maxEntries": ${m.maxEntries},\n`,
      `      "entries": [${entries.size === 0 ? "]" : ""}\n`,
    );
    if (entries.size > 0) parts.push(entries.jsonText(), "      ]\n");
    parts.push(`    }${i + 1 < MAPS.length ? "," : ""}\n`);
  });
  parts.push("  ]\n", "}\n");
  return parts.join("");
}

/** The maps as a bpftool batch (comments name each map; np_flows is the program's own). */
export function mapsBatch(maps: MapContents, node: string | undefined): string {
  const parts = [
    `# netpol-engine ebpf map entries${node === undefined ? "" : ` for node ${node}`}: bpftool batch file ${BATCH_FILE}\n`,
    "# (integers little-endian; run on the host that loaded the program, maps pinned or found by name)\n",
  ];
  for (const m of MAPS) {
    const entries = maps.get(m.name)!;
    if (entries.size === 0) continue;
    parts.push(`# ${m.name}: ${entries.size} entries\n`, entries.batchText());
  }
  return parts.join("");
}
