// The eBPF loader: the backend's C program compiled with clang (-target bpf), loaded and pinned
// with bpftool, its map entries written with `bpftool batch`, attached with tc clsact to every
// pod's veth in the node namespace. All of it runs in one `ip netns exec` shell, whose private
// mount namespace holds the bpffs: the pins vanish with it, the attached programs (and the maps
// they use) stay until the qdiscs are removed (resetNode). No mount outlives the command.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Artifact, artifactKind } from "./artifacts.ts";
import { runOk } from "./exec.ts";
import type { Topology } from "./topology.ts";

/** Program names the loader attaches: at tc ingress of a pod's veth (what the pod sends) and at tc egress (what it receives). */
export const EBPF_FROM_POD = "from_pod";
export const EBPF_TO_POD = "to_pod";
const PIN = "/sys/fs/bpf/npek";

/** `map update name X …` → `map update pinned <pins>/maps/X …`: names could match another run's maps. */
export function pinBatch(batch: string): string {
  return batch.replace(
    /\bmap\s+(\w+)\s+name\s+(\S+)/g,
    (_m, verb: string, name: string) => `map ${verb} pinned ${PIN}/maps/${name}`,
  );
}

function objectPrograms(obj: string): Promise<string> {
  return runOk("llvm-objdump", ["--syms", obj]);
}

export async function loadEbpf(topo: Topology, artifacts: readonly Artifact[]): Promise<void> {
  const sources = artifacts.filter((a) => artifactKind(a.path) === "bpf-c");
  if (sources.length !== 1)
    throw new Error(`ebpf: expected one .c program among the artifacts, got ${sources.length}`);
  const dir = mkdtempSync(join(tmpdir(), "npek-ebpf-"));
  try {
    const src = join(dir, "prog.bpf.c");
    const obj = join(dir, "prog.bpf.o");
    writeFileSync(src, sources[0]!.content);
    const incl = ["-I/usr/include/x86_64-linux-gnu", "-I/usr/include/bpf"];
    await runOk("clang", ["-O2", "-g", "-target", "bpf", ...incl, "-c", src, "-o", obj], { timeout: 60_000 });
    const syms = await objectPrograms(obj);
    const has = (name: string): boolean => new RegExp(`\\s${name}$`, "m").test(syms);
    if (!has(EBPF_FROM_POD) && !has(EBPF_TO_POD))
      throw new Error(`ebpf: the program defines neither ${EBPF_FROM_POD} nor ${EBPF_TO_POD}`);
    const batch = artifacts.filter((a) => artifactKind(a.path) === "bpftool").map((a) => pinBatch(a.content));
    const batchFile = join(dir, "maps.bpftool");
    writeFileSync(batchFile, batch.join("\n"));
    const lines = [
      "set -e",
      `mount -t bpf bpf /sys/fs/bpf`,
      `mkdir -p ${PIN}`,
      `bpftool prog loadall ${obj} ${PIN} type classifier pinmaps ${PIN}/maps`,
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

/** For tests of this loader: the C source of a file next to this one. */
export function readProgram(name: string): string {
  return readFileSync(join(import.meta.dirname, name), "utf8");
}
