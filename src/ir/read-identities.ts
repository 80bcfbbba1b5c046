import { KIND_POD, type PolicyTableIR, VARIANTS } from "./policy-table-ir.ts";

/**
 * Endpoints every query answers alike (docs/reports.md, "How a list is computed"): two endpoints
 * share an identity when they agree on every per-endpoint field the verdict rules read (kind,
 * namespace, address variants, and per direction the subject's group, the peer's global classes
 * of each variant, join classes and local class) — and on their node, when the own-node rule can
 * tell nodes apart. For endpoints `a ≠ b` of identities A and B (and any `c ≠ d` of the same
 * two), `decide(a, b)` = `decide(c, d)` at every port: the pair's answer is its identities'.
 *
 * Returns, for the endpoints given, `identity[i]` (dense ids in order of first appearance) and
 * per identity its first two members (`second` −1 when it has one).
 */
export function endpointIdentities(
  ir: PolicyTableIR,
  endpoints: ArrayLike<number>,
): { identity: Int32Array; first: number[]; second: number[] } {
  const E = ir.kind.length;
  const P = ir.pods.length;
  let nodeMatters = false;
  if (ir.profile.allowFromOwnNode)
    for (let e = 0; e < E && !nodeMatters; e++) nodeMatters = ir.kind[e] !== KIND_POD && ir.node[e]! >= 0;
  const fields = (e: number): number[] => {
    const out = [ir.kind[e]!, ir.namespace[e]!, ir.primaryVariant[e]!, ir.variantMask[e]!];
    out.push(nodeMatters ? ir.node[e]! : -1);
    for (const dir of [ir.egress, ir.ingress]) {
      out.push(dir.group[e]!, dir.localClass[e]!);
      for (let v = 0; v < VARIANTS; v++) out.push(dir.globalClass[v * E + e]!);
      for (let f = 0; f < 2; f++) out.push(e < P ? dir.joinClass[f * P + e]! : -1);
    }
    return out;
  };
  const ids = new Map<string, number>();
  const identity = new Int32Array(endpoints.length);
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < endpoints.length; i++) {
    const e = endpoints[i]!;
    const key = fields(e).join(",");
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
}
