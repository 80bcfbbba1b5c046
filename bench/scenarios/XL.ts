// Issue 14's scale scenario XL (bench/scales.ts has its shape).
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("XL");
