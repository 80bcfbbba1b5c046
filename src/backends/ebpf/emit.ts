// The map contents written out: as data (JSON, one entry a line, so that diffs show entries) and
// as a bpftool batch (`map update name M key hex … value hex …`, one line an entry).
import { ByteText } from "../shared/byte-text.ts";
import { MAPS } from "./layout.ts";
import type { MapContents } from "./maps.ts";
import { PROGRAM_FILE } from "./program.ts";

export const MAPS_JSON_FILE = "netpol-ebpf.maps.json";
export const BATCH_FILE = "netpol-ebpf.bpftool";

/** The maps as data: per map its kind, limit and entries (decoded fields; the batch has the bytes). */
export function mapsJSON(maps: MapContents, node: string | undefined): string {
  const out = new ByteText(4096 + [...maps.values()].reduce((n, m) => n + m.jsonBytes, 0));
  out.str("{\n").str(`  "format": "netpol-engine ebpf maps 1",\n`);
  out
    .str(`  "program": ${JSON.stringify(PROGRAM_FILE)},\n`)
    .str(`  "node": ${JSON.stringify(node ?? null)},\n`);
  out.str(`  "maps": [\n`);
  MAPS.forEach((m, i) => {
    const entries = maps.get(m.name)!;
    out.str("    {\n").str(`      "name": ${JSON.stringify(m.name)},\n`);
    out.str(`      "type": ${JSON.stringify(m.type)},\n`).str(`      "maxEntries": ${m.maxEntries},\n`);
    out.str(`      "entries": [${entries.size === 0 ? "]" : ""}\n`);
    if (entries.size > 0) {
      entries.writeJSON(out);
      out.str("      ]\n");
    }
    out.str(`    }${i + 1 < MAPS.length ? "," : ""}\n`);
  });
  return out.str("  ]\n}\n").text();
}

/** The maps as a bpftool batch (comments name each map; np_flows is the program's own). */
export function mapsBatch(maps: MapContents, node: string | undefined): string {
  const out = new ByteText(4096 + [...maps.values()].reduce((n, m) => n + m.batchBytes, 0));
  out.str(
    `# netpol-engine ebpf map entries${node === undefined ? "" : ` for node ${node}`}: bpftool batch file ${BATCH_FILE}\n`,
  );
  out.str(
    "# (integers little-endian; run on the host that loaded the program, maps pinned or found by name)\n",
  );
  for (const m of MAPS) {
    const entries = maps.get(m.name)!;
    if (entries.size === 0) continue;
    out.str(`# ${m.name}: ${entries.size} entries\n`);
    entries.writeBatch(out);
  }
  return out.text();
}
