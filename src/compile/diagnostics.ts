import { sortDiagnostics } from "../model/sort-diagnostics.ts";
import type { Cluster, Diagnostic, NetworkPolicyPeer, NetworkPolicyPort } from "../model/types.ts";
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

  cluster.networkPolicies.forEach((policy, pi) => {
    const object = `NetworkPolicy ${policy.namespace}/${policy.name}`;
    const ns = universe.namespaceOf.get(policy.namespace)!;
    if (subjects.selectedPods[pi] === 0) {
      const none = subjects.selectedHostNetwork[pi] === 0;
      out.push({
        severity: "warning",
        code: none ? "selector-matches-nothing" : "selects-only-host-network",
        object,
        path: "spec.podSelector",
        message: none
          ? "spec.podSelector selects no pod in the namespace; the policy has no effect"
          : "spec.podSelector selects only hostNetwork pods, which network policy does not apply to",
      });
    }
    for (const [d, { collected: dir, peers: hits, named }] of directions.entries()) {
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
        collected.peerRefs.forEach((ref, qi) => {
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
              object,
              path: `spec.${field}[${ri}].${peerField}[${qi}]`,
              message: "this peer selects no pod",
            });
        });
        (rule.ports ?? []).forEach((port: NetworkPolicyPort, pj) => {
          if (typeof port.port !== "string") return;
          const path = `spec.${field}[${ri}].ports[${pj}].port`;
          if (named.declared[named.keyIndex(port.port, port.protocol)] !== 1)
            out.push({
              severity: "warning",
              code: "unknown-named-port",
              object,
              path,
              message: `no pod declares a ${port.protocol} port named "${port.port}"; it matches nothing`,
            });
          if (d === 0 && peers.some((p) => p.ipBlock !== undefined))
            out.push({
              severity: "info",
              code: "named-port-ip-peer",
              object,
              path,
              message: `named port "${port.port}" cannot be resolved for addresses outside the pod network; towards them it matches nothing`,
            });
        });
      }
    }
  });

  const owners = new Map<string, string[]>();
  for (const pod of cluster.pods) {
    if (pod.hostNetwork) continue;
    for (const ip of pod.podIPs) {
      const list = owners.get(ip) ?? [];
      list.push(`${pod.namespace}/${pod.name}`);
      owners.set(ip, list);
    }
  }
  for (const [ip, pods] of owners)
    if (pods.length > 1)
      out.push({
        severity: "warning",
        code: "duplicate-pod-ip",
        message: `pods ${pods.join(", ")} share the address ${ip}; as a flow endpoint it is treated as an external address`,
      });

  return sortDiagnostics(out);
}
