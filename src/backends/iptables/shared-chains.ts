// Groups whose chains would hold the same rules share one: the same peer-class cells with the same
// port segments, the same default, and — where same-namespace rules take part — the same namespace
// and local entries (a local chain names its namespace's sets). The chain and its dispatch set are
// named after the first such group (lowest id); the set holds every member of them all. On
// core-10k 6,047 groups need 2,763 chains.
import type { PortSegment, RenderGroup } from "../../ir/read-render.ts";

export interface SharedChain {
  /** The first group: the chain's rules and name are its own. */
  readonly first: RenderGroup;
  /** Every group the chain serves, ascending id (`first` included). */
  readonly groups: readonly RenderGroup[];
}

/** `groups` (ascending id) by the chain they need, in the order of each chain's first group. */
export function sharedChains(groups: readonly RenderGroup[]): SharedChain[] {
  // Segment lists are compared by identity: the render view gives rows that render alike one
  // list. Local port lists are one per row, and rows can differ where the ports do not: compared
  // by content, written out once per list.
  const ids = new Map<object, number>();
  const id = (x: object): number => {
    let i = ids.get(x);
    if (i === undefined) ids.set(x, (i = ids.size));
    return i;
  };
  const ports = new Map<string, number>();
  const allowedIds = new Map<object, number>();
  const allowedId = (x: readonly PortSegment[]): number => {
    let i = allowedIds.get(x);
    if (i === undefined) {
      const text = JSON.stringify(x);
      i = ports.get(text);
      if (i === undefined) ports.set(text, (i = ports.size));
      allowedIds.set(x, i);
    }
    return i;
  };
  const byKey = new Map<string, { first: RenderGroup; groups: RenderGroup[] }>();
  const out: { first: RenderGroup; groups: RenderGroup[] }[] = [];
  for (const g of groups) {
    let key = `${id(g.defaultSegments)}|`;
    for (const c of g.cells) key += `${c.peerClass}:${id(c.segments)},`;
    if (g.local.length > 0) {
      key += `|${g.namespaceIndex}|`;
      for (const l of g.local) key += `${l.localClass}:${allowedId(l.allowed)},`;
    }
    let chain = byKey.get(key);
    if (chain === undefined) {
      byKey.set(key, (chain = { first: g, groups: [] }));
      out.push(chain);
    }
    chain.groups.push(g);
  }
  return out;
}
