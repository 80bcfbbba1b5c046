// `netpol list` on core-10k's cluster (10,000 pods, 5,000 policies): the connectivity list computed
// and written as txt, beside the compile of the same cluster in the same process (ratio list /
// compile), with what its cost follows — endpoints, identities, identity pairs, port classes.
import { compile } from "../../src/compile.ts";
import { connectionList } from "../../src/engine/connlist.ts";
import { listMembers } from "../../src/engine/connlist-endpoints.ts";
import { formatText } from "../../src/report/format-list.ts";
import { generateCluster } from "../generate.ts";
import { loadAverage, log, timeMs, watchOtherLoad } from "../harness.ts";
import { CORE_10K } from "../workloads.ts";

const otherLoad = watchOtherLoad();
const cluster = generateCluster(CORE_10K);
const compiled = timeMs(() => compile(cluster), { warmup: 2, samples: 7 });
const table = compile(cluster);
let lines = 0;
let bytes = 0;
const list = (): number => {
  lines = 0;
  bytes = 0;
  for (const chunk of formatText(connectionList(table))) {
    lines++;
    bytes += chunk.length;
  }
  return lines;
};
log("list-10k: listing");
const listed = timeMs(list, { warmup: 1, samples: 5 });
const members = listMembers(table.ir);
const identities = members.full.first.length;
const crossIdentities = members.cross.first.length;
const result = {
  name: "list-10k",
  pods: cluster.pods.length,
  policies: cluster.networkPolicies.length,
  endpoints: members.endpoints.length,
  identities,
  crossIdentities,
  portClasses: table.ir.portClassCount,
  lines,
  bytes,
  compileMs: compiled.wall.median,
  listMs: listed.wall.median,
  listOverCompile: Number((listed.wall.median / compiled.wall.median).toFixed(2)),
  samples: { compile: compiled.wall, list: listed.wall },
  loadAverage: loadAverage(),
  otherLoad: otherLoad(),
};
log(
  `list-10k: ${result.listMs} ms for ${lines} lines (compile ${result.compileMs} ms, ratio ${result.listOverCompile})`,
);
console.log(JSON.stringify(result));
