// The hostile case (docs/hostile-case.md): 1,000 pods in one namespace, 1,000 single-pod
// NetworkPolicies, each allowing ingress from and egress to n distinct /32 ipBlocks on n distinct
// port ranges (variants n = 20 and n = 1, and 20 rules of one /32 and one range each).
//
// It runs only where it is bounded. Each variant is first *probed* in a bounded child process
// (bench/compile-passes.ts under `timeout 120`, --max-old-space-size=4096 and a 4 GB resident-set
// limit: typed arrays live outside the JS heap, so the heap flag alone does not bound it), and
// measured in full (bench/hostile-table.ts, bounded too) only when the probe compiled and packed
// it; otherwise the JSON says how far the probe got. Before 70bc0cc only n = 1 got through (735 MB
// of packed cells; the pack of n = 20 needed ~286 GB). NETPOL_BENCH_HOSTILE=0 skips the scenario.
//
//   npm run bench -- hostile-1k
//   NETPOL_BENCH_HOSTILE=0 npm run bench        # everything else
import { fileURLToPath } from "node:url";
import { runBounded } from "../bounded.ts";
import { log } from "../harness.ts";

const VARIANTS = ["hostile-20", "hostile-1", "hostile-pairs-20"] as const;
const LIMITS = { timeoutS: 120, maxRssMB: 4096 } as const;
const NODE = [process.execPath, "--expose-gc", "--max-old-space-size=4096", "--import", "tsx"];
const file = (name: string): string => fileURLToPath(new URL(`../${name}`, import.meta.url));
const lastJson = (text: string): Record<string, unknown> | undefined => {
  const line = text.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

if (process.env.NETPOL_BENCH_HOSTILE === "0") {
  log("hostile-1k: skipped (NETPOL_BENCH_HOSTILE=0)");
  process.stdout.write(
    `${JSON.stringify({
      name: "hostile-1k",
      skipped: true,
      reason: "NETPOL_BENCH_HOSTILE=0",
      variants: VARIANTS,
      limits: { ...LIMITS, maxOldSpaceSizeMB: 4096 },
    })}\n`,
  );
} else {
  const variants: Record<string, unknown>[] = [];
  for (const v of VARIANTS) {
    log(`hostile-1k: probing ${v} (bounded: ${JSON.stringify(LIMITS)})`);
    const probe = await runBounded([...NODE, file("compile-passes.ts"), v], LIMITS);
    const passes = probe.stderr
      .split("\n")
      .filter((l) => l.startsWith("[passes] {"))
      .map((l) => JSON.parse(l.slice(9)) as Record<string, unknown>);
    const error = probe.stderr.split("\n").find((l) => /^\w*Error\b/.test(l));
    const reached = passes.at(-1)?.pass;
    const packed = passes.some((p) => String(p.pass).startsWith("11 pack"));
    const entry: Record<string, unknown> = {
      variant: v,
      probe: {
        ended: probe.ended,
        code: probe.code,
        wallS: probe.wallS,
        peakRssMB: probe.peakRssMB,
        lastPassDone: reached,
        ...(error === undefined ? {} : { error }),
        passes: passes.map((p) => ({ pass: p.pass, ms: p.ms, liveMB: p.liveMB })),
      },
      bounded: probe.ended === "exited" && probe.code === 0 && packed,
    };
    if (entry.bounded) {
      log(`hostile-1k: ${v} compiled and packed within bounds; measuring`);
      const full = await runBounded([...NODE, file("hostile-table.ts"), v], {
        timeoutS: 900,
        maxRssMB: 4096,
      });
      const measured = lastJson(full.stdout);
      // Which query view the variant took, and whether engine = reference on its sampled flows.
      if (measured !== undefined) Object.assign(entry, { view: measured.view, agree: measured.agree });
      if (measured !== undefined && measured.agree !== true) process.exitCode = 1;
      entry.measured = measured ?? {
        ended: full.ended,
        code: full.code,
        peakRssMB: full.peakRssMB,
      };
      if (full.ended !== "exited" || full.code !== 0) process.exitCode = 1;
    }
    variants.push(entry);
  }
  process.stdout.write(
    `${JSON.stringify({ name: "hostile-1k", skipped: false, limits: LIMITS, variants })}\n`,
  );
}
