import type { AddressClasses, AddressRange } from "./address-classes.ts";
import type { CellBudget } from "./cell-budget.ts";
import type { EndpointLayout } from "./layout-endpoints.ts";
import type { NodeTable } from "./nodes.ts";
import type { PodUniverse } from "./pod-universe.ts";
import type { PortClasses } from "./port-classes.ts";
import type { RowStore } from "./row-store.ts";
import type { Subjects } from "./subjects.ts";

/** Inputs shared by both directions. */
export interface TableContext {
  readonly ipBlockMatchesPodIPs: boolean;
  readonly layout: EndpointLayout;
  readonly addresses: AddressClasses;
  /** Where address-less pods live (`compile(c, { podCIDRs })`); empty: not known (docs/decisions.md #46). */
  readonly podRanges: readonly AddressRange[];
  readonly ports: PortClasses;
  readonly universe: PodUniverse;
  readonly subjects: Subjects;
  readonly rows: RowStore;
  readonly nodes: NodeTable;
  readonly budget: CellBudget;
}
