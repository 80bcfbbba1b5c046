import { KIND_ADDRESS, KIND_POD } from "../ir/policy-table-ir.ts";
import type { Cluster, Family } from "../model/types.ts";
import { formatIP, parseIP, parseIPv4Number } from "../net/ip.ts";
import type { AddressClasses } from "./address-classes.ts";
import type { NodeTable } from "./nodes.ts";

/** The endpoint space: pods first (canonical order), then address classes. */
export interface EndpointLayout {
  readonly podCount: number;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly namespace: Int32Array;
  readonly primaryVariant: Uint8Array;
  readonly variantMask: Uint8Array;
  /** Per endpoint: its node (`NodeTable`): a pod's, a hostNetwork pod's, a node address's; −1 none. */
  readonly node: Int32Array;
  /**
   * Per variant (v4, v6) and pod: the address class of the pod's address of that family, −1 if
   * none. A hostNetwork pod's are its node's addresses (it is an address endpoint of each family).
   */
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
  nodes: NodeTable,
  /** ipBlocks never match pod IPs (`ipblock-external`): where an address-less pod is cannot matter. */
  addressLessAnyFamily = false,
): EndpointLayout {
  const P = cluster.pods.length;
  const E = P + addresses.classes.length;
  const kind = new Uint8Array(E);
  const namespace = new Int32Array(E).fill(-1);
  const primaryVariant = new Uint8Array(E);
  const variantMask = new Uint8Array(E);
  const node = new Int32Array(E).fill(-1);
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
  const pods = cluster.pods;
  for (let i = 0; i < P; i++) {
    const pod = pods[i]!;
    node[i] = nodes.podNode[i]!;
    if (pod.hostNetwork) {
      // docs/decisions.md #3, #23: a hostNetwork pod is its node's addresses, of every family.
      kind[i] = KIND_ADDRESS;
      const own = node[i]! >= 0 ? nodes.addresses[node[i]!]! : [];
      const texts: string[] = [];
      let mask = 0;
      for (const ip of own) {
        const c = addresses.classOf(ip.family, ip.value);
        const v = variantOf(ip.family);
        if (podAddressClass[v][i] === -1) podAddressClass[v][i] = c;
        mask |= 1 << v;
        texts.push(formatIP(ip));
      }
      // The primary family: the host address's (`status.hostIP`), else its first podIPs entry,
      // else its node's first address.
      const primaryText = pod.hostIP ?? pod.podIPs[0];
      const primary = (primaryText === undefined ? undefined : parseIP(primaryText)) ?? own[0];
      primaryVariant[i] = primary !== undefined ? variantOf(primary.family) : 2;
      variantMask[i] = mask;
      podAddresses.push(texts.length === 0 ? NO_ADDRESSES : texts);
      continue;
    }
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
    kind[i] = KIND_POD;
    podAddresses.push(pod.podIPs.slice());
    namespace[i] = podNamespace[i]!;
    primaryVariant[i] = first < 0 ? 2 : variantOfClass(first);
    // An address-less pod has no family (#8) — unless no CIDR can match it, when it takes part in
    // flows of every family, decided on labels (docs/decisions.md #60).
    variantMask[i] = first >= 0 ? mask : addressLessAnyFamily ? 7 : 4;
  }
  // Each node address is an address class of its own (compile-ir cuts around them).
  nodes.addresses.forEach((list, n) => {
    for (const ip of list) {
      const e = P + addresses.classOf(ip.family, ip.value);
      if (node[e] === -1) node[e] = n;
    }
  });
  addresses.classes.forEach((c, j) => {
    const e = P + j;
    kind[e] = KIND_ADDRESS;
    primaryVariant[e] = variantOf(c.family);
    variantMask[e] = 1 << variantOf(c.family);
  });
  return {
    podCount: P,
    count: E,
    kind,
    namespace,
    primaryVariant,
    variantMask,
    node,
    podAddressClass,
    podAddresses,
  };
}
