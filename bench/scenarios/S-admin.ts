// Issue 14's scale scenario S with 200 admin/baseline policies and 20 Node objects (bench/scales.ts).
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("S-admin");
