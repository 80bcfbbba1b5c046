// Issue 14's scale scenario S (bench/scales.ts has its shape).
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("S");
