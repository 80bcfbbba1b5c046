// The eBPF backend: a fixed tc program (program.ts) and the map contents it reads (maps.ts), as
// data and as a bpftool batch (emit.ts), with a README (readme.ts).

import type { Artifact, Backend } from "../contract.ts";
import { ebpfDelta } from "./delta.ts";
import { BATCH_FILE, MAPS_JSON_FILE, mapsBatch, mapsJSON } from "./emit.ts";
import { buildMaps } from "./maps.ts";
import { PROGRAM, PROGRAM_FILE } from "./program.ts";
import { readme } from "./readme.ts";

export const ebpfBackend: Backend = {
  name: "ebpf",
  description:
    "a fixed tc program (C, clang -target bpf) and its map entries: LPM tries address → class, rows per (group, class), verdicts per (row, protocol, port prefix)",
  capabilities: {
    features: ["ipv4", "ipv6", "sctp", "port-ranges", "cluster-tiers", "deny-rules", "node-scope"],
  },
  delta: ebpfDelta,
  render(ir, options): Artifact[] {
    const maps = buildMaps(ir, options);
    return [
      { path: "README", content: readme(options.node) },
      { path: PROGRAM_FILE, content: PROGRAM },
      { path: BATCH_FILE, content: mapsBatch(maps, options.node) },
      { path: MAPS_JSON_FILE, content: mapsJSON(maps, options.node) },
    ];
  },
};
