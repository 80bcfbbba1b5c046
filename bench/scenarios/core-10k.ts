// 1,000 namespaces × 10 pods × 5 policies: 10k pods, 5k policies (the first benchmark issue).
import { runTableScenario } from "../table-scenario.ts";

await runTableScenario({
  name: "core-10k",
  cluster: { namespaces: 1000, podsPerNamespace: 10, policiesPerNamespace: 5, seed: 20240601 },
  goals: { compileMs: 75, retainedMB: 20, allowsIndexNsPerOp: 15, speedup: 1000 },
});
