import { KIND_ADDRESS, KIND_POD } from "../ir/policy-table-ir.ts";
import type { Cluster, Family } from "../model/types.ts";
import { parseIP, parseIPv4Number } from "../net/ip.ts";
import type { AddressClasses } from "./address-classes.ts";

/** The endpoint space: pods first (canonical order), then address classes. */
export interface EndpointLayout {
  readonly podCount: number;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly alias: Int32Array;
  readonly namespace: Int32Array;
  readonly primaryVariant: Uint8Array;
  readonly variantMask: Uint8Array;
  readonly nodeEndpoint: Int32Array;
  /** Per variant (v4, v6) and pod: the address class of the pod's address of that family, −1 if none. */
  readonly podAddressClass: readonly [Int32Array, Int32Array];
  readonly podAddresses: readonly (readonly string[])[];
}

const NO_ADDRESSES: readonly string[] = Object.freeze([]);
const variantOf = (f: Family): 0 | 1 => (f === 4 ? 0 : 1);

/** Lay the endpoints out; address classes must already include every node address. */
export function layoutEndpoints(
  cluster: Cluster,
  podNamespace: Int32Array,
  addresses: AddressClasses,
): EndpointLayout {
  const P = cluster.pods.length;
  const E = P + addresses.classes.length;
  const kind = new Uint8Array(E);
  const alias = new Int32Array(E);
  const namespace = new Int32Array(E).fill(-1);
  const primaryVariant = new Uint8Array(E);
  const variantMask = new Uint8Array(E);
  const nodeEndpoint = new Int32Array(E).fill(-1);
  const podAddressClass: [Int32Array, Int32Array] = [new Int32Array(P).fill(-1), new Int32Array(P).fill(-1)];
  const podAddresses: (readonly string[])[] = [];

  /** Address class of an address's text, −1 when it is not an address. IPv4 stays off BigInt. */
  const classOfText = (text: string): number => {
    const v4 = parseIPv4Number(text);
    if (v4 >= 0) return addresses.classOfV4(v4);
    const ip = parseIP(text);
    return ip === undefined ? -1 : addresses.classOf(ip.family, ip.value);
  };
  const variantOfClass = (c: number): 0 | 1 => variantOf(addresses.classes[c]!.family);
  const hostMemo = new Map<string, number>();
  const hostClass = (text: string): number => {
    let c = hostMemo.get(text);
    if (c === undefined) hostMemo.set(text, (c = classOfText(text)));
    return c;
  };
  const pods = cluster.pods;
  for (let i = 0; i < P; i++) {
    const pod = pods[i]!;
    alias[i] = i;
    const host = pod.hostIP === undefined ? -1 : hostClass(pod.hostIP);
    // The first parseable address decides the primary variant; each variant keeps its first class.
    let first = -1;
    let mask = 0;
    for (let j = 0; j < pod.podIPs.length; j++) {
      const t = pod.podIPs[j]!;
      const c = classOfText(t);
      if (c < 0) continue;
      const v = variantOfClass(c);
      if (first < 0) first = c;
      if (podAddressClass[v][i] === -1) podAddressClass[v][i] = c;
      mask |= 1 << v;
    }
    if (pod.hostNetwork) {
      // docs/decisions.md #3: a hostNetwork pod is its node's address.
      podAddressClass[0][i] = -1;
      podAddressClass[1][i] = -1;
      kind[i] = KIND_ADDRESS;
      const addr = host >= 0 ? host : first;
      podAddresses.push(addr < 0 ? NO_ADDRESSES : [pod.hostIP ?? pod.podIPs[0]!]);
      primaryVariant[i] = 2;
      if (addr >= 0) alias[i] = P + addr;
      continue;
    }
    kind[i] = KIND_POD;
    podAddresses.push(pod.podIPs.slice());
    namespace[i] = podNamespace[i]!;
    primaryVariant[i] = first < 0 ? 2 : variantOfClass(first);
    variantMask[i] = first < 0 ? 4 : mask;
    if (host >= 0) nodeEndpoint[i] = P + host;
  }
  addresses.classes.forEach((c, j) => {
    const e = P + j;
    kind[e] = KIND_ADDRESS;
    alias[e] = e;
    primaryVariant[e] = variantOf(c.family);
    variantMask[e] = 1 << variantOf(c.family);
  });
  return {
    podCount: P,
    count: E,
    kind,
    alias,
    namespace,
    primaryVariant,
    variantMask,
    nodeEndpoint,
    podAddressClass,
    podAddresses,
  };
}
