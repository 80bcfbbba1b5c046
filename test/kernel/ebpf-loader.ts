// The eBPF loader: the backend's C program (compiled once, ebpf-object.ts), loaded and pinned
// with bpftool, its map entries written with `bpftool batch`, attached with tc clsact to every
// pod's veth in the node namespace. All of it runs in one `ip netns exec` shell, whose private
// mount namespace holds the bpffs: the pins vanish with it, the attached programs (and the maps
// they use) stay until the qdiscs are removed (resetNode). No mount outlives the command.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Artifact, artifactKind } from "./artifacts.ts";
import { bpfObject, EBPF_FROM_POD, EBPF_TO_POD } from "./ebpf-object.ts";
import { runOk } from "./exec.ts";
import type { Topology } from "./topology.ts";

const PIN = "/sys/fs/bpf/npek";

/** `map update name X …` → `map update pinned <pins>/maps/X …`: names could match another run's maps. */
export function pinBatch(batch: string): string {
  return batch.replace(
    /\bmap\s+(\w+)\s+name\s+(\S+)/g,
    (_m, verb: string, name: string) => `map ${verb} pinned ${PIN}/maps/${name}`,
  );
}

export async function loadEbpf(topo: Topology, artifacts: readonly Artifact[]): Promise<void> {
  const obj = await bpfObject(artifacts);
  const has = (name: string): boolean => obj.programs.includes(name);
  const dir = mkdtempSync(join(tmpdir(), "npek-ebpf-"));
  try {
    const batch = artifacts.filter((a) => artifactKind(a.path) === "bpftool").map((a) => pinBatch(a.content));
    const batchFile = join(dir, "maps.bpftool");
    writeFileSync(batchFile, batch.join("\n"));
    const lines = [
      "set -e",
      `mount -t bpf bpf /sys/fs/bpf`,
      `mkdir -p ${PIN}`,
      `bpftool prog loadall ${obj.path} ${PIN} type classifier pinmaps ${PIN}/maps`,
      ...(batch.join("").trim() === "" ? [] : [`bpftool batch file ${batchFile}`]),
    ];
    for (const s of topo.slots) {
      lines.push(`tc qdisc add dev ${s.veth} clsact`);
      if (has(EBPF_FROM_POD))
        lines.push(`tc filter add dev ${s.veth} ingress bpf da pinned ${PIN}/${EBPF_FROM_POD}`);
      if (has(EBPF_TO_POD))
        lines.push(`tc filter add dev ${s.veth} egress bpf da pinned ${PIN}/${EBPF_TO_POD}`);
    }
    writeFileSync(join(dir, "load.sh"), `${lines.join("\n")}\n`);
    await runOk("ip", ["netns", "exec", topo.nodeNs, "sh", join(dir, "load.sh")], { timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
