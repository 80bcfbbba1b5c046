import type { DirectionIndex, IRDirection } from "../ir/policy-table-ir.ts";
import type { CollectedDirection, CollectedRule } from "./collect-rules.ts";
import { createGlobalFill, IntBuffer, intersects } from "./global-fill.ts";
import { buildGroups } from "./groups.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { NamedVectors } from "./named-ports.ts";
import { createOpenRangeCells } from "./open-range-cells.ts";
import { buildPeerClasses, type PeerClasses } from "./peer-classes.ts";
import { irRules, peerMembership } from "./rule-facts.ts";
import type { TableContext } from "./table-context.ts";

/** A block is stored sparse when fewer than 1 in SPARSE_RATIO of its classes differ from its default. */
const SPARSE_RATIO = 8;

/** A direction's table and what the diagnostics reuse from building it. */
export interface BuiltDirection {
  readonly table: IRDirection;
  readonly peers: PeerClasses;
}

/**
 * Build one direction: which group each subject belongs to, which peer class each endpoint falls
 * in (globally, and locally within its namespace), and the cells `(group, class) → port row`.
 * Named ports resolve against the destination: the peer for egress, the subject for ingress.
 * Every key (group, row block, cell) is an interned integer sequence, never a string.
 */
export function buildDirectionTable(
  ctx: TableContext,
  direction: DirectionIndex,
  collected: CollectedDirection,
  named: NamedVectors,
): BuiltDirection {
  const { layout, rows, subjects } = ctx;
  const _P = layout.podCount;
  const _E = layout.count;
  const egress = direction === 0;
  const peers = buildPeerClasses(ctx, collected, named, egress);
  const classCount = peers.classCount;
  const rule = (id: number): CollectedRule => collected.rules[id - 1]!;

  const groups = buildGroups(layout, subjects, collected, named, egress);
  const { group, rules: groupRules, named: groupNamed, ns: groupNs, isolated } = groups;
  const G = groupRules.length;

  // --- Named ports of each rule, as this direction's key indices; resolved per destination vector.
  const ruleNamedKeys: (number[] | undefined)[] = collected.rules.map((r) => {
    if (!r.hasNamedPorts) return undefined;
    const ks: number[] = [];
    for (const p of r.ports!) if ("name" in p) ks.push(named.keyIndex(p.name, p.protocol));
    return ks;
  });
  const resolved: number[] = [];
  /** Describe rule `r` at `ordinal` to the row store, its named ports resolved through `vector`. */
  const addRule = (ordinal: number, r: number, vector: number): void => {
    const cr = rule(r);
    const keys = ruleNamedKeys[r - 1];
    let n = 0;
    if (keys !== undefined && vector !== 0) {
      let i = 0;
      for (const p of cr.ports!) {
        if (!("name" in p)) continue;
        const port = named.value(vector, keys[i++]!);
        if (port > 0) resolved[n++] = ctx.ports.classOf(p.protocol, port);
      }
    }
    rows.add(ordinal, cr, resolved, n);
  };

  // --- Rows. Cells hold port-row ids; row blocks are shared between groups whose rules behave alike.
  const globalCells = new IntBuffer();
  const globalBlocks = new IntSeqInterner();
  const globalBlockBase: number[] = [];
  const localCells = new IntBuffer();
  localCells.zeros(peers.maxLocal);
  const localBlocks = new IntSeqInterner();
  const localBlockBase: number[] = [];
  const globalBase = new Int32Array(G);
  const localBase = new Int32Array(G);
  // Blocks are filled in a scratch block, then stored dense, or sparse (default row + the classes
  // that differ) when few classes differ: 1,000 single-pod policies with 20 /32 peers each give
  // 1,000 blocks of 20 exceptions, not 1,000 × 20,000 cells.
  const scratch = new IntBuffer();
  scratch.zeros(classCount);
  const sparseDefault: number[] = [];
  const sparseStart: number[] = [0];
  const sparseClass: number[] = [];
  const sparseRow: number[] = [];
  const openRangeCells = createOpenRangeCells(peers.opens, rows);
  const fill = createGlobalFill(peers, collected, rows, addRule, scratch, egress);
  // Cells no rule reaches: open for an isolated subject (row 0), allowed by default otherwise.
  rows.begin(false);
  const defaultRow = rows.end();
  for (let g = 0; g < G; g++) {
    const ruleIds = groupRules[g]!;
    const vector = groupNamed[g]!;
    const iso = isolated[g] === 1;
    globalBlocks.push(iso ? 1 : 0);
    globalBlocks.push(vector);
    for (let i = 0; i < ruleIds.length; i++) globalBlocks.push(rule(ruleIds[i]!).globalKey);
    const block = globalBlocks.commit();
    if (block === globalBlockBase.length) {
      const initial = iso ? 0 : defaultRow;
      scratch.fill(initial, 0, classCount);
      if (ruleIds.length > 0) fill(0, ruleIds, vector, iso);
      // Address-less pods the pod range leaves open: allowed only where every placement is (#47).
      if (ruleIds.length > 0 && peers.opens.length > 0) openRangeCells(scratch);
      let differ = 0;
      for (let c = 0; c < classCount; c++) if (scratch.get(c) !== initial) differ++;
      const sparse = differ * SPARSE_RATIO < classCount;
      ctx.budget.take(
        sparse ? differ : classCount,
        direction === 0 ? "egress" : "ingress",
        groups.policies[g]!,
        groups.clusterPolicies[g]!,
      );
      if (sparse) {
        globalBlockBase.push(-1 - sparseDefault.length);
        sparseDefault.push(initial);
        for (let c = 0; c < classCount; c++)
          if (scratch.get(c) !== initial) {
            sparseClass.push(c);
            sparseRow.push(scratch.get(c));
          }
        sparseStart.push(sparseClass.length);
      } else globalBlockBase.push(globalCells.append(scratch, 0, classCount));
    }
    globalBase[g] = globalBlockBase[block]!;

    let hasLocal = false;
    for (let i = 0; i < ruleIds.length; i++) if (rule(ruleIds[i]!).localPeers.length > 0) hasLocal = true;
    if (!hasLocal) continue;
    const ns = groupNs[g]!;
    localBlocks.push(ns);
    localBlocks.push(vector);
    for (let i = 0; i < ruleIds.length; i++) localBlocks.push(rule(ruleIds[i]!).localKey);
    const lblock = localBlocks.commit();
    if (lblock === localBlockBase.length) {
      const first = peers.localStart[ns]!;
      ctx.budget.take(
        peers.localStart[ns + 1]! - first,
        egress ? "egress" : "ingress",
        groups.policies[g]!,
        groups.clusterPolicies[g]!,
      );
      const lbase = localCells.zeros(peers.localStart[ns + 1]! - first);
      localBlockBase.push(lbase);
      for (let l = first; l < peers.localStart[ns + 1]!; l++) {
        const sig = peers.localSig[l]!;
        const v = egress ? peers.localNamed[l]! : vector;
        rows.begin(true);
        let any = false;
        for (let i = 0; i < ruleIds.length; i++) {
          if (!intersects(rule(ruleIds[i]!).localPeers, peers.localSigs, sig)) continue;
          addRule(i + 1, ruleIds[i]!, v);
          any = true;
        }
        const id = rows.end();
        if (any) localCells.set(lbase + l - first, id);
      }
    }
    localBase[g] = localBlockBase[lblock]!;
  }

  const table: IRDirection = {
    rules: irRules(collected),
    ...peerMembership(peers),
    group,
    groupPolicies: groups.policies,
    groupClusterPolicies: groups.clusterPolicies,
    groupIsolated: isolated,
    groupRules,
    globalBase,
    localBase,
    globalClassCount: classCount,
    globalClass: peers.globalClass,
    joinClass: peers.joinClass,
    localClass: peers.localClass,
    globalCells: globalCells.finish(),
    sparseDefault: Int32Array.from(sparseDefault),
    sparseStart: Int32Array.from(sparseStart),
    sparseClass: Int32Array.from(sparseClass),
    sparseRow: Int32Array.from(sparseRow),
    localCells: localCells.finish(),
  };
  return { table, peers };
}
