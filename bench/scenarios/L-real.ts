// Issue 14's scale scenario L-real (bench/scales.ts has its shape).
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("L-real");
