// A namespace's pods moved to other global classes (incremental updates,
// src/incremental/namespace-relabel.ts): the packed view keeps its cells, gets the namespace
// folded anew — its blocks appended, the old ones left unread — and its pods' records rewritten;
// the other namespaces' records and blocks read nothing that moved. The answers are those of the
// view packed from the new IR. Undefined (pack anew) for the hashed view, or once the blocks
// appended pass half the cells.
import { type PolicyTableIR, VARIANTS } from "../ir/policy-table-ir.ts";
import {
  Cells,
  denseBase,
  FOLDED,
  groupsByNamespace,
  NamespaceFolder,
  type PackedDirection,
  podsByNamespace,
  SPLIT,
} from "./pack-direction.ts";
import { recordRegions } from "./pack-regions.ts";
import { LAYOUT_PACKED, type PackedTable, writeRecord } from "./pack-table.ts";

/** `packed` for `ir`, whose namespace `ns` has pods in other global classes than the IR `packed` was made from. */
export function refoldNamespace(packed: PackedTable, ir: PolicyTableIR, ns: number): PackedTable | undefined {
  const fold = packed.fold;
  if (packed.layout !== LAYOUT_PACKED || fold === undefined) return undefined;
  if (fold.refolded > packed.cells.length / 2) return undefined;
  const { words } = packed;
  const E = ir.kind.length;
  const out = new Cells();
  out.reserve(packed.cells.length);
  out.data.set(packed.cells);
  const byNs = podsByNamespace(ir);
  const nsFolded = fold.nsFolded.map((f) => f.slice());
  const nsSplit = fold.nsSplit.map((f) => f.slice());
  const directions: PackedDirection[] = [ir.egress, ir.ingress].map((dir, di) => {
    const at = fold.at[di]!;
    const globalBase = denseBase(dir);
    const snClass = new Int32Array(VARIANTS * E);
    const snRow = new Int32Array(VARIANTS * dir.groupRules.length).fill(-1);
    const folder = new NamespaceFolder(ir, dir, at, globalBase, words, out, fold.budget);
    const folded = folder.fold(byNs, groupsByNamespace(ir, dir), ns, snClass, snRow);
    nsFolded[di]![ns] = folded === FOLDED ? 1 : 0;
    nsSplit[di]![ns] = folded === SPLIT ? 1 : 0;
    return { ...at, globalBase, snClass, snRow, nsFolded: nsFolded[di]!, nsSplit: nsSplit[di]! };
  });
  const records = packed.records.slice();
  const { regionVariant } = recordRegions(ir);
  for (let i = byNs.start[ns]!; i < byNs.start[ns + 1]!; i++)
    writeRecord(ir, byNs.order[i]!, directions, regionVariant, records, words, fold.allowAt);
  const count = (flags: readonly Uint8Array[]): number =>
    flags.reduce((n, f) => n + f.reduce((k, x) => k + x, 0), 0);
  return {
    ...packed,
    records,
    cells: out.data.slice(0, out.length),
    folded: count(nsFolded),
    split: count(nsSplit),
    fold: { ...fold, nsFolded, nsSplit, refolded: fold.refolded + out.length - packed.cells.length },
  };
}
