// Issue 14's scale scenario M with 200 admin/baseline policies and 20 Node objects (bench/scales.ts).
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("M-admin");
