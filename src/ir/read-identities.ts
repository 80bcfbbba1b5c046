import { KIND_POD, type PolicyTableIR, VARIANTS } from "./policy-table-ir.ts";

/** Whether flows from endpoint `e` depend on the destination's node (it is a node's address, and the profile lets nodes reach their pods). */
export function readsNode(ir: PolicyTableIR, e: number): boolean {
  return ir.profile.allowFromOwnNode && ir.kind[e] !== KIND_POD && ir.node[e]! >= 0;
}

/** Identities of some endpoints: dense ids in order of first appearance, with each id's first two members. */
export interface Identities {
  readonly identity: Int32Array;
  readonly first: readonly number[];
  /** −1 when the identity has one member. */
  readonly second: readonly number[];
}

/**
 * Endpoints every query answers alike (docs/reports.md, "How a list is computed"), two ways:
 *
 * * `full` — they agree on every per-endpoint field the verdict rules read: kind, namespace,
 *   address variants, per direction the subject's group, the peer's global classes of each variant,
 *   join classes and local class. For endpoints `a ≠ b` of identities A and B (and any `c ≠ d` of
 *   the same two), `decide(a, b)` = `decide(c, d)` at every port — unless the source is one of a
 *   node's addresses (`readsNode`): the own-node rule then tells the destinations' nodes apart,
 *   and such pairs must be read endpoint by endpoint.
 * * `cross` — the same for pairs that share no namespace, where the local cells are never read:
 *   namespace, local class and group drop out, the group's global block (shared by groups of
 *   every namespace with the same global content) stays. Far fewer: a thousand namespaces of
 *   alike pods are one cross identity, not a thousand.
 */
export function endpointIdentities(
  ir: PolicyTableIR,
  endpoints: ArrayLike<number>,
): { full: Identities; cross: Identities } {
  const E = ir.kind.length;
  const P = ir.pods.length;
  const fields = (e: number, full: boolean): string => {
    const out = [ir.kind[e]!, ir.primaryVariant[e]!, ir.variantMask[e]!];
    if (full) out.push(ir.namespace[e]!);
    for (const dir of [ir.egress, ir.ingress]) {
      const g = dir.group[e]!;
      if (full) out.push(g, dir.localClass[e]!);
      else out.push(dir.globalBase[g]!);
      for (let v = 0; v < VARIANTS; v++) out.push(dir.globalClass[v * E + e]!);
      for (let f = 0; f < 2; f++) out.push(e < P ? dir.joinClass[f * P + e]! : -1);
    }
    return out.join(",");
  };
  const number = (full: boolean): Identities => {
    const ids = new Map<string, number>();
    const identity = new Int32Array(endpoints.length);
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < endpoints.length; i++) {
      const e = endpoints[i]!;
      const key = fields(e, full);
      let id = ids.get(key);
      if (id === undefined) {
        id = first.length;
        ids.set(key, id);
        first.push(e);
        second.push(-1);
      } else if (second[id] === -1) second[id] = e;
      identity[i] = id;
    }
    return { identity, first, second };
  };
  return { full: number(true), cross: number(false) };
}
