import { InputError } from "../model/input-error.ts";
import type { Cluster, Family } from "../model/types.ts";
import { type CIDR, parseCIDR } from "../net/cidr.ts";
import type { IPAddress } from "../net/ip.ts";

/**
 * Address-less pods, plainly (docs/decisions.md #46-#48): such a pod has *some* address of its
 * pod range (given, or anywhere in either family); a flow between two of them is decided only if
 * every placement of the two in one family gives the same answer. Placements that no CIDR of the
 * cluster tells apart give the same answer, so one address per piece of the range cut at every
 * CIDR boundary (ipBlock `cidr` and `except`, `networks`) stands for the whole piece.
 */

const WHOLE: readonly CIDR[] = [parseCIDR("0.0.0.0/0")!, parseCIDR("::/0")!];

/** The pod ranges; a text that is not a CIDR is an `InputError` (`invalid-pod-cidr`). */
export function podRanges(texts: readonly string[] | undefined): readonly CIDR[] {
  if (texts === undefined || texts.length === 0) return WHOLE;
  return texts.map((t, i) => {
    const c = parseCIDR(t);
    if (c === undefined)
      throw new InputError([
        {
          code: "invalid-pod-cidr",
          path: `podCIDRs[${i}]`,
          message: `pod CIDR ${JSON.stringify(t)} is not a CIDR`,
        },
      ]);
    return c;
  });
}

/** Every CIDR a policy of the cluster writes (ipBlocks with their excepts, `networks`). */
function clusterCIDRs(cluster: Cluster): CIDR[] {
  const texts: string[] = [];
  for (const np of cluster.networkPolicies)
    for (const rule of [...np.spec.ingress.map((r) => r.from), ...np.spec.egress.map((r) => r.to)])
      for (const peer of rule ?? [])
        if (peer.ipBlock !== undefined) texts.push(peer.ipBlock.cidr, ...(peer.ipBlock.except ?? []));
  for (const cp of cluster.clusterNetworkPolicies)
    for (const rule of [...cp.ingress, ...cp.egress])
      for (const peer of rule.peers) texts.push(...(peer.networks ?? []));
  return texts.map((t) => parseCIDR(t)).filter((c): c is CIDR => c !== undefined);
}

/** Per family of the ranges: one address of each piece of the ranges cut at every CIDR boundary. */
export function placements(cluster: Cluster, ranges: readonly CIDR[]): Map<Family, IPAddress[]> {
  const cuts = clusterCIDRs(cluster).flatMap((c) => [
    { family: c.family, value: c.first },
    { family: c.family, value: c.last + 1n },
  ]);
  const out = new Map<Family, IPAddress[]>();
  for (const r of ranges) {
    const values = new Set<bigint>([r.first]);
    for (const cut of cuts)
      if (cut.family === r.family && cut.value > r.first && cut.value <= r.last) values.add(cut.value);
    const list = out.get(r.family) ?? [];
    for (const value of values) list.push({ family: r.family, value });
    out.set(r.family, list);
  }
  return out;
}
