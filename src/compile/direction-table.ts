import { type DirectionIndex, type IRDirection, KIND_POD, VARIANTS } from "../ir/policy-table-ir.ts";
import type { Cluster } from "../model/types.ts";
import type { AddressClasses } from "./address-classes.ts";
import { type CollectedDirection, type CollectedRule, namedPortKey } from "./collect-rules.ts";
import type { EndpointLayout } from "./layout-endpoints.ts";
import type { PodUniverse } from "./pod-universe.ts";
import type { PortClasses } from "./port-classes.ts";
import type { NamedPortResolver, RowStore } from "./row-store.ts";

/** Inputs shared by both directions. */
export interface TableContext {
  readonly cluster: Cluster;
  readonly ipBlockMatchesPodIPs: boolean;
  readonly layout: EndpointLayout;
  readonly addresses: AddressClasses;
  readonly ports: PortClasses;
  readonly universe: PodUniverse;
  readonly rows: RowStore;
}

/** Interns signature strings to dense ids, in order of first appearance (deterministic). */
class Interner {
  readonly ids = new Map<string, number>();
  intern(key: string, onNew: (id: number) => void): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      onNew(id);
    }
    return id;
  }
}

/** Per pod: the numbers its declared ports give the direction's named ports (0 = not declared). */
function namedVectors(ctx: TableContext, keys: readonly string[]): (readonly number[])[] {
  if (keys.length === 0) return ctx.cluster.pods.map(() => []);
  // Pods of one template share their port list: compute each distinct list once.
  const memo = new Map<string, readonly number[]>();
  return ctx.cluster.pods.map((pod) => {
    let shape = "";
    for (const p of pod.ports)
      if (p.name !== undefined) shape += `${p.name}/${p.protocol}/${p.containerPort};`;
    let v = memo.get(shape);
    if (v === undefined) {
      const byKey = new Map<string, number>();
      for (const p of pod.ports) {
        if (p.name === undefined) continue;
        const k = namedPortKey(p.name, p.protocol);
        if (!byKey.has(k)) byKey.set(k, p.containerPort);
      }
      const vec = keys.map((k) => byKey.get(k) ?? 0);
      v = vec.every((n) => n === 0) ? [] : vec;
      memo.set(shape, v);
    }
    return v;
  });
}

/**
 * Build one direction: which group each subject belongs to, which peer class each endpoint falls
 * in (globally, and locally within its namespace), and the cells `(group, class) → port row`.
 * Named ports resolve against the destination: the peer for egress, the subject for ingress.
 */
export function buildDirectionTable(
  ctx: TableContext,
  direction: DirectionIndex,
  collected: CollectedDirection,
): IRDirection {
  const { layout, universe, rows } = ctx;
  const P = layout.podCount;
  const E = layout.count;
  const namedIndex = new Map(collected.namedPorts.map((k, i) => [k, i]));
  const vectors = namedVectors(ctx, collected.namedPorts);
  const vecKey = (v: readonly number[]): string => v.join(",");

  // --- Global peer signatures: label peers per pod, ipBlock peers per address class.
  const podSig: number[][] = Array.from({ length: P }, () => []);
  const classIpSig: number[][] = ctx.addresses.classes.map(() => []);
  collected.globalPeers.forEach((peer, id) => {
    if (peer.kind === "labels") {
      const member = universe.podSelectorMember(peer.podSelector);
      for (const ns of universe.namespaceIndex.select(peer.namespaceSelector)) {
        for (const pod of universe.podsOfNamespace[ns]!) {
          if (layout.kind[pod] === KIND_POD && member[universe.labelSetOf[pod]!] === 1) podSig[pod]!.push(id);
        }
      }
    } else {
      ctx.addresses.classes.forEach((c, j) => {
        if (c.family !== peer.cidr.family || c.first < peer.cidr.first || c.first > peer.cidr.last) return;
        if (peer.except.some((x) => c.first >= x.first && c.first <= x.last)) return;
        classIpSig[j]!.push(id);
      });
    }
  });

  // --- Global peer classes.
  const globalClass = new Int32Array(VARIANTS * E).fill(-1);
  const classPeers: number[][] = [];
  const classNamed: (readonly number[])[] = [];
  const classes = new Interner();
  const egress = direction === 0;
  const assign = (v: number, e: number, peers: number[], named: readonly number[]): void => {
    const key = `${peers.join(".")}|${egress ? vecKey(named) : ""}`;
    globalClass[v * E + e] = classes.intern(key, () => {
      classPeers.push(peers);
      classNamed.push(egress ? named : []);
    });
  };
  for (let e = 0; e < E; e++) {
    if (e < P) {
      if (layout.kind[e] !== KIND_POD) continue;
      const mask = layout.variantMask[e]!;
      for (let v = 0; v < VARIANTS; v++) {
        if ((mask & (1 << v)) === 0) continue;
        const ac = v < 2 ? layout.podAddressClass[v as 0 | 1][e]! : -1;
        const ip = ctx.ipBlockMatchesPodIPs && ac >= 0 ? classIpSig[ac]! : [];
        assign(v, e, mergeSorted(podSig[e]!, ip), vectors[e]!);
      }
    } else {
      assign(layout.primaryVariant[e]!, e, classIpSig[e - P]!, []);
    }
  }
  const classCount = classes.ids.size;
  const classesOfPeer: number[][] = collected.globalPeers.map(() => []);
  classPeers.forEach((peers, c) => {
    for (const p of peers) classesOfPeer[p]!.push(c);
  });

  // --- Local peer classes, numbered within each namespace.
  const localSig: number[][] = Array.from({ length: P }, () => []);
  collected.localPeers.forEach((peer, id) => {
    const member = universe.podSelectorMember(peer.podSelector);
    for (const pod of universe.podsOfNamespace[peer.namespace]!) {
      if (layout.kind[pod] === KIND_POD && member[universe.labelSetOf[pod]!] === 1) localSig[pod]!.push(id);
    }
  });
  const localClass = new Int32Array(E).fill(-1);
  const localPeersOf: number[][][] = universe.podsOfNamespace.map(() => []);
  const localNamedOf: (readonly number[])[][] = universe.podsOfNamespace.map(() => []);
  let maxLocal = 1;
  universe.podsOfNamespace.forEach((pods, ns) => {
    const interner = new Interner();
    for (const pod of pods) {
      if (layout.kind[pod] !== KIND_POD) continue;
      const named = egress ? vectors[pod]! : [];
      localClass[pod] = interner.intern(`${localSig[pod]!.join(".")}|${vecKey(named)}`, () => {
        localPeersOf[ns]!.push(localSig[pod]!);
        localNamedOf[ns]!.push(named);
      });
    }
    maxLocal = Math.max(maxLocal, interner.ids.size);
  });

  // --- Groups: subjects with the same selecting policies (and, for ingress, the same named ports).
  const podPolicies: number[][] = Array.from({ length: P }, () => []);
  ctx.cluster.networkPolicies.forEach((policy, pi) => {
    if (!collected.appliesTo[pi]) return;
    const ns = universe.namespaceOf.get(policy.namespace)!;
    const member = universe.podSelectorMember(policy.spec.podSelector);
    for (const pod of universe.podsOfNamespace[ns]!) {
      if (layout.kind[pod] === KIND_POD && member[universe.labelSetOf[pod]!] === 1)
        podPolicies[pod]!.push(pi);
    }
  });
  const group = new Int32Array(E);
  const groupPolicies: (readonly number[])[] = [[]];
  const groupRules: (readonly number[])[] = [[]];
  const groupNamed: (readonly number[])[] = [[]];
  const groupNs: number[] = [-1];
  const groups = new Interner();
  groups.intern("", () => {});
  for (let pod = 0; pod < P; pod++) {
    const pols = podPolicies[pod]!;
    if (pols.length === 0) continue;
    const named = egress ? [] : vectors[pod]!;
    group[pod] = groups.intern(`${pols.join(",")}|${vecKey(named)}`, () => {
      groupPolicies.push(pols);
      groupRules.push(pols.flatMap((p) => collected.policyRules[p]!));
      groupNamed.push(named);
      groupNs.push(layout.namespace[pod]!);
    });
  }
  const G = groupPolicies.length;

  // --- Rows. Cells hold port-row ids; rows are shared between groups whose rules behave alike.
  const rule = (id: number): CollectedRule => collected.rules[id - 1]!;
  const resolvers = new Map<readonly number[], NamedPortResolver>();
  const resolverFor = (named: readonly number[]): NamedPortResolver => {
    let r = resolvers.get(named);
    if (r === undefined) {
      r =
        named.length === 0
          ? () => 0
          : (name, protocol) => named[namedIndex.get(namedPortKey(name, protocol))!] ?? 0;
      resolvers.set(named, r);
    }
    return r;
  };
  /** Port row for the rules of `ruleIds` at `ordinals`, memoised per (ordinals, named-port vector). */
  const rowFor = (
    ruleIds: readonly number[],
    ordinals: readonly number[],
    named: readonly number[],
    memo: Map<string, number>,
  ): number => {
    if (ordinals.length === 0) return 0;
    const key = `${ordinals.join(",")}|${vecKey(named)}`;
    let id = memo.get(key);
    if (id === undefined) {
      id = rows.row(
        ordinals.map((o) => rule(ruleIds[o - 1]!)),
        ordinals,
        resolverFor(named),
      );
      memo.set(key, id);
    }
    return id;
  };
  const globalBase = new Int32Array(G);
  const globalCells = new IntBuffer();
  const globalRows = new Map<string, number>();
  const localBase = new Int32Array(G);
  const localCells = new IntBuffer();
  localCells.zeros(maxLocal);
  const localRows = new Map<string, number>();
  const namedIdOf = new Map<string, number>();
  const classNamedId = classNamed.map((v) => {
    const k = vecKey(v);
    let id = namedIdOf.get(k);
    if (id === undefined) namedIdOf.set(k, (id = namedIdOf.size));
    return id;
  });
  const masks = new Int32Array(classCount);
  const touchedClasses: number[] = [];
  /** Fill a global row, the set of matching rules of each class kept as a bitmask of ordinals (≤ 30 rules). */
  const fillByMask = (base: number, ruleIds: readonly number[], named: readonly number[]): void => {
    const memos: Map<number, number>[] = [];
    let everywhere = 0;
    ruleIds.forEach((r, i) => {
      const cr = rule(r);
      const bit = 1 << i;
      if (cr.allPeers) everywhere |= bit;
      else
        for (const p of cr.globalPeers)
          for (const c of classesOfPeer[p]!) {
            if (masks[c] === 0) touchedClasses.push(c);
            masks[c]! |= bit;
          }
    });
    const cell = (c: number, mask: number): void => {
      const nid = egress ? classNamedId[c]! : 0;
      const memo = (memos[nid] ??= new Map());
      let id = memo.get(mask);
      if (id === undefined) {
        const ordinals: number[] = [];
        for (let i = 0; i < ruleIds.length; i++) if ((mask >>> i) & 1) ordinals.push(i + 1);
        id = rows.row(
          ordinals.map((o) => rule(ruleIds[o - 1]!)),
          ordinals,
          resolverFor(egress ? classNamed[c]! : named),
        );
        memo.set(mask, id);
      }
      globalCells.set(base + c, id);
    };
    if (everywhere !== 0) for (let c = 0; c < classCount; c++) cell(c, masks[c]! | everywhere);
    else for (const c of touchedClasses) cell(c, masks[c]!);
    for (const c of touchedClasses) masks[c] = 0;
    touchedClasses.length = 0;
  };
  /** The same for groups with more rules: ordinal lists instead of masks. */
  const fillByList = (base: number, ruleIds: readonly number[], named: readonly number[]): void => {
    const memo = new Map<string, number>();
    const everywhere: number[] = [];
    const specific = new Map<number, number[]>();
    ruleIds.forEach((r, i) => {
      const cr = rule(r);
      if (cr.allPeers) everywhere.push(i + 1);
      else
        for (const p of cr.globalPeers)
          for (const c of classesOfPeer[p]!) {
            let m = specific.get(c);
            if (m === undefined) specific.set(c, (m = []));
            if (m[m.length - 1] !== i + 1) m.push(i + 1);
          }
    });
    const cellAt = (c: number, ordinals: readonly number[]): void => {
      globalCells.set(base + c, rowFor(ruleIds, ordinals, egress ? classNamed[c]! : named, memo));
    };
    if (everywhere.length > 0) {
      for (let c = 0; c < classCount; c++) {
        const m = specific.get(c);
        cellAt(c, m === undefined ? everywhere : mergeSorted(everywhere, m));
      }
    } else for (const [c, m] of specific) cellAt(c, m);
  };
  for (let g = 1; g < G; g++) {
    const ruleIds = groupRules[g]!;
    const named = groupNamed[g]!;
    const gKey = `${ruleIds.map((r) => rule(r).globalKey).join(";")}|${vecKey(named)}`;
    let base = globalRows.get(gKey);
    if (base === undefined) {
      base = globalCells.zeros(classCount);
      globalRows.set(gKey, base);
      if (ruleIds.length <= 30) fillByMask(base, ruleIds, named);
      else fillByList(base, ruleIds, named);
    }
    globalBase[g] = base;

    if (!ruleIds.some((r) => rule(r).localPeers.length > 0)) continue;
    const ns = groupNs[g]!;
    const lKey = `${ns}|${ruleIds.map((r) => rule(r).localKey).join(";")}|${vecKey(named)}`;
    let lbase = localRows.get(lKey);
    if (lbase === undefined) {
      const memo = new Map<string, number>();
      const classesHere = localPeersOf[ns]!;
      lbase = localCells.zeros(classesHere.length);
      localRows.set(lKey, lbase);
      classesHere.forEach((peers, l) => {
        const m: number[] = [];
        ruleIds.forEach((r, i) => {
          if (rule(r).localPeers.some((q) => peers.includes(q))) m.push(i + 1);
        });
        localCells.set(lbase! + l, rowFor(ruleIds, m, egress ? localNamedOf[ns]![l]! : named, memo));
      });
    }
    localBase[g] = lbase;
  }

  return {
    rules: collected.rules.map((r) => ({ policy: r.policy, index: r.index })),
    group,
    groupPolicies,
    groupRules,
    globalBase,
    localBase,
    globalClassCount: classCount,
    globalClass,
    localClass,
    globalCells: globalCells.finish(),
    localCells: localCells.finish(),
  };
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

/** Merge two ascending id lists without duplicates. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a as number[];
  if (a.length === 0) return b as number[];
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
