// An interpreter of the render view (src/ir/read-render.ts), written the way a datapath reads it:
// subject address → group, peer address → class (interval lookup), (class, protocol, port) →
// segment verdict, `local` → the namespace's local classes. The tests hold it equal to decide(),
// so that every backend that renders the view faithfully inherits the table's answers.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../src/ir/policy-table-ir.ts";
import {
  type AddressInterval,
  type Family,
  localIntervals,
  nodeIntervals,
  type PortSegment,
  peerIntervals,
  type RenderGroup,
  type RenderPod,
  renderGroups,
  renderPods,
} from "../../src/ir/read-render.ts";
import type { Protocol } from "../../src/model/types.ts";
import { parseIP } from "../../src/net/ip.ts";

const value = (a: string): bigint => parseIP(a)!.value;
const familyOf = (a: string): Family => (a.includes(":") ? 6 : 4);
const find = (list: readonly AddressInterval[], v: bigint): AddressInterval | undefined =>
  list.find((i) => i.firstValue <= v && v <= i.lastValue);
const inSegment = (s: PortSegment, protocol: Protocol, port: number): boolean =>
  s.protocol === protocol && s.first <= port && port <= s.last;

export interface ViewOracle {
  /** Whether the view lets `src` (address) reach `dst` (address) on the port. */
  allows(src: string, dst: string, protocol: Protocol, port: number): boolean;
}

export function viewOracle(ir: PolicyTableIR): ViewOracle {
  const pods = renderPods(ir);
  const byAddress = new Map<string, RenderPod>();
  for (const p of pods) for (const a of [...p.v4, ...p.v6]) if (!byAddress.has(a)) byAddress.set(a, p);
  const groups = [EGRESS, INGRESS].map((d) => {
    const m = new Map<number, RenderGroup>();
    for (const g of renderGroups(ir, d, pods)) for (const member of g.members) m.set(member, g);
    return m;
  });
  const peers = (d: number, f: Family): AddressInterval[] => peerIntervals(ir, d, f);
  const nodes = new Map([4, 6].map((f) => [f, nodeIntervals(ir, f as Family)]));
  const direction = (d: number, subject: string, peer: string, protocol: Protocol, port: number): boolean => {
    const pod = byAddress.get(subject);
    const g = pod === undefined ? undefined : groups[d]!.get(pod.index);
    if (pod === undefined || g === undefined) return true;
    if (d === INGRESS && ir.profile.allowFromOwnNode && pod.node !== undefined) {
      const own = nodes.get(familyOf(peer))!.get(pod.node) ?? [];
      if (find(own, value(peer)) !== undefined) return true;
    }
    const cls = find(peers(d, familyOf(peer)), value(peer))!.cls;
    const segments = g.cells.find((c) => c.peerClass === cls)?.segments ?? g.defaultSegments;
    const seg = segments.find((s) => inSegment(s, protocol, port))!;
    if (seg.verdict !== "local") return seg.verdict === "allow";
    const local = find(localIntervals(ir, d, g.namespace, familyOf(peer)), value(peer));
    const entry = local === undefined ? undefined : g.local.find((l) => l.localClass === local.cls);
    return entry?.allowed.some((s) => inSegment(s, protocol, port)) ?? false;
  };
  return {
    allows(src, dst, protocol, port) {
      const s = byAddress.get(src);
      if (ir.profile.allowSelf && s !== undefined && s === byAddress.get(dst)) return true;
      return direction(EGRESS, src, dst, protocol, port) && direction(INGRESS, dst, src, protocol, port);
    },
  };
}
