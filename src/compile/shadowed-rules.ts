import { type Cluster, type Diagnostic, PROTOCOLS, type Protocol } from "../model/types.ts";
import type { CollectedRule, GlobalPeer, RulePort } from "./collect-rules.ts";
import { actionName, clusterObject, type DirectionFacts, ruleLabel } from "./diagnostic-facts.ts";

// `shadowed-rule`: a rule an earlier rule of the same policy and direction always matches first.

/** Per protocol, the rule's numeric ranges merged; named ports as `protocol/name`. `undefined` ports: all. */
function portCover(ports: readonly RulePort[]) {
  const ranges = new Map<Protocol, [number, number][]>();
  const names = new Set<string>();
  for (const p of ports) {
    if ("name" in p) names.add(`${p.protocol}/${p.name}`);
    else {
      let list = ranges.get(p.protocol);
      if (list === undefined) ranges.set(p.protocol, (list = []));
      list.push([p.lo, p.hi]);
    }
  }
  for (const list of ranges.values()) {
    list.sort((a, b) => a[0] - b[0]);
    let n = 0;
    for (const r of list) {
      const last = list[n - 1];
      if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
      else list[n++] = r;
    }
    list.length = n;
  }
  const covers = (protocol: Protocol, lo: number, hi: number): boolean =>
    ranges.get(protocol)?.some((r) => r[0] <= lo && hi <= r[1]) ?? false;
  return { covers, names };
}

/** Whether every port `later` matches is one `earlier` matches (numeric ranges per protocol; names by name). */
function portsCovered(earlier: CollectedRule, later: CollectedRule): boolean {
  if (earlier.ports === undefined) return true;
  const { covers, names } = portCover(earlier.ports);
  if (later.ports === undefined) return PROTOCOLS.every((p) => covers(p, 0, 65535));
  return later.ports.every((p) =>
    "name" in p
      ? names.has(`${p.protocol}/${p.name}`) || covers(p.protocol, 1, 65535)
      : covers(p.protocol, p.lo, p.hi),
  );
}

/** Whether every peer `later` matches is one `earlier` matches: same global peer ids, CIDRs inside CIDRs, same domain names. */
function peersCovered(peers: readonly GlobalPeer[], earlier: CollectedRule, later: CollectedRule): boolean {
  if (earlier.allPeers) return true;
  if (later.allPeers) return false;
  const inside = (g: number): boolean => {
    if (earlier.globalPeers.includes(g)) return true;
    const peer = peers[g]!;
    if (peer.kind !== "ipBlock" || peer.except.length > 0) return false;
    return earlier.globalPeers.some((h) => {
      const outer = peers[h]!;
      return (
        outer.kind === "ipBlock" &&
        outer.except.length === 0 &&
        outer.cidr.family === peer.cidr.family &&
        outer.cidr.first <= peer.cidr.first &&
        peer.cidr.last <= outer.cidr.last
      );
    });
  };
  return later.globalPeers.every(inside) && later.domainNames.every((d) => earlier.domainNames.includes(d));
}

/**
 * `shadowed-rule`: a rule that can never match because an earlier rule of its policy, same direction,
 * matches every peer and port it could. Sound, not complete: peers compare as interned ids (and
 * `networks` CIDRs by containment), ports as numeric ranges per protocol. A rule that matches no peer
 * at all (only fail-closed peers of an Accept rule) is not reported.
 */
export function shadowedRules(
  cluster: Cluster,
  directions: readonly DirectionFacts[],
  out: Diagnostic[],
): void {
  directions.forEach(({ collected }, d) => {
    const field = d === 0 ? "egress" : "ingress";
    collected.clusterPolicyRules.forEach((ids, ci) => {
      for (let j = 1; j < ids.length; j++) {
        const later = collected.rules[ids[j]! - 1]!;
        if (!later.allPeers && later.globalPeers.length === 0 && later.domainNames.length === 0) continue;
        for (let i = 0; i < j; i++) {
          const earlier = collected.rules[ids[i]! - 1]!;
          if (!peersCovered(collected.globalPeers, earlier, later) || !portsCovered(earlier, later)) continue;
          const policy = cluster.clusterNetworkPolicies[ci]!;
          out.push({
            severity: "warning",
            code: "shadowed-rule",
            object: clusterObject(policy),
            path: `spec.${field}[${later.index}]`,
            message:
              `this ${actionName(later.action, policy.kind)} rule never matches: ${ruleLabel(field, earlier)} ` +
              `(${actionName(earlier.action, policy.kind)}) comes first and matches every peer and port it could`,
          });
          break;
        }
      }
    });
  });
}
