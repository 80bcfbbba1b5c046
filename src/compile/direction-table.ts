import { type DirectionIndex, type IRDirection, KIND_POD } from "../ir/policy-table-ir.ts";
import type { CollectedDirection, CollectedRule } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { NamedVectors } from "./named-ports.ts";
import { buildPeerClasses, type PeerClasses } from "./peer-classes.ts";
import type { RowStore } from "./row-store.ts";
import type { TableContext } from "./table-context.ts";

/** A direction's table and what the diagnostics reuse from building it. */
export interface BuiltDirection {
  readonly table: IRDirection;
  readonly peers: PeerClasses;
}

/** A growable Int32Array. */
class IntBuffer {
  #data = new Int32Array(1024);
  #length = 0;
  /** Append `n` zeros; returns the offset of the first. */
  zeros(n: number): number {
    const at = this.#length;
    if (at + n > this.#data.length) {
      const next = new Int32Array(Math.max(this.#data.length * 2, at + n));
      next.set(this.#data.subarray(0, at));
      this.#data = next;
    }
    this.#length += n;
    return at;
  }
  set(i: number, v: number): void {
    this.#data[i] = v;
  }
  finish(): Int32Array {
    return this.#data.slice(0, this.#length);
  }
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
  const P = layout.podCount;
  const E = layout.count;
  const egress = direction === 0;
  const peers = buildPeerClasses(ctx, collected, named, egress);
  const classCount = peers.classCount;
  const rule = (id: number): CollectedRule => collected.rules[id - 1]!;

  // --- Groups: subjects with the same selecting policies (and, for ingress, the same named ports).
  // Key: [named vector, ...policies]; group 0 (not isolated) is a sentinel no pod produces.
  const group = new Int32Array(E);
  const groupPolicies: (readonly number[])[] = [[]];
  const groupRules: (readonly number[])[] = [[]];
  const groupNamed: number[] = [0];
  const groupNs: number[] = [-1];
  const groups = new IntSeqInterner();
  groups.internList([-1]);
  const applies = collected.appliesTo;
  for (let pod = 0; pod < P; pod++) {
    if (layout.kind[pod] !== KIND_POD) continue;
    const vector = egress ? 0 : named.vectorOf[pod]!;
    groups.push(vector);
    for (let j = subjects.podPolicyStart[pod]!; j < subjects.podPolicyStart[pod + 1]!; j++) {
      const pi = subjects.podPolicies[j]!;
      if (applies[pi]) groups.push(pi);
    }
    if (groups.pending === 1) {
      groups.discard();
      continue;
    }
    const before = groups.size;
    const g = groups.commit();
    group[pod] = g;
    if (g !== before) continue;
    const pols = groups.toArray(g, 1);
    groupPolicies.push(pols);
    let n = 0;
    for (let i = 0; i < pols.length; i++) n += collected.policyRules[pols[i]!]!.length;
    const ruleIds = new Array<number>(n);
    n = 0;
    for (let i = 0; i < pols.length; i++) {
      const own = collected.policyRules[pols[i]!]!;
      for (let j = 0; j < own.length; j++) ruleIds[n++] = own[j]!;
    }
    groupRules.push(ruleIds);
    groupNamed.push(vector);
    groupNs.push(layout.namespace[pod]!);
  }
  const G = groupPolicies.length;

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
  const fill = createGlobalFill(peers, collected, rows, addRule, globalCells, egress);
  for (let g = 1; g < G; g++) {
    const ruleIds = groupRules[g]!;
    const vector = groupNamed[g]!;
    globalBlocks.push(vector);
    for (let i = 0; i < ruleIds.length; i++) globalBlocks.push(rule(ruleIds[i]!).globalKey);
    const block = globalBlocks.commit();
    if (block === globalBlockBase.length) {
      const base = globalCells.zeros(classCount);
      globalBlockBase.push(base);
      fill(base, ruleIds, vector);
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
      const lbase = localCells.zeros(peers.localStart[ns + 1]! - first);
      localBlockBase.push(lbase);
      for (let l = first; l < peers.localStart[ns + 1]!; l++) {
        const sig = peers.localSig[l]!;
        const v = egress ? peers.localNamed[l]! : vector;
        rows.begin();
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
    rules: collected.rules.map((r) => ({ policy: r.policy, index: r.index })),
    group,
    groupPolicies,
    groupRules,
    globalBase,
    localBase,
    globalClassCount: classCount,
    globalClass: peers.globalClass,
    localClass: peers.localClass,
    globalCells: globalCells.finish(),
    localCells: localCells.finish(),
  };
  return { table, peers };
}

/** Whether ascending `a` shares an element with signature `sig` of `sigs` (ascending too). */
function intersects(a: readonly number[], sigs: IntSeqInterner, sig: number): boolean {
  const n = sigs.length(sig);
  let i = 0;
  let j = 0;
  while (i < a.length && j < n) {
    const x = a[i]!;
    const y = sigs.at(sig, j);
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

/**
 * The filler of a global row block: for each class, the rules matching it (a rule matches a class
 * when it allows every peer or one of its global peers matches the class), described to the row
 * store in order. With ≤ 30 rules the matching set is a bitmask, and equal (mask, named vector)
 * cells of one block share one row lookup.
 */
function createGlobalFill(
  peers: PeerClasses,
  collected: CollectedDirection,
  rows: RowStore,
  addRule: (ordinal: number, r: number, vector: number) => void,
  cells: IntBuffer,
  egress: boolean,
): (base: number, ruleIds: readonly number[], vector: number) => void {
  const C = peers.classCount;
  const masks = new Int32Array(C);
  const touched = new Int32Array(C);
  let touchedCount = 0;
  const memo = new Map<number, number>();
  const rule = (id: number): CollectedRule => collected.rules[id - 1]!;
  let vectors = 1;
  for (const v of peers.classNamed) vectors = Math.max(vectors, v + 1);
  const memoOk = vectors < 1 << 22; // mask · vectors + vector stays an exact double

  const byMask = (base: number, ruleIds: readonly number[], groupVector: number): void => {
    let everywhere = 0;
    ruleIds.forEach((r, i) => {
      const cr = rule(r);
      const bit = 1 << i;
      if (cr.allPeers) everywhere |= bit;
      else
        for (const p of cr.globalPeers)
          for (const c of peers.classesOfPeer[p]!) {
            if (masks[c] === 0) touched[touchedCount++] = c;
            masks[c]! |= bit;
          }
    });
    memo.clear();
    const cell = (c: number, mask: number): void => {
      const vector = egress ? peers.classNamed[c]! : groupVector;
      const key = mask * vectors + (egress ? vector : 0);
      let id = memoOk ? memo.get(key) : undefined;
      if (id === undefined) {
        rows.begin();
        for (let i = 0; i < ruleIds.length; i++) if ((mask >>> i) & 1) addRule(i + 1, ruleIds[i]!, vector);
        id = rows.end();
        if (memoOk) memo.set(key, id);
      }
      cells.set(base + c, id);
    };
    if (everywhere !== 0) for (let c = 0; c < C; c++) cell(c, masks[c]! | everywhere);
    else for (let i = 0; i < touchedCount; i++) cell(touched[i]!, masks[touched[i]!]!);
    for (let i = 0; i < touchedCount; i++) masks[touched[i]!] = 0;
    touchedCount = 0;
  };

  /** More rules than mask bits: ordinal lists per class. */
  const byList = (base: number, ruleIds: readonly number[], groupVector: number): void => {
    const everywhere: number[] = [];
    const specific = new Map<number, number[]>();
    ruleIds.forEach((r, i) => {
      const cr = rule(r);
      if (cr.allPeers) everywhere.push(i + 1);
      else
        for (const p of cr.globalPeers)
          for (const c of peers.classesOfPeer[p]!) {
            let m = specific.get(c);
            if (m === undefined) specific.set(c, (m = []));
            if (m[m.length - 1] !== i + 1) m.push(i + 1);
          }
    });
    const cellAt = (c: number, ordinals: readonly number[]): void => {
      if (ordinals.length === 0) return;
      const vector = egress ? peers.classNamed[c]! : groupVector;
      rows.begin();
      for (const o of ordinals) addRule(o, ruleIds[o - 1]!, vector);
      cells.set(base + c, rows.end());
    };
    if (everywhere.length > 0) {
      for (let c = 0; c < C; c++) {
        const m = specific.get(c);
        cellAt(c, m === undefined ? everywhere : [...new Set([...everywhere, ...m])].sort((x, y) => x - y));
      }
    } else for (const [c, m] of specific) cellAt(c, m);
  };

  return (base, ruleIds, vector) =>
    ruleIds.length <= 30 ? byMask(base, ruleIds, vector) : byList(base, ruleIds, vector);
}
