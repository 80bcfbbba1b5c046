// Local peer classes (one direction): per namespace, its pods grouped by the same-namespace peers
// matching them and their named-port vector — the classes a same-namespace cell is keyed by.
import { KIND_POD } from "../ir/policy-table-ir.ts";
import type { CollectedDirection } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { NamedVectors } from "./named-ports.ts";
import { postings } from "./postings.ts";
import type { TableContext } from "./table-context.ts";

/** The local half of a direction's peer classes (`PeerClasses` extends it). */
export interface LocalClasses {
  /** Per endpoint: local class within its namespace, −1 for addresses. */
  readonly localClass: Int32Array;
  /** Local class `l` of namespace `n` is entry `localStart[n] + l` of the two arrays below. */
  readonly localStart: Int32Array;
  /** Its signature id in `localSigs` (the sorted local peers it matches). */
  readonly localSig: Int32Array;
  /** Its named-port vector id (egress; 0 for ingress). */
  readonly localNamed: Int32Array;
  readonly localSigs: IntSeqInterner;
  /** The largest local class count of a namespace (at least 1). */
  readonly maxLocal: number;
  /** Per local peer: 1 when it matches some selectable pod. For diagnostics. */
  readonly localPeerHit: Uint8Array;
}

/** Local classes: per namespace, the distinct (local peers matching, named vector), in pod order. */
export function buildLocalClasses(
  ctx: TableContext,
  collected: CollectedDirection,
  named: NamedVectors,
  egress: boolean,
): LocalClasses {
  const { universe, layout } = ctx;
  const E = layout.count;
  const N = universe.nsPodStart.length - 1;
  const local = collected.localPeers;
  const localPeerHit = new Uint8Array(local.length);
  const localByNs = postings(N, (emit) => {
    local.forEach((peer, id) => {
      emit(peer.namespace, id);
    });
  });
  const localSigs = new IntSeqInterner();
  localSigs.commit(); // 0: matches no local peer
  const localKeys = new IntSeqInterner();
  const localSig: number[] = [];
  const localNamed: number[] = [];
  const localClass = new Int32Array(E).fill(-1);
  const localStart = new Int32Array(N + 1);
  let maxLocal = 1;
  for (let n = 0; n < N; n++) {
    const first = localKeys.size;
    localStart[n] = first;
    for (let j = universe.nsPodStart[n]!; j < universe.nsPodStart[n + 1]!; j++) {
      const pod = universe.nsPods[j]!;
      if (layout.kind[pod] !== KIND_POD) continue;
      const set = universe.labelSetOf[pod]!;
      for (let q = localByNs.start[n]!; q < localByNs.start[n + 1]!; q++) {
        const id = localByNs.items[q]!;
        if (universe.podMember(local[id]!.podSelector)[set] === 1) {
          localSigs.push(id);
          localPeerHit[id] = 1;
        }
      }
      const sig = localSigs.commit();
      const vector = egress ? named.vectorOf[pod]! : 0;
      localKeys.push(n);
      localKeys.push(sig);
      localKeys.push(vector);
      const before = localKeys.size;
      const key = localKeys.commit();
      if (key === before) {
        localSig.push(sig);
        localNamed.push(vector);
      }
      localClass[pod] = key - first;
    }
    maxLocal = Math.max(maxLocal, localKeys.size - first);
  }
  localStart[N] = localKeys.size;

  return {
    localClass,
    localStart,
    localSig: Int32Array.from(localSig),
    localNamed: Int32Array.from(localNamed),
    localSigs,
    maxLocal,
    localPeerHit,
  };
}
