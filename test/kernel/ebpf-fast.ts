// The eBPF fast tier: the backend's program loaded (no topology, no traffic) and run on crafted
// packets with `bpftool prog run` (BPF_PROG_TEST_RUN): per packet, the return value of each entry
// point. All in one `unshare --mount` shell whose private bpffs holds the pins; nothing outlives it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Artifact } from "./artifacts.ts";
import { loadLines, mapBatch, PIN } from "./ebpf-loader.ts";
import { bpfObject, EBPF_TO_POD } from "./ebpf-object.ts";
import { runOk } from "./exec.ts";
import { craftPacket, type PacketSpec } from "./packets.ts";
import { runDir } from "./run-dir.ts";

/** tc verdicts (linux/pkt_cls.h). */
export const TC_ACT_OK = 0;
export const TC_ACT_SHOT = 2;

/** Per packet: the return value of `to_pod` and of `from_pod` (undefined when the program has none). */
export interface FastResult {
  readonly toPod?: number;
  readonly fromPod?: number;
}

export async function runOnPackets(
  artifacts: readonly Artifact[],
  packets: readonly PacketSpec[],
): Promise<FastResult[]> {
  const { path: obj, programs: progs } = await bpfObject(artifacts);
  const dir = mkdtempSync(join(runDir("fast"), "s-"));
  try {
    const batch = mapBatch(artifacts);
    writeFileSync(join(dir, "maps.bpftool"), batch);
    const lines = loadLines(obj, batch, join(dir, "maps.bpftool"));
    // Every run in one `bpftool -j batch` (one process, JSON answers in order), not one bpftool each.
    const runs: string[] = [];
    packets.forEach((p, i) => {
      const f = join(dir, `pkt${i}`);
      writeFileSync(f, craftPacket(p));
      for (const prog of progs) runs.push(`prog run pinned ${PIN}/${prog} data_in ${f} repeat 1`);
    });
    writeFileSync(join(dir, "runs.batch"), `${runs.join("\n")}\n`);
    const answers = join(dir, "runs.json");
    if (runs.length > 0) lines.push(`bpftool -j batch file ${join(dir, "runs.batch")} > ${answers}`);
    writeFileSync(join(dir, "run.sh"), `${lines.join("\n")}\n`);
    await runOk("unshare", ["--mount", "--propagation", "private", "sh", join(dir, "run.sh")], {
      timeout: 120_000,
    });
    const results: { toPod?: number; fromPod?: number }[] = packets.map(() => ({}));
    if (runs.length === 0) return results;
    const out = JSON.parse(readFileSync(answers, "utf8")) as { output?: { retval?: unknown } }[];
    if (out.length !== runs.length)
      throw new Error(`bpftool batch: ${out.length} answers to ${runs.length} runs`);
    out.forEach((o, k) => {
      const retval = o.output?.retval;
      if (typeof retval !== "number") throw new Error(`bpftool prog run: ${JSON.stringify(o)}`);
      const r = results[Math.floor(k / progs.length)]!;
      if (progs[k % progs.length] === EBPF_TO_POD) r.toPod = retval;
      else r.fromPod = retval;
    });
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A packet passes when no entry point drops it. */
export const passes = (r: FastResult): boolean => r.toPod !== TC_ACT_SHOT && r.fromPod !== TC_ACT_SHOT;
