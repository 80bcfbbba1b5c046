import type { IRRule } from "../ir/policy-table-ir.ts";
import type { CollectedDirection } from "./collect-rules.ts";
import type { PeerClasses } from "./peer-classes.ts";

/**
 * The IR's rules, with what explain needs to re-walk one flow rule by rule (near misses): each
 * rule's peers (global peer ids, local peer ids, or every peer) and ports (numeric ranges and
 * names; absent: every port), and per direction which classes each peer matches.
 */
export function irRules(collected: CollectedDirection): IRRule[] {
  return collected.rules.map((r) => ({
    tier: r.tier,
    action: r.action,
    policy: r.policy,
    index: r.index,
    ...(r.name === undefined ? {} : { name: r.name }),
    ...(r.allPeers ? { allPeers: true } : {}),
    globalPeers: r.globalPeers,
    localPeers: r.localPeers,
    ...(r.ports === undefined
      ? {}
      : {
          ports: r.ports.map((p) =>
            "name" in p ? ([p.protocol, p.name] as const) : ([p.protocol, p.lo, p.hi] as const),
          ),
        }),
    ...(r.domainNames.length === 0 ? {} : { domainNames: r.domainNames }),
  }));
}

/** CSR lists: global peer → the global classes it matches; local class entry → the local peers it matches. */
export function peerMembership(peers: PeerClasses): {
  peerClassStart: Int32Array;
  peerClasses: Int32Array;
  localStart: Int32Array;
  localClassPeerStart: Int32Array;
  localClassPeers: Int32Array;
} {
  const P = peers.classesOfPeer.length;
  const peerClassStart = new Int32Array(P + 1);
  for (let p = 0; p < P; p++) peerClassStart[p + 1] = peerClassStart[p]! + peers.classesOfPeer[p]!.length;
  const peerClasses = new Int32Array(peerClassStart[P]!);
  for (let p = 0; p < P; p++) peerClasses.set(peers.classesOfPeer[p]!, peerClassStart[p]!);
  const L = peers.localSig.length;
  const localClassPeerStart = new Int32Array(L + 1);
  for (let l = 0; l < L; l++)
    localClassPeerStart[l + 1] = localClassPeerStart[l]! + peers.localSigs.length(peers.localSig[l]!);
  const localClassPeers = new Int32Array(localClassPeerStart[L]!);
  for (let l = 0; l < L; l++) {
    const sig = peers.localSig[l]!;
    for (let i = 0; i < peers.localSigs.length(sig); i++)
      localClassPeers[localClassPeerStart[l]! + i] = peers.localSigs.at(sig, i);
  }
  return { peerClassStart, peerClasses, localStart: peers.localStart, localClassPeerStart, localClassPeers };
}
