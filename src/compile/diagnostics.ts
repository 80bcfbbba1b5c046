import { TIER_NETWORK_POLICY } from "../ir/policy-table-ir.ts";
import { sortDiagnostics } from "../model/sort-diagnostics.ts";
import type { Cluster, Diagnostic, NetworkPolicy, NetworkPolicyPort } from "../model/types.ts";
import { parseIPv4Number } from "../net/ip.ts";
import { clusterPolicyDiagnostics } from "./cluster-policy-diagnostics.ts";
import { EMPTY_PEER, LOCAL_REF_BASE } from "./collect-rules.ts";
import type { DirectionFacts } from "./diagnostic-facts.ts";
import type { PodUniverse } from "./pod-universe.ts";
import type { Subjects } from "./subjects.ts";

export type { DirectionFacts } from "./diagnostic-facts.ts";

/**
 * Addresses (exact text) that two or more non-hostNetwork pod entries list, with those pods in
 * order. Most addresses are unique IPv4 texts: an open-addressing table over their numeric values
 * finds the few that share a value without a map entry per address; only those, and non-IPv4
 * texts, are grouped by text.
 */
function sharedAddresses(cluster: Cluster): Map<string, number[]> {
  const pods = cluster.pods;
  let entries = 0;
  for (let i = 0; i < pods.length; i++) if (!pods[i]!.hostNetwork) entries += pods[i]!.podIPs.length;
  let bits = 4;
  while (1 << bits < entries * 2) bits++;
  const mask = (1 << bits) - 1;
  const table = new Int32Array(1 << bits); // entry + 1 of the first entry with a value; 0 = empty
  const value = new Float64Array(entries);
  const entryPod = new Int32Array(entries);
  const entryIP = new Int32Array(entries);
  const candidate = new Uint8Array(entries); // 1: shares its value with another entry
  let e = 0;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]!;
    if (pod.hostNetwork) continue;
    for (let j = 0; j < pod.podIPs.length; j++, e++) {
      entryPod[e] = i;
      entryIP[e] = j;
      const v = parseIPv4Number(pod.podIPs[j]!);
      value[e] = v;
      if (v < 0) {
        candidate[e] = 1; // not IPv4: grouped by text below
        continue;
      }
      let slot = (Math.imul(v, 0x9e3779b1) >>> (32 - bits)) & mask;
      for (;;) {
        const at = table[slot]!;
        if (at === 0) {
          table[slot] = e + 1;
          break;
        }
        if (value[at - 1] === v) {
          candidate[at - 1] = 1;
          candidate[e] = 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
  const byText = new Map<string, number[]>();
  for (let k = 0; k < entries; k++) {
    if (candidate[k] === 0) continue;
    const text = pods[entryPod[k]!]!.podIPs[entryIP[k]!]!;
    const list = byText.get(text);
    if (list === undefined) byText.set(text, [entryPod[k]!]);
    else list.push(entryPod[k]!);
  }
  for (const [text, list] of byText) if (list.length < 2) byText.delete(text);
  return byText;
}

const policyObject = (policy: NetworkPolicy): string => `NetworkPolicy ${policy.namespace}/${policy.name}`;

/**
 * Legal-but-odd input, reported and never thrown: selectors that select nothing, named ports no
 * pod declares, named ports towards ipBlock peers, pods sharing an IP, policies that select only
 * hostNetwork pods; and those of the admin/baseline tiers (`cluster-policy-diagnostics.ts`). Sorted
 * for determinism.
 */
export function collectDiagnostics(
  cluster: Cluster,
  universe: PodUniverse,
  subjects: Subjects,
  directions: readonly DirectionFacts[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const policies = cluster.networkPolicies;
  for (let pi = 0; pi < policies.length; pi++) {
    if (subjects.selectedPods[pi] !== 0) continue;
    const none = subjects.selectedHostNetwork[pi] === 0;
    out.push({
      severity: "warning",
      code: none ? "selector-matches-nothing" : "selects-only-host-network",
      object: policyObject(policies[pi]!),
      path: "spec.podSelector",
      message: none
        ? "spec.podSelector selects no pod in the namespace; the policy has no effect"
        : "spec.podSelector selects only hostNetwork pods, which network policy does not apply to",
    });
  }

  // An empty peer `{}` means the own namespace's pods: does the namespace have a selectable one?
  const hasSelectable = new Uint8Array(universe.nsPodStart.length - 1);
  for (let i = 0; i < cluster.pods.length; i++)
    if (!cluster.pods[i]!.hostNetwork) hasSelectable[universe.podNamespace[i]!] = 1;

  for (let d = 0; d < directions.length; d++) {
    const { collected: dir, peers: hits, named } = directions[d]!;
    const field = d === 0 ? "egress" : "ingress";
    const peerField = d === 0 ? "to" : "from";
    const rules = dir.rules;
    for (let r = 0; r < rules.length; r++) {
      const collected = rules[r]!;
      if (collected.tier !== TIER_NETWORK_POLICY) continue; // admin/baseline rules: cluster-policy-diagnostics.ts
      const policy = policies[collected.policy]!;
      const ri = collected.index;
      // The direction table already knows which peers match a selectable pod.
      const end = r + 1 < rules.length ? rules[r + 1]!.peerRefStart : dir.peerRefs.length;
      let ipPeer = false;
      for (let q = collected.peerRefStart; q < end; q++) {
        const ref = dir.peerRefs[q]!;
        if (ref >= 0 && dir.globalPeers[ref]!.kind === "ipBlock") ipPeer = true;
        const matches =
          ref >= 0
            ? hits.globalPeerHit[ref] === 1
            : ref === EMPTY_PEER
              ? hasSelectable[collected.namespace] === 1
              : hits.localPeerHit[LOCAL_REF_BASE - ref] === 1;
        if (!matches)
          out.push({
            severity: "warning",
            code: "selector-matches-nothing",
            object: policyObject(policy),
            path: `spec.${field}[${ri}].${peerField}[${q - collected.peerRefStart}]`,
            message: "this peer selects no pod",
          });
      }
      if (!collected.hasNamedPorts) continue;
      const rule = d === 0 ? policy.spec.egress[ri]! : policy.spec.ingress[ri]!;
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
        if (d === 0 && ipPeer)
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

  for (const [ip, owners] of sharedAddresses(cluster)) {
    const pods = owners.map((i) => `${cluster.pods[i]!.namespace}/${cluster.pods[i]!.name}`);
    out.push({
      severity: "warning",
      code: "duplicate-pod-ip",
      message: `pods ${pods.join(", ")} share the address ${ip}; as a flow endpoint it is treated as an external address`,
    });
  }
  clusterPolicyDiagnostics(cluster, universe, subjects, directions, out);
  return sortDiagnostics(out);
}
