// Whether one pod would sit in the global classes another sits in, their labels aside (the label
// part is the caller's: namespace-relabel.ts, relabel-in-place.ts). A global class is the set of
// global peers matching an endpoint and, egress, its named-port vector, per address variant: so the
// other pod must be selectable, have the same address variants and the same named ports of the
// names rules use, and — where ipBlocks match pod IPs — addresses of the same ipBlock part.
import { type IRDirection, KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Pod } from "../model/types.ts";
import { addressClassOf, samePorts, usedPorts } from "./find-twin.ts";

/** `(p, q)`: whether pod `q` of `pods` fits pod `p`'s global classes but for labels (`pods` is the IR's list). */
export function globalClassFit(
  ir: PolicyTableIR,
  pods: readonly Pod[],
  portNames: ReadonlySet<string>,
): (p: number, q: number) => boolean {
  const E = ir.kind.length;
  const P = ir.pods.length;
  // Where ipBlocks match pod IPs, a pod's class has its addresses' ipBlock part: that of the
  // address class holding each, the part the class's own endpoint has (label part empty).
  const ipPart = (dir: IRDirection, e: number): number[] => {
    if (!ir.profile.ipBlockMatchesPodIPs) return [];
    return pods[e]!.podIPs.map((text) => {
      const j = addressClassOf(ir, text);
      return j < 0 ? -1 : dir.globalClass[ir.primaryVariant[P + j]! * E + P + j]!;
    });
  };
  const sameIpPart = (p: number, q: number): boolean =>
    [ir.egress, ir.ingress].every((dir) => {
      const a = ipPart(dir, p);
      const b = ipPart(dir, q);
      return a.length === b.length && a.every((x, i) => x >= 0 && x === b[i]);
    });
  return (p, q) =>
    ir.kind[q] === KIND_POD &&
    ir.variantMask[q] === ir.variantMask[p] &&
    samePortsOf(pods, portNames, p, q) &&
    sameIpPart(p, q);
}

/** Whether pods `p` and `q` of `pods` declare the same named ports of the names rules use. */
const samePortsOf = (pods: readonly Pod[], portNames: ReadonlySet<string>, p: number, q: number): boolean =>
  samePorts(usedPorts(pods[q]!.ports, portNames), usedPorts(pods[p]!.ports, portNames));
