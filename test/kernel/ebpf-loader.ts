// The eBPF loader: the backend's C program (compiled once, ebpf-object.ts), loaded and pinned
// with bpftool, its map entries written with `bpftool batch`, attached with tc clsact (one `tc
// -batch`) to every pod's veth in the node namespace. All of it runs in one `unshare --mount`
// shell in the node namespace, whose private mount namespace holds the bpffs: the pins vanish with
// it, the attached programs (and the maps they use) stay until the qdiscs are removed (resetNode).
// No mount outlives the command.
import { type Artifact, artifactKind } from "./artifacts.ts";
import { bpfObject, EBPF_FROM_POD, EBPF_TO_POD } from "./ebpf-object.ts";
import type { Topology } from "./topology.ts";

/** Where the programs and their maps are pinned, in a private bpffs. */
export const PIN = "/sys/fs/bpf/npek";

/** `map update name X …` → `map update pinned <pins>/maps/X …`: names could match another run's maps. */
export function pinBatch(batch: string): string {
  return batch.replace(
    /\bmap\s+(\w+)\s+name\s+(\S+)/g,
    (_m, verb: string, name: string) => `map ${verb} pinned ${PIN}/maps/${name}`,
  );
}

/** The map entries among the artifacts as one `bpftool batch` (pinned map names). */
export const mapBatch = (artifacts: readonly Artifact[]): string =>
  artifacts
    .filter((a) => artifactKind(a.path) === "bpftool")
    .map((a) => pinBatch(a.content))
    .join("\n");

/**
 * The shell lines (for a private mount namespace) that mount a bpffs, load and pin the object's
 * programs and maps, and write `batch` (stored in `batchFile`) into the maps.
 */
export const loadLines = (obj: string, batch: string, batchFile: string): string[] => [
  "set -e",
  "mount -t bpf bpf /sys/fs/bpf",
  `mkdir -p ${PIN}`,
  `bpftool prog loadall ${obj} ${PIN} type classifier pinmaps ${PIN}/maps`,
  ...(batch.trim() === "" ? [] : [`bpftool batch file ${batchFile}`]),
];

export async function loadEbpf(topo: Topology, artifacts: readonly Artifact[]): Promise<void> {
  const obj = await bpfObject(artifacts);
  const has = (name: string): boolean => obj.programs.includes(name);
  const batch = mapBatch(artifacts);
  const tc = topo.slots.flatMap((s) => [
    `qdisc add dev ${s.veth} clsact`,
    ...(has(EBPF_FROM_POD) ? [`filter add dev ${s.veth} ingress bpf da pinned ${PIN}/${EBPF_FROM_POD}`] : []),
    ...(has(EBPF_TO_POD) ? [`filter add dev ${s.veth} egress bpf da pinned ${PIN}/${EBPF_TO_POD}`] : []),
  ]);
  const lines = [
    ...loadLines(obj.path, batch, "maps.bpftool"),
    ...(tc.length === 0 ? [] : ["tc -batch tc.batch"]),
  ];
  // A private mount namespace of its own (unshare): the bpffs and its pins vanish with it.
  await topo.shell!.run(
    "step unshare --mount --propagation private sh ./load.sh\n",
    {
      "load.sh": `${lines.join("\n")}\n`,
      "maps.bpftool": batch,
      "tc.batch": `${tc.join("\n")}\n`,
    },
    60_000,
  );
}
