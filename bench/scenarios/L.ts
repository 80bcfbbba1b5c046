// Issue 14's scale scenario L (bench/scales.ts has its shape): the former core-10k, same cluster and seed.
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("L");
