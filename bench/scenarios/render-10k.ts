// Render time and output size of every built-in backend on core-10k's cluster (10,000 pods, 5,000
// policies), beside its compile time in the same process, and the doubling check (bench/render.ts).
import { runRenderScenario } from "../render.ts";
import { CORE_10K } from "../workloads.ts";

await runRenderScenario({ name: "render-10k", cluster: CORE_10K, node: "node-00", goalRatio: 1.0 });
