// The eBPF delta: the program is fixed, so a policy or pod change is map updates — a bpftool batch
// of `map update` (new or changed entries) and `map delete` (entries gone) lines.
import type { Artifact } from "../contract.ts";
import { contentOf, diffEntries, sameExcept } from "../shared/delta.ts";

const BATCH = "netpol-ebpf.bpftool";
const MAPS = "netpol-ebpf.maps.json";
const UPDATE = /^map update name (\S+) key hex ((?:[0-9a-f]{2} ?)+?) value hex ((?:[0-9a-f]{2} ?)+)$/;

/** The batch's entries: `map key` → the update line. */
function entries(batch: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of batch.split("\n")) {
    const m = UPDATE.exec(line);
    if (m !== null) out.set(`${m[1]} ${m[2]!.trim()}`, line);
  }
  return out;
}

/** Map types by name, from the maps' JSON (arrays cannot delete an entry). */
function mapTypes(json: string): Map<string, string> {
  const maps = (JSON.parse(json) as { maps: { name: string; type: string; maxEntries: number }[] }).maps;
  return new Map(maps.map((m) => [m.name, `${m.type} ${m.maxEntries}`]));
}

/** `netpol-ebpf.delta.bpftool`, or undefined when the program or the maps' shapes changed. */
export function ebpfDelta(before: readonly Artifact[], after: readonly Artifact[]): Artifact[] | undefined {
  if (!sameExcept(before, after, [BATCH, MAPS])) return undefined;
  const types = mapTypes(contentOf(before, MAPS)!);
  const next = mapTypes(contentOf(after, MAPS)!);
  if ([...types].some(([name, t]) => next.get(name) !== t) || next.size !== types.size) return undefined;
  const was = entries(contentOf(before, BATCH)!);
  const now = entries(contentOf(after, BATCH)!);
  const { removed, put } = diffEntries(was, now);
  if (removed.some((k) => types.get(k.slice(0, k.indexOf(" ")))!.startsWith("BPF_MAP_TYPE_ARRAY")))
    return undefined;
  const lines = [
    "# netpol-engine ebpf delta: bpftool batch file netpol-ebpf.delta.bpftool",
    `# ${removed.length} entries deleted, ${put.length} updated (bpftool batch file netpol-ebpf.delta.bpftool)`,
    ...removed.map((k) => {
      const [map, ...key] = k.split(" ");
      return `map delete name ${map} key hex ${key.join(" ")}`;
    }),
    ...put.map((k) => now.get(k)!),
  ];
  return [{ path: "netpol-ebpf.delta.bpftool", content: `${lines.join("\n")}\n` }];
}
