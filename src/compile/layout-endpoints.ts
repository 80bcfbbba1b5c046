import { KIND_ADDRESS, KIND_POD } from "../ir/policy-table-ir.ts";
import type { Cluster, Family } from "../model/types.ts";
import { parseIP } from "../net/ip.ts";
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

const variantOf = (f: Family): 0 | 1 => (f === 4 ? 0 : 1);

/** Lay the endpoints out; address classes must already include every node address. */
export function layoutEndpoints(
  cluster: Cluster,
  namespaceIndex: ReadonlyMap<string, number>,
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
  const podAddresses: string[][] = [];

  const hostMemo = new Map<string, ReturnType<typeof parseIP>>();
  const parseHost = (text: string): ReturnType<typeof parseIP> => {
    if (!hostMemo.has(text)) hostMemo.set(text, parseIP(text));
    return hostMemo.get(text);
  };
  cluster.pods.forEach((pod, i) => {
    alias[i] = i;
    const ips = pod.podIPs.map((t) => parseIP(t)).filter((ip) => ip !== undefined);
    const host = pod.hostIP === undefined ? undefined : parseHost(pod.hostIP);
    if (pod.hostNetwork) {
      // docs/decisions.md #3: a hostNetwork pod is its node's address.
      kind[i] = KIND_ADDRESS;
      const addr = host ?? ips[0];
      podAddresses.push(addr === undefined ? [] : [pod.hostIP ?? pod.podIPs[0]!]);
      primaryVariant[i] = 2;
      if (addr !== undefined) alias[i] = P + addresses.classOf(addr.family, addr.value);
      return;
    }
    kind[i] = KIND_POD;
    podAddresses.push([...pod.podIPs]);
    namespace[i] = namespaceIndex.get(pod.namespace)!;
    primaryVariant[i] = ips.length === 0 ? 2 : variantOf(ips[0]!.family);
    let mask = ips.length === 0 ? 4 : 0;
    for (const ip of ips) {
      const v = variantOf(ip.family);
      if (podAddressClass[v][i] === -1) podAddressClass[v][i] = addresses.classOf(ip.family, ip.value);
      mask |= 1 << v;
    }
    variantMask[i] = mask;
    if (host !== undefined) nodeEndpoint[i] = P + addresses.classOf(host.family, host.value);
  });
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
