import type { Cluster, Protocol } from "../model/types.ts";
import { protocolIndex } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";

/**
 * One direction's named ports as pods declare them. Each pod gets a *vector*: for each of the
 * direction's named-port keys (sorted `name/protocol`), the number the pod's first port of that
 * name and protocol has, 0 when it declares none. Vectors are interned; id 0 is the all-zero
 * vector (stored empty), so pods without relevant named ports all share it.
 */
export interface NamedVectors {
  /** Number of keys (the length of every non-zero vector). */
  readonly keyCount: number;
  /** Per pod: its vector id. */
  readonly vectorOf: Int32Array;
  /** Per key: whether any pod declares it (whatever the number). */
  readonly declared: Uint8Array;
  /** Key index of (name, protocol), −1 when the direction's rules do not use it. */
  keyIndex(name: string, protocol: Protocol): number;
  /** The number vector `id` gives key `k` (0 = not declared). */
  value(id: number, k: number): number;
}

const UNSET = -0x80000000;

/** Build the vectors for `keys` (sorted `name/protocol`); every number a key resolves to, on any pod, goes to `cuts`. */
export function buildNamedVectors(
  cluster: Cluster,
  keys: readonly string[],
  cuts: (protocol: Protocol, port: number) => void,
): NamedVectors {
  const K = keys.length;
  // name → key index per protocol (no `name/protocol` string is built per pod port).
  const byName = new Map<string, Int32Array>();
  keys.forEach((key, k) => {
    const slash = key.lastIndexOf("/");
    const name = key.slice(0, slash);
    let perProtocol = byName.get(name);
    if (perProtocol === undefined) byName.set(name, (perProtocol = new Int32Array(3).fill(-1)));
    perProtocol[protocolIndex(key.slice(slash + 1) as Protocol)] = k;
  });
  const vectors = new IntSeqInterner();
  vectors.commit(); // id 0: the all-zero vector
  const pods = cluster.pods;
  const vectorOf = new Int32Array(pods.length);
  const declared = new Uint8Array(K);
  const vec = new Int32Array(K);
  for (let i = 0; K > 0 && i < pods.length; i++) {
    let any = false;
    const ports = pods[i]!.ports;
    for (let j = 0; j < ports.length; j++) {
      const p = ports[j]!;
      if (p.name === undefined) continue;
      const k = byName.get(p.name)?.[protocolIndex(p.protocol)] ?? -1;
      if (k < 0) continue;
      cuts(p.protocol, p.containerPort);
      declared[k] = 1;
      if (!any) {
        vec.fill(UNSET);
        any = true;
      }
      if (vec[k] === UNSET) vec[k] = p.containerPort; // the first port of a name counts
    }
    if (!any) continue;
    let nonZero = false;
    for (let k = 0; k < K; k++) if (vec[k] !== UNSET && vec[k] !== 0) nonZero = true;
    if (!nonZero) continue; // all zero: vector 0
    for (let k = 0; k < K; k++) vectors.push(vec[k] === UNSET ? 0 : vec[k]!);
    vectorOf[i] = vectors.commit();
  }
  return {
    keyCount: K,
    vectorOf,
    declared,
    keyIndex: (name, protocol) => byName.get(name)?.[protocolIndex(protocol)] ?? -1,
    value: (id, k) => (id === 0 ? 0 : vectors.at(id, k)),
  };
}
