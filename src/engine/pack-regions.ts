import { KIND_POD, type PolicyTableIR, VARIANTS } from "../ir/policy-table-ir.ts";

// What both query views (packed: pack-table.ts, hashed: pack-hashed.ts) put in their 16-int
// records the same way: the regions of records per variant and the head word.

/** Endpoints a table can hold. */
export const MAX_ENDPOINTS: number = 1 << 23;
/** Node keys of the head word (its top 24 bits, kept non-negative) for a pod / an address without a node. */
const NO_POD_NODE = (1 << 22) - 1;
const NO_ADDRESS_NODE = (1 << 22) - 2;

/** The head word keeps a node key in bits 8-31: refuse a table whose keys would not fit. */
export function checkRecordLimits(ir: PolicyTableIR): void {
  const E = ir.kind.length;
  if (E >= MAX_ENDPOINTS || ir.nodes.length >= NO_ADDRESS_NODE)
    throw new RangeError(
      `${E} endpoints, ${ir.nodes.length} nodes: the query's records hold at most ${MAX_ENDPOINTS - 1} and ${NO_ADDRESS_NODE - 1}`,
    );
}

/**
 * Region 0 holds each endpoint's primary variant (the query's fast path). Variant v needs a
 * region of its own only when some endpoint has an address of v that is not its primary.
 * `variantBase[v]`: the int offset of v's region (0: region 0 serves it); `regionVariant[i]` the
 * variant of region i (−1 for region 0).
 */
export function recordRegions(ir: PolicyTableIR): { variantBase: Int32Array; regionVariant: number[] } {
  const E = ir.kind.length;
  const stride = E * 16;
  const variantBase = new Int32Array(VARIANTS);
  const regionVariant = [-1];
  for (let v = 0; v < VARIANTS; v++) {
    let own = false;
    for (let a = 0; a < E && !own; a++)
      own = (ir.variantMask[a]! & (1 << v)) !== 0 && ir.primaryVariant[a] !== v;
    if (!own) continue;
    variantBase[v] = regionVariant.length * stride;
    regionVariant.push(v);
  }
  return { variantBase, regionVariant };
}

/**
 * Endpoint `e`'s head word: bit 0 selectable pod; bits 1-2 primary variant; bits 3-5 variant
 * mask; bit 6 `split` (its namespace's same-namespace pairs take the split path); bit 7 no
 * address of its primary variant; bit 8 the self rule applies (a Pod; a workload's template
 * stands for several pods, and its pair with itself is replica to replica); bits 9+ node key.
 */
export function headWord(ir: PolicyTableIR, e: number, split: boolean): number {
  const pod = ir.kind[e] === KIND_POD;
  // Node key: the endpoint's node; a pod without one NO_POD_NODE, an address of no node
  // NO_ADDRESS_NODE — never equal, so the own-node rule cannot match them.
  const known = ir.node[e]!;
  const node = known >= 0 ? known : pod ? NO_POD_NODE : NO_ADDRESS_NODE;
  // Bit 7: no address of its primary variant (a hostNetwork pod whose node has no address).
  const noPrimary = (ir.variantMask[e]! & (1 << ir.primaryVariant[e]!)) === 0;
  return (
    (pod ? 1 : 0) |
    (ir.primaryVariant[e]! << 1) |
    (ir.variantMask[e]! << 3) |
    (split ? 64 : 0) |
    (noPrimary ? 128 : 0) |
    (pod && ir.endpointKinds[e] === "Pod" ? 256 : 0) |
    (node << 9)
  );
}

/**
 * Endpoint `e`'s record in every region of `records`: the head and namespace words written here,
 * the rest by `fill(r, v)` (`r` the record's offset, `v` the region's variant). `dirs` say per
 * direction which namespaces are split (the head's bit 6).
 */
export function writeRegions(
  ir: PolicyTableIR,
  e: number,
  dirs: readonly { readonly nsSplit: Uint8Array }[],
  regionVariant: readonly number[],
  records: Int32Array,
  fill: (r: number, v: number) => void,
): void {
  const E = ir.kind.length;
  const ns = ir.namespace[e]!;
  const split = ir.kind[e] === KIND_POD && (dirs[0]!.nsSplit[ns] === 1 || dirs[1]!.nsSplit[ns] === 1);
  const head = headWord(ir, e, split);
  for (let region = 0; region < regionVariant.length; region++) {
    const r = region * E * 16 + e * 16;
    records[r] = head;
    records[r + 1] = ns + 1;
    fill(r, region === 0 ? ir.primaryVariant[e]! : regionVariant[region]!);
  }
}
