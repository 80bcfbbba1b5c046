// Issue 14's scale scenario XL-unique with 200 admin/baseline policies and 20 Node objects (bench/scales.ts).
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("XL-unique-admin");
