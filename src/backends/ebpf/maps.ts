// The map contents for a table: what the fixed program (program.ts) reads, built from the render
// view's shared form — subject pods' groups, blocks (peer class → row), local blocks (local class
// → row), distinct rows as (protocol, port prefix) verdicts, address → class tries per direction
// and family, node addresses and the profile's flags. Sizes follow groups, distinct blocks' cells,
// distinct rows, classes and pod addresses (set members), never pod pairs.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import {
  type Family,
  nodeIntervals,
  peerIntervals,
  podLocalClass,
  podsSharingAddresses,
  renderDirection,
  sharedAddresses,
} from "../../ir/read-render.ts";
import { parseIP } from "../../net/ip.ts";
import type { BackendRenderOptions } from "../contract.ts";
import { RenderError } from "../render.ts";
import { type RenderScope, renderScope } from "../shared/scope.ts";
import { decOrNull, MapEntries } from "./entries.ts";
import { dirName, FLAG_ALLOW_OWN_NODE, FLAG_ALLOW_SELF, MAPS, type MapName, NO_LOCAL } from "./layout.ts";
import { addressBytes, forEachPrefix, putClassPrefixes } from "./prefixes.ts";
import { Rows } from "./rows.ts";

export type MapContents = ReadonlyMap<MapName, MapEntries>;

const DIRECTIONS = [EGRESS, INGRESS] as const;
const FAMILIES: readonly Family[] = [4, 6];

export function buildMaps(ir: PolicyTableIR, options: BackendRenderOptions): MapContents {
  const scope = renderScope(ir, options);
  const out = new Map<MapName, MapEntries>(MAPS.map((m) => [m.name, new MapEntries(m.name)]));
  const map = (name: MapName): MapEntries => out.get(name)!;

  const self = ir.profile.allowSelf;
  const ownNode = ir.profile.allowFromOwnNode;
  const flags = (self ? FLAG_ALLOW_SELF : 0) | (ownNode ? FLAG_ALLOW_OWN_NODE : 0);
  const config = map("np_config");
  config.key().le32(0);
  config.value().le32(flags);
  const json = `{"allowSelf":${(flags & FLAG_ALLOW_SELF) !== 0},"allowFromOwnNode":${(flags & FLAG_ALLOW_OWN_NODE) !== 0}}`;
  config.data().str(json);

  const subjects = putGroups(ir, scope, map);
  putPods(ir, scope, subjects, map);
  // Address → peer class, per direction that has subject groups, per family.
  for (const d of DIRECTIONS) {
    if (!subjects.hasGroups[d]) continue;
    for (const f of FAMILIES)
      putClassPrefixes(map(f === 4 ? "np_peer4" : "np_peer6"), peerIntervals(ir, d, f), f, d);
  }
  putNodes(ir, scope, map);

  for (const m of MAPS) {
    const n = out.get(m.name)!.size;
    if (n > m.maxEntries)
      throw new RenderError(
        `backend ebpf: map ${m.name} needs ${n} entries, the program's limit is ${m.maxEntries}`,
      );
  }
  return out;
}

/** What the groups tell the pods' entries: each subject's group per direction, and more. */
interface SubjectGroups {
  /** Per direction and endpoint: its group (0: none). */
  readonly groupOf: readonly Int32Array[];
  /** Per namespace index: 1 when it has local rows (its pods' local classes count). */
  readonly localNamespaces: Uint8Array;
  readonly hasGroups: readonly boolean[];
}

/**
 * Per direction, in the view's shared form: groups point at blocks (class → row, a default row
 * elsewhere) and local blocks (local class → row); distinct rows are interned once (np_verdicts).
 */
function putGroups(ir: PolicyTableIR, scope: RenderScope, map: (name: MapName) => MapEntries): SubjectGroups {
  const rows = new Rows(map("np_verdicts"));
  const groupOf = DIRECTIONS.map(() => new Int32Array(ir.kind.length));
  const localNamespaces = new Uint8Array(ir.namespaces.length);
  const hasGroups = DIRECTIONS.map(() => false);
  const groups = map("np_groups");
  const cells = map("np_cells");
  const locals = map("np_locals");
  for (const d of DIRECTIONS) {
    const view = renderDirection(ir, d, scope.subjects);
    const direction = `{"direction":"${dirName(d)}",`;
    const rowId = view.rows.map((segments) => rows.global(segments));
    const localRowId = view.localRows.map((allowed) => rows.local(allowed));
    hasGroups[d] = view.groups.length > 0;
    for (const g of view.groups) {
      for (const m of g.members) groupOf[d]![m] = g.id;
      if (g.localBlock >= 0) localNamespaces[g.namespaceIndex] = 1;
      const defaultRow = rowId[view.blocks[g.block]!.defaultRow]!;
      groups.key().le32(d).sp().le32(g.id);
      groups
        .value()
        .le32(g.block)
        .sp()
        .le32(defaultRow)
        .sp()
        .le32(g.localBlock < 0 ? NO_LOCAL : g.localBlock);
      const json = groups.data().str(direction).str('"group":').dec(g.id).str(',"block":').dec(g.block);
      decOrNull(
        json.str(',"defaultRow":').dec(defaultRow).str(',"localBlock":'),
        g.localBlock < 0 ? null : g.localBlock,
      ).str("}");
    }
    view.blocks.forEach((b, i) => {
      for (const c of b.cells)
        putBlockEntry(cells, d, direction, "block", i, "peerClass", c.peerClass, rowId[c.row]!);
    });
    view.localBlocks.forEach((b, i) => {
      for (const e of b.entries)
        putBlockEntry(locals, d, direction, "localBlock", i, "localClass", e.localClass, localRowId[e.row]!);
    });
  }
  return { groupOf, localNamespaces, hasGroups };
}

/** One (direction, block, class) → row entry of np_cells or np_locals: its bytes and its JSON. */
function putBlockEntry(
  entries: MapEntries,
  d: number,
  direction: string,
  blockField: string,
  block: number,
  classField: string,
  cls: number,
  row: number,
): void {
  entries.key().le32(d).sp().le32(block).sp().le32(cls);
  entries.value().le32(row);
  const json = entries.data().str(direction).str(`"${blockField}":`).dec(block);
  json.str(`,"${classField}":`).dec(cls).str(',"row":').dec(row).str("}");
}

/** Pods: the subjects, and the pods of namespaces with local rows (peers whose local class counts). */
function putPods(
  ir: PolicyTableIR,
  scope: RenderScope,
  { groupOf, localNamespaces }: SubjectGroups,
  map: (name: MapName) => MapEntries,
): void {
  const subjects = new Uint8Array(ir.kind.length);
  for (const p of scope.subjects) subjects[p.index] = 1;
  const pods = map("np_pods");
  // Only an address several pods hold can come again: the first pod's (as the render view).
  const seen = new Set<string>();
  const shared = sharedAddresses(ir);
  const sharing = podsSharingAddresses(ir);
  for (let i = 0; i < scope.pods.length; i++) {
    const pod = scope.pods[i]!;
    const p = pod.index;
    const subject = subjects[p] === 1;
    const local = localNamespaces[pod.namespaceIndex] === 1;
    if (!subject && !local) continue;
    const egressGroup = subject ? groupOf[EGRESS]![p]! : 0;
    const ingressGroup = subject ? groupOf[INGRESS]![p]! : 0;
    const node = pod.nodeIndex + 1;
    const ns = pod.namespaceIndex;
    for (let f = 0; f < 2; f++) {
      const family: Family = f === 0 ? 4 : 6;
      const addresses = f === 0 ? pod.v4 : pod.v6;
      for (let a = 0; a < addresses.length; a++) {
        const address = addresses[a]!;
        // A same-namespace local class counts where the pod's namespace has local rows and the
        // pod is the address's first holder (endpoint order; the render view's owner of a shared
        // address). Another holder put here is of another namespace: none.
        let first = local;
        if (sharing[p] === 1 && shared.has(address)) {
          if (seen.has(address)) continue;
          seen.add(address);
          first &&= shared.get(address)![0] === pod.name;
        }
        const value = parseIP(address)!.value;
        const egressLocal = first ? localOf(ir, EGRESS, p) : NO_LOCAL;
        const ingressLocal = first ? localOf(ir, INGRESS, p) : NO_LOCAL;
        const key = pods.key();
        if (family === 4) addressBytes(key.str("04 00 00 00 "), value, 4).str(PAD12);
        else addressBytes(key.str("06 00 00 00 "), value, 16);
        pods
          .value()
          .le32(p)
          .sp()
          .le32(ns)
          .sp()
          .le32(node)
          .sp()
          .le32(egressGroup)
          .sp()
          .le32(ingressGroup)
          .sp()
          .le32(egressLocal)
          .sp()
          .le32(ingressLocal);
        const json = pods.data().str('{"address":"').str(address).str('","pod":').json(pod.name);
        json.str(',"id":').dec(p).str(',"namespaceId":').dec(ns).str(',"nodeId":').dec(node);
        json.str(',"egressGroup":').dec(egressGroup).str(',"ingressGroup":').dec(ingressGroup);
        decOrNull(json.str(',"egressLocal":'), egressLocal === NO_LOCAL ? null : egressLocal);
        decOrNull(json.str(',"ingressLocal":'), ingressLocal === NO_LOCAL ? null : ingressLocal).str("}");
      }
    }
  }
}

/** Node addresses of the subjects' nodes (the own-node rule). */
function putNodes(ir: PolicyTableIR, scope: RenderScope, map: (name: MapName) => MapEntries): void {
  const nodeIndex = new Map(ir.nodes.map((n, i) => [n, i]));
  const subjectNodes = new Set(scope.subjects.flatMap((p) => (p.node === undefined ? [] : [p.node])));
  for (const f of FAMILIES) {
    const byNode = nodeIntervals(ir, f);
    const entries = map(f === 4 ? "np_node4" : "np_node6");
    for (const name of [...byNode.keys()].sort()) {
      if (!subjectNodes.has(name)) continue;
      const id = nodeIndex.get(name)! + 1;
      for (const i of byNode.get(name)!)
        forEachPrefix(i, f, (value, prefix, address) => {
          addressBytes(entries.key().le32(prefix).sp(), value, f === 4 ? 4 : 16);
          entries.value().le32(id);
          const json = entries.data().str('{"cidr":"').str(address).str("/").dec(prefix);
          json.str('","node":').json(name).str(',"id":').dec(id).str("}");
        });
    }
  }
}

/** A pod's local class of `direction`, or NO_LOCAL. */
function localOf(ir: PolicyTableIR, direction: number, pod: number): number {
  const c = podLocalClass(ir, direction, pod);
  return c < 0 ? NO_LOCAL : c;
}

const PAD12 = " 00 00 00 00 00 00 00 00 00 00 00 00";
