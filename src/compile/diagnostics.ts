import { sortDiagnostics } from "../model/sort-diagnostics.ts";
import type {
  Cluster,
  Diagnostic,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from "../model/types.ts";
import { parseIPv4Number } from "../net/ip.ts";
import { type CollectedDirection, EMPTY_PEER, LOCAL_REF_BASE } from "./collect-rules.ts";
import type { NamedVectors } from "./named-ports.ts";
import type { PeerClasses } from "./peer-classes.ts";
import type { PodUniverse } from "./pod-universe.ts";
import type { Subjects } from "./subjects.ts";

/** What one direction's compile already established, reused here instead of re-evaluating selectors. */
export interface DirectionFacts {
  readonly collected: CollectedDirection;
  readonly peers: Pick<PeerClasses, "globalPeerHit" | "localPeerHit">;
  readonly named: Pick<NamedVectors, "declared" | "keyIndex">;
}

/**
 * Addresses (exact text) that two or more non-hostNetwork pod entries list, with those pods in
 * order. IPv4 texts are found by sorting their numeric values (a typed-array sort, no per-address
 * map entry); equal values are then split by text. Other texts go through a map.
 */
function sharedAddresses(cluster: Cluster): Map<string, number[]> {
  const pods = cluster.pods;
  let entries = 0;
  for (const pod of pods) if (!pod.hostNetwork) entries += pod.podIPs.length;
  const entryPod = new Int32Array(entries);
  const entryIP = new Int32Array(entries);
  const keys = new Float64Array(entries);
  const SLOT = 2 ** 21; // value · SLOT + entry stays an exact double while entries < SLOT
  let n4 = 0;
  let e = 0;
  const other = new Map<string, number[]>();
  pods.forEach((pod, i) => {
    if (pod.hostNetwork) return;
    pod.podIPs.forEach((ip, j) => {
      const v = entries < SLOT ? parseIPv4Number(ip) : -1;
      if (v >= 0) {
        entryPod[e] = i;
        entryIP[e] = j;
        keys[n4++] = v * SLOT + e++;
      } else {
        const list = other.get(ip);
        if (list === undefined) other.set(ip, [i]);
        else list.push(i);
      }
    });
  });
  const sorted = keys.subarray(0, n4).sort();
  const out = new Map<string, number[]>();
  for (const [ip, list] of other) if (list.length > 1) out.set(ip, list);
  for (let a = 0; a < n4; ) {
    const value = Math.floor(sorted[a]! / SLOT);
    let b = a + 1;
    while (b < n4 && Math.floor(sorted[b]! / SLOT) === value) b++;
    if (b - a > 1) {
      const byText = new Map<string, number[]>();
      for (let k = a; k < b; k++) {
        const entry = sorted[k]! - value * SLOT;
        const text = pods[entryPod[entry]!]!.podIPs[entryIP[entry]!]!;
        const list = byText.get(text);
        if (list === undefined) byText.set(text, [entryPod[entry]!]);
        else list.push(entryPod[entry]!);
      }
      for (const [text, list] of byText) if (list.length > 1) out.set(text, list);
    }
    a = b;
  }
  return out;
}

const policyObject = (policy: NetworkPolicy): string => `NetworkPolicy ${policy.namespace}/${policy.name}`;

/**
 * Legal-but-odd input, reported and never thrown: selectors that select nothing, named ports no
 * pod declares, named ports towards ipBlock peers, pods sharing an IP, policies that select only
 * hostNetwork pods. Sorted for determinism.
 */
export function collectDiagnostics(
  cluster: Cluster,
  universe: PodUniverse,
  subjects: Subjects,
  directions: readonly DirectionFacts[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // An empty peer `{}` means the own namespace's pods: does the namespace have a selectable one?
  const N = universe.nsPodStart.length - 1;
  const hasSelectable = new Uint8Array(N);
  cluster.pods.forEach((pod, i) => {
    if (!pod.hostNetwork) hasSelectable[universe.podNamespace[i]!] = 1;
  });

  const policies = cluster.networkPolicies;
  for (let pi = 0; pi < policies.length; pi++) {
    const policy = policies[pi]!;
    const ns = universe.namespaceOf.get(policy.namespace)!;
    if (subjects.selectedPods[pi] === 0) {
      const none = subjects.selectedHostNetwork[pi] === 0;
      out.push({
        severity: "warning",
        code: none ? "selector-matches-nothing" : "selects-only-host-network",
        object: policyObject(policy),
        path: "spec.podSelector",
        message: none
          ? "spec.podSelector selects no pod in the namespace; the policy has no effect"
          : "spec.podSelector selects only hostNetwork pods, which network policy does not apply to",
      });
    }
    for (let d = 0; d < directions.length; d++) {
      const { collected: dir, peers: hits, named } = directions[d]!;
      if (!dir.appliesTo[pi]) continue;
      const field = d === 0 ? "egress" : "ingress";
      const peerField = d === 0 ? "to" : "from";
      for (const id of dir.policyRules[pi]!) {
        const collected = dir.rules[id - 1]!;
        const ri = collected.index;
        const rule = d === 0 ? policy.spec.egress[ri]! : policy.spec.ingress[ri]!;
        const peers =
          (d === 0
            ? (rule as { to?: readonly NetworkPolicyPeer[] }).to
            : (rule as { from?: readonly NetworkPolicyPeer[] }).from) ?? [];
        // The direction table already knows which peers match a selectable pod.
        for (let qi = 0; qi < peers.length; qi++) {
          const ref = dir.peerRefs[collected.peerRefStart + qi]!;
          const matches =
            ref >= 0
              ? hits.globalPeerHit[ref] === 1
              : ref === EMPTY_PEER
                ? hasSelectable[ns] === 1
                : hits.localPeerHit[LOCAL_REF_BASE - ref] === 1;
          if (!matches)
            out.push({
              severity: "warning",
              code: "selector-matches-nothing",
              object: policyObject(policy),
              path: `spec.${field}[${ri}].${peerField}[${qi}]`,
              message: "this peer selects no pod",
            });
        }
        if (!collected.hasNamedPorts) continue;
        const ports: readonly NetworkPolicyPort[] = rule.ports ?? [];
        for (let pj = 0; pj < ports.length; pj++) {
          const port = ports[pj]!;
          if (typeof port.port !== "string") continue;
          const path = `spec.${field}[${ri}].ports[${pj}].port`;
          if (named.declared[named.keyIndex(port.port, port.protocol)] !== 1)
            out.push({
              severity: "warning",
              code: "unknown-named-port",
              object: policyObject(policy),
              path,
              message: `no pod declares a ${port.protocol} port named "${port.port}"; it matches nothing`,
            });
          if (d === 0 && peers.some((p) => p.ipBlock !== undefined))
            out.push({
              severity: "info",
              code: "named-port-ip-peer",
              object: policyObject(policy),
              path,
              message: `named port "${port.port}" cannot be resolved for addresses outside the pod network; towards them it matches nothing`,
            });
        }
      }
    }
  }

  const shared = sharedAddresses(cluster);
  for (const [ip, owners] of shared) {
    const pods = owners.map((i) => `${cluster.pods[i]!.namespace}/${cluster.pods[i]!.name}`);
    out.push({
      severity: "warning",
      code: "duplicate-pod-ip",
      message: `pods ${pods.join(", ")} share the address ${ip}; as a flow endpoint it is treated as an external address`,
    });
  }

  return sortDiagnostics(out);
}
