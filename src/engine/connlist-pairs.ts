// What a pair of list endpoints may do, as a port-class mask: the union over their members'
// identity pairs, each read once through the IR's mask reader (ir/read-masks.ts).
import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import { EGRESS, INGRESS } from "../ir/policy-table-ir.ts";
import { readsNode } from "../ir/read-identities.ts";
import {
  crossRows,
  directionMaskInto,
  FREE_ROW,
  flowVariant,
  type PortMasks,
  portMasks,
} from "../ir/read-masks.ts";
import { rowCount } from "../ir/read-table.ts";
import type { ListMembers } from "./connlist-endpoints.ts";

/** Cross-namespace identity pairs memoised up to this many (128 MiB); beyond, each is read again. */
const CROSS_MEMO = 1 << 25;

/** Port-class masks interned: equal masks get one id (0: nothing allowed). */
function maskInterner(W: number): { id: (mask: Int32Array) => number; masks: Int32Array[] } {
  const masks: Int32Array[] = [new Int32Array(W)];
  const byWord = new Map<number, number>([[0, 0]]);
  const byText = new Map<string, number>([[new Int32Array(W).join(","), 0]]);
  const id = (mask: Int32Array): number => {
    const key = W === 1 ? mask[0]! : mask.join(",");
    const known = W === 1 ? byWord.get(key as number) : byText.get(key as string);
    if (known !== undefined) return known;
    masks.push(mask.slice());
    if (W === 1) byWord.set(key as number, masks.length - 1);
    else byText.set(key as string, masks.length - 1);
    return masks.length - 1;
  };
  return { id, masks };
}

/** What both readers share: the port masks, the interned masks and a scratch mask. */
interface Reading {
  readonly m: PortMasks;
  readonly W: number;
  readonly scratch: Int32Array;
  readonly interned: ReturnType<typeof maskInterner>;
}

/**
 * The cross-namespace reader: `(a, b)` cross identities → mask id, through their first members'
 * two rows (crossRows), memoised by the row pair and by the identity pair (`memo`, mask id + 1,
 * 0: not read yet; undefined when the pairs would pass `CROSS_MEMO`).
 */
function crossReader(
  ir: PolicyTableIR,
  members: ListMembers,
  { m, W, scratch, interned }: Reading,
): { crossId: (a: number, b: number) => number; memo: Int32Array | undefined; X: number } {
  const X = members.cross.first.length;
  const memo = X * X <= CROSS_MEMO ? new Int32Array(X * X) : undefined;
  const R = rowCount(ir) + 2;
  const rows = new Int32Array(2);
  const byRows = R * R <= CROSS_MEMO ? new Int32Array(R * R) : undefined; // mask id + 1
  const maskOfRow = (row: number, at: number): number =>
    row === FREE_ROW ? -1 : row < 0 ? 0 : m.allow[row * W + at]!;
  const crossRead = (a: number, b: number): number => {
    const v = flowVariant(ir, a, b);
    if (v < 0) return 0;
    crossRows(ir, a, b, v, rows);
    const key = (rows[0]! + 2) * R + rows[1]! + 2;
    if (byRows !== undefined && byRows[key] !== 0) return byRows[key]! - 1;
    let any = 0;
    for (let w = 0; w < W; w++)
      any |= scratch[w] = maskOfRow(rows[0]!, w) & maskOfRow(rows[1]!, w) & m.all[w]!;
    const id = any === 0 ? 0 : interned.id(scratch);
    if (byRows !== undefined) byRows[key] = id + 1;
    return id;
  };
  const crossId = (a: number, b: number): number => {
    const key = a * X + b;
    if (memo !== undefined && memo[key] !== 0) return memo[key]! - 1;
    const id = crossRead(members.cross.first[a]!, members.cross.first[b]!);
    if (memo !== undefined) memo[key] = id + 1;
    return id;
  };
  return { crossId, memo, X };
}

/**
 * A reader `(s, d) → mask id` over the list endpoints' indices: the port classes some member of
 * `s` may open to some member of `d`, as an id of `masks` (0: none). Pairs that share a namespace
 * are read through their full identities; all others through their cross identities, memoised as
 * ids — a thousand namespaces of alike pods cost their identities' pairs once, and each endpoint
 * pair after that one array read (`row`, a source's whole row).
 */
export function pairMasks(
  ir: PolicyTableIR,
  members: ListMembers,
): {
  pair: (s: number, d: number) => number;
  row: (s: number, out: Int32Array) => void;
  masks: readonly Int32Array[];
} {
  const m = portMasks(ir);
  const W = m.words;
  const eg = new Int32Array(W);
  const ing = new Int32Array(W);
  const union = new Int32Array(W);
  const reading: Reading = { m, W, scratch: new Int32Array(W), interned: maskInterner(W) };
  const { scratch, interned } = reading;
  /** The mask of representatives `a → b` into `scratch`; false when nothing is allowed. */
  const read = (a: number, b: number, same: boolean): boolean => {
    const v = flowVariant(ir, a, b);
    if (v < 0) return false;
    directionMaskInto(ir, m, EGRESS, a, b, v, false, same, eg);
    directionMaskInto(ir, m, INGRESS, b, a, v, false, same, ing);
    let any = 0;
    for (let w = 0; w < W; w++) any |= scratch[w] = eg[w]! & ing[w]!;
    return any !== 0;
  };
  const or = (mask: Int32Array): void => {
    for (let w = 0; w < W; w++) union[w]! |= mask[w]!;
  };
  const { crossId, memo, X } = crossReader(ir, members, reading);
  const namespaceOf = members.endpoints.map((e) => (e.type === "workload" ? e.namespace : undefined));
  // Sources with a node's address among their members: read member by member (the own-node rule).
  const byMember = members.members.map((list) => list.some((e) => readsNode(ir, e)));
  const single = members.crossIds.map((ids) => (ids.length === 1 ? ids[0]! : -1));
  const pair = (s: number, d: number): number => {
    const same = namespaceOf[s] !== undefined && namespaceOf[s] === namespaceOf[d];
    if (!same && !byMember[s] && single[s]! >= 0 && single[d]! >= 0) return crossId(single[s]!, single[d]!);
    union.fill(0);
    if (byMember[s]) {
      for (const a of members.members[s]!)
        for (const b of members.members[d]!) if (a !== b && read(a, b, same)) or(scratch);
    } else if (same) {
      for (const a of members.fullIds[s]!)
        for (const b of members.fullIds[d]!)
          if (read(members.full.first[a]!, members.full.first[b]!, true)) or(scratch);
    } else
      for (const a of members.crossIds[s]!)
        for (const b of members.crossIds[d]!) or(interned.masks[crossId(a, b)]!);
    return interned.id(union);
  };
  // The common case in one loop: two endpoints of one cross identity each, in two namespaces.
  const namespaces = new Map<string, number>();
  const nsId = Int32Array.from(namespaceOf, (ns) => {
    if (ns === undefined) return -1;
    if (!namespaces.has(ns)) namespaces.set(ns, namespaces.size);
    return namespaces.get(ns)!;
  });
  const quick = Int32Array.from(single, (x, i) => (byMember[i] ? -1 : x));
  const row = (s: number, out: Int32Array): void => {
    const xs = quick[s]!;
    const ns = nsId[s]!;
    for (let d = 0; d < out.length; d++) {
      const xd = quick[d]!;
      if (xs < 0 || xd < 0 || (ns >= 0 && nsId[d] === ns) || memo === undefined) out[d] = pair(s, d);
      else out[d] = memo[xs * X + xd]! !== 0 ? memo[xs * X + xd]! - 1 : crossId(xs, xd);
    }
  };
  return { pair, row, masks: interned.masks };
}
