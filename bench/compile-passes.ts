// Where compile's time and memory go, pass by pass, for a named workload: runs the passes of
// src/compile/compile-ir.ts in its order (a copy of its body, with a timer and a settled-heap
// reading around each pass), then the query's pack (src/engine/pack-table.ts). Each pass prints a
// line to stderr as it ends, so that a run killed by a timeout or an out-of-memory abort still
// shows how far it got; the whole record is one JSON line on stdout at the end.
//
//   node --expose-gc --max-old-space-size=4096 --import tsx bench/compile-passes.ts hostile-20
//   timeout 120 node --expose-gc --max-old-space-size=4096 --import tsx bench/compile-passes.ts hostile-1
//
// Workloads: core-10k, admin-10k, hostile-<n> (1,000 pods/policies, n /32s and n ranges each,
// one rule per direction), hostile-<n>x<m> (n /32s, m ranges), hostile-pairs-<n> (n rules of one
// /32 and one range each). Keep the copy in step with compile-ir.ts: it must call the same passes
// in the same order (the final line compares its IR sizes with compileIR's when that finishes).

import { type AddressRange, buildAddressClasses } from "../src/compile/address-classes.ts";
import { createCellBudget } from "../src/compile/cell-budget.ts";
import { collectDirection, protocolIndex } from "../src/compile/collect-rules.ts";
import { compileIR } from "../src/compile/compile-ir.ts";
import { collectDiagnostics } from "../src/compile/diagnostics.ts";
import { buildDirectionTable } from "../src/compile/direction-table.ts";
import { buildGroups } from "../src/compile/groups.ts";
import { IntSeqInterner } from "../src/compile/int-seq-interner.ts";
import { createSelectorKeys } from "../src/compile/label-index.ts";
import { layoutEndpoints } from "../src/compile/layout-endpoints.ts";
import { buildNamedVectors } from "../src/compile/named-ports.ts";
import { buildNodes } from "../src/compile/nodes.ts";
import { buildPeerClasses } from "../src/compile/peer-classes.ts";
import { buildPodUniverse } from "../src/compile/pod-universe.ts";
import { buildPortClasses, type PortRange } from "../src/compile/port-classes.ts";
import { createRowStore } from "../src/compile/row-store.ts";
import { buildSubjects } from "../src/compile/subjects.ts";
import type { TableContext } from "../src/compile/table-context.ts";
import { packTable } from "../src/engine/pack-table.ts";
import { EGRESS, INGRESS } from "../src/ir/policy-table-ir.ts";
import { CONFORMANCE_PROFILE } from "../src/model/profile.ts";
import type { Protocol } from "../src/model/types.ts";
import { fullGC } from "./harness.ts";
import { workload } from "./workloads.ts";

const MB = 2 ** 20;
/** Rows in either layout: dense (`portRows`, K ids each) or runs (`rowStart`, `runClass`, `runOutcome`). */
function rowFacts(r: Int32Array | Record<string, Int32Array>, K: number): Record<string, number> {
  const dense = r instanceof Int32Array ? r : r.portRows;
  if (dense !== undefined) return { portRows: dense.length / K, portRowsMB: round((dense.length * 4) / MB) };
  const rec = r as Record<string, Int32Array>;
  const runs = rec.runClass?.length ?? 0;
  return { portRows: (rec.rowStart?.length ?? 1) - 1, portRowRuns: runs, portRowsMB: round((runs * 8) / MB) };
}
const round = (x: number, d = 1): number => Number(x.toFixed(d));
const t00 = process.hrtime.bigint();
const passes: Record<string, unknown>[] = [];
/** Run one pass: time it, then settle the heap and read what is live (outside the timing). */
function pass<T>(name: string, fn: () => T, facts?: (out: T) => Record<string, unknown>): T {
  const t0 = process.hrtime.bigint();
  const out = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fullGC();
  const m = process.memoryUsage();
  const line = {
    pass: name,
    ms: round(ms),
    liveMB: round((m.heapUsed + m.arrayBuffers) / MB),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    atS: round(Number(process.hrtime.bigint() - t00) / 1e9, 2),
    ...(facts === undefined ? {} : facts(out)),
  };
  passes.push(line);
  process.stderr.write(`[passes] ${JSON.stringify(line)}\n`);
  return out;
}

const name = process.argv[2] ?? "hostile-20";
process.stderr.write(`[passes] workload ${name}\n`);
const cluster = pass(
  "generate (not compile)",
  () => workload(name).cluster,
  (c) => ({
    pods: c.pods.length,
    policies: c.networkPolicies.length,
    clusterPolicies: c.clusterNetworkPolicies.length,
  }),
);
const profile = CONFORMANCE_PROFILE;
const compileStart = process.hrtime.bigint();

// --- the body of compileIR (src/compile/compile-ir.ts), pass by pass -------------------------
const selectorKeys = createSelectorKeys();
const universe = pass("1 pod universe (labels)", () => buildPodUniverse(cluster, selectorKeys));
const subjects = pass("2 subjects", () => buildSubjects(cluster, universe));
const nodes = pass("3 nodes", () => buildNodes(cluster));
const ruleKeys = new IntSeqInterner();
const egress = pass(
  "4 collect egress rules",
  () => collectDirection(cluster, EGRESS, universe, ruleKeys, selectorKeys),
  (d) => ({
    rules: d.rules.length,
    globalPeers: d.globalPeers.length,
  }),
);
const ingress = pass(
  "4 collect ingress rules",
  () => collectDirection(cluster, INGRESS, universe, ruleKeys, selectorKeys),
  (d) => ({
    rules: d.rules.length,
    globalPeers: d.globalPeers.length,
  }),
);
const portRanges: PortRange[] = [];
const cutSeen = new Set<number>();
const cut = (protocol: Protocol, port: number): void => {
  const key = protocolIndex(protocol) * 65536 + port;
  if (cutSeen.has(key)) return;
  cutSeen.add(key);
  portRanges.push({ protocol, lo: port, hi: port });
};
const [egressNamed, ingressNamed] = pass("5 named-port vectors", () => [
  buildNamedVectors(cluster, egress.namedPorts, cut),
  buildNamedVectors(cluster, ingress.namedPorts, cut),
]);
const ports = pass(
  "5 port classes",
  () => {
    const seenPorts = new Set<number>();
    for (const rules of [egress.rules, ingress.rules])
      for (const r of rules) {
        if (r.ports === undefined || seenPorts.has(r.portsId)) continue;
        seenPorts.add(r.portsId);
        for (const p of r.ports) if (!("name" in p)) portRanges.push(p);
      }
    return buildPortClasses(portRanges);
  },
  (p) => ({ portClasses: p.count, wordsPerCell: Math.max(1, Math.ceil(p.count / 32)) }),
);
const addresses = pass(
  "6 address classes",
  () => {
    const addressRanges: AddressRange[] = [];
    for (const peer of [...egress.globalPeers, ...ingress.globalPeers]) {
      if (peer.kind !== "ipBlock") continue;
      addressRanges.push(peer.cidr, ...peer.except);
    }
    for (const list of nodes.addresses)
      for (const ip of list) addressRanges.push({ family: ip.family, first: ip.value, last: ip.value });
    return buildAddressClasses(addressRanges);
  },
  (a) => ({ addressClasses: a.classes.length }),
);
const layout = pass(
  "7 endpoints",
  () => layoutEndpoints(cluster, universe.podNamespace, addresses, nodes),
  (l) => ({
    endpoints: l.count,
  }),
);
const rows = createRowStore(ports);
const ctx: TableContext = {
  ipBlockMatchesPodIPs: profile.ipBlockMatchesPodIPs,
  layout,
  addresses,
  podRanges: [],
  ports,
  universe,
  subjects,
  rows,
  nodes,
  budget: createCellBudget(cluster),
};
const directions = [
  ["egress", EGRESS, egress, egressNamed],
  ["ingress", INGRESS, ingress, ingressNamed],
] as const;
const tables = directions.map(([label, dir, collected, named]) => {
  // Peer classes and groups are built here once more, alone, to time them apart from the cells;
  // buildDirectionTable builds them again (the "8 … table" line includes them).
  const peers = pass(
    `8 ${label} peer classes (alone)`,
    () => buildPeerClasses(ctx, collected, named, dir === EGRESS),
    (p) => ({
      globalClasses: p.classCount,
    }),
  );
  const groups = pass(
    `8 ${label} groups (alone)`,
    () => buildGroups(layout, subjects, collected, named, dir === EGRESS),
    (g) => ({
      groups: g.rules.length,
      denseCellsUpperBound: g.rules.length * peers.classCount,
      denseCellsUpperBoundMB: round((g.rules.length * peers.classCount * 4) / MB),
    }),
  );
  void groups;
  return pass(
    `8 ${label} table (peers + groups + cells + rows)`,
    () => buildDirectionTable(ctx, dir, collected, named),
    (t) => ({
      globalCells: t.table.globalCells.length,
      globalCellsMB: round((t.table.globalCells.length * 4) / MB),
      localCells: t.table.localCells.length,
      outcomesSoFar: rows.outcomes().length / 3,
    }),
  );
});
const portRows = pass(
  "9 rows finish",
  () => rows.finish(),
  (r) => rowFacts(r as unknown as Int32Array | Record<string, Int32Array>, ports.count),
);
pass("10 diagnostics", () =>
  collectDiagnostics(cluster, universe, subjects, [
    { collected: egress, peers: tables[0]!.peers, named: egressNamed },
    { collected: ingress, peers: tables[1]!.peers, named: ingressNamed },
  ]),
);
const compileIRms = Number(process.hrtime.bigint() - compileStart) / 1e6;
void portRows;

// --- the query's view ------------------------------------------------------------------------
// compileIR itself (the facade's first half), then pack: what `new PolicyTable` does first.
const ir = pass(
  "compileIR (whole, for the IR pack reads)",
  () => compileIR(cluster, profile).ir,
  (x) => ({
    egressGlobalCells: x.egress.globalCells.length,
    ingressGlobalCells: x.ingress.globalCells.length,
    ...rowFacts(x as unknown as Record<string, Int32Array>, x.portClassCount),
  }),
);
const words = Math.max(1, Math.ceil(ir.portClassCount / 32));
process.stderr.write(
  `[passes] pack will need at least ${round(((ir.egress.globalCells.length + ir.ingress.globalCells.length) * 2 * words * 4) / MB)} MB of cell masks (global + open, ${words} words per cell)\n`,
);
const packed = pass(
  "11 pack (query view)",
  () => packTable(ir),
  (p) => ({
    cellInts: p.cells.length,
    cellMB: round((p.cells.length * 4) / MB),
    recordMB: round((p.records.length * 4) / MB),
    folded: p.folded,
    split: p.split,
  }),
);
void packed;
process.stdout.write(
  `${JSON.stringify({ workload: name, compileIRPassesMs: round(compileIRms), passes, maxRssMB: round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
