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
  type RenderDirection,
  type RenderGroup,
  type RenderPod,
  renderDirection,
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
  // Both forms of the view: per group (renderGroups) and shared (renderDirection); they must agree.
  const groups = [EGRESS, INGRESS].map((d) => {
    const m = new Map<number, RenderGroup>();
    for (const g of renderGroups(ir, d, pods)) for (const member of g.members) m.set(member, g);
    return m;
  });
  const shared = [EGRESS, INGRESS].map((d) => renderDirection(ir, d, pods));
  const sharedGroup = [EGRESS, INGRESS].map((d) => {
    const m = new Map<number, RenderDirection["groups"][number]>();
    for (const g of shared[d]!.groups) for (const member of g.members) m.set(member, g);
    return m;
  });
  /** The shared form's verdict for one direction (undefined: the subject is not in a group). */
  const sharedVerdict = (
    d: number,
    pod: RenderPod,
    cls: number,
    local: AddressInterval | undefined,
    protocol: Protocol,
    port: number,
  ): boolean | undefined => {
    const g = sharedGroup[d]!.get(pod.index);
    if (g === undefined) return undefined;
    const view = shared[d]!;
    const block = view.blocks[g.block]!;
    const row = block.cells.find((c) => c.peerClass === cls)?.row ?? block.defaultRow;
    const seg = view.rows[row]!.find((s) => inSegment(s, protocol, port))!;
    if (seg.verdict !== "local") return seg.verdict === "allow";
    if (g.localBlock < 0 || local === undefined) return false;
    const entry = view.localBlocks[g.localBlock]!.entries.find((e) => e.localClass === local.cls);
    return entry !== undefined && view.localRows[entry.row]!.some((s) => inSegment(s, protocol, port));
  };
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
    const localPeer = find(localIntervals(ir, d, g.namespace, familyOf(peer)), value(peer));
    const viaShared = sharedVerdict(d, pod, cls, localPeer, protocol, port);
    const segments = g.cells.find((c) => c.peerClass === cls)?.segments ?? g.defaultSegments;
    const seg = segments.find((s) => inSegment(s, protocol, port))!;
    const entry = localPeer === undefined ? undefined : g.local.find((l) => l.localClass === localPeer.cls);
    const got =
      seg.verdict === "local"
        ? (entry?.allowed.some((s) => inSegment(s, protocol, port)) ?? false)
        : seg.verdict === "allow";
    if (viaShared !== got)
      throw new Error(`render view: the shared form says ${viaShared}, the per-group form ${got}`);
    return got;
  };
  return {
    allows(src, dst, protocol, port) {
      const s = byAddress.get(src);
      if (ir.profile.allowSelf && s !== undefined && s === byAddress.get(dst)) return true;
      return direction(EGRESS, src, dst, protocol, port) && direction(INGRESS, dst, src, protocol, port);
    },
  };
}
