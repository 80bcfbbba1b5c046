// Issue 14's scale scenario L-dense with 200 admin/baseline policies and 20 Node objects (bench/scales.ts).
import { runScaleScenario } from "../scale-scenario.ts";

await runScaleScenario("L-dense-admin");
