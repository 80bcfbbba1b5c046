// One variant of the hostile case measured like core-10k (table-scenario.ts): compile, retained
// memory, allowsIndex, decide, the reference evaluator. Run by bench/scenarios/hostile-1k.ts in a
// bounded child process, only after a bounded probe compiled and packed the variant.
//
//   node --expose-gc --max-old-space-size=4096 --import tsx bench/hostile-table.ts hostile-20
import { generateHostileCluster, generateHostileFlows, hostileOptions } from "./generate-hostile.ts";
import { runTableScenario } from "./table-scenario.ts";

const variant = process.argv[2] ?? "hostile-20";
const options = hostileOptions(variant);
if (options === undefined) throw new Error(`unknown hostile variant ${variant}`);

await runTableScenario({
  name: `hostile-1k/${variant}`,
  cluster: {
    options: { ...options },
    seed: 20240621,
    generate: () => generateHostileCluster(options),
    flows: (cluster, count, seed) => generateHostileFlows(options, cluster, count, seed),
  },
  // docs/hostile-case.md: the targets of the fix.
  goals: { compileMs: 2000, retainedMB: 200, allowsIndexNsPerOp: 50, speedup: 1000 },
  compileSamples: { warmup: 2, steady: 9, afterFullGC: 3 },
});
