import { sortDiagnostics } from "../model/sort-diagnostics.ts";
import type { Cluster, Diagnostic, NetworkPolicyPeer, NetworkPolicyPort } from "../model/types.ts";
import { type CollectedDirection, namedPortKey } from "./collect-rules.ts";
import { selectorKey } from "./label-index.ts";
import type { PodUniverse } from "./pod-universe.ts";

/**
 * Legal-but-odd input, reported and never thrown: selectors that select nothing, named ports no
 * pod declares, named ports towards ipBlock peers, pods sharing an IP, policies that select only
 * hostNetwork pods. Sorted for determinism.
 */
export function collectDiagnostics(
  cluster: Cluster,
  universe: PodUniverse,
  directions: readonly CollectedDirection[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const selectable = (pod: number): boolean => !cluster.pods[pod]!.hostNetwork;
  const declared = new Set<string>();
  for (const pod of cluster.pods)
    for (const p of pod.ports) if (p.name !== undefined) declared.add(namedPortKey(p.name, p.protocol));

  const peerMemo = new Map<string, boolean>();
  const peerMatchesSomething = (peer: NetworkPolicyPeer, ns: number): boolean => {
    if (peer.ipBlock !== undefined) return true;
    const key = `${peer.namespaceSelector === undefined ? ns : selectorKey(peer.namespaceSelector)}|${selectorKey(peer.podSelector ?? {})}`;
    let hit = peerMemo.get(key);
    if (hit === undefined) peerMemo.set(key, (hit = peerMatches(peer, ns)));
    return hit;
  };
  const peerMatches = (peer: NetworkPolicyPeer, ns: number): boolean => {
    const member = universe.podSelectorMember(peer.podSelector ?? {});
    const namespaces =
      peer.namespaceSelector === undefined ? [ns] : universe.namespaceIndex.select(peer.namespaceSelector);
    return namespaces.some((n) =>
      universe.podsOfNamespace[n]!.some((pod) => selectable(pod) && member[universe.labelSetOf[pod]!] === 1),
    );
  };

  cluster.networkPolicies.forEach((policy, pi) => {
    const object = `NetworkPolicy ${policy.namespace}/${policy.name}`;
    const ns = universe.namespaceOf.get(policy.namespace)!;
    const member = universe.podSelectorMember(policy.spec.podSelector);
    const selected = universe.podsOfNamespace[ns]!.filter((pod) => member[universe.labelSetOf[pod]!] === 1);
    if (!selected.some(selectable)) {
      out.push({
        severity: "warning",
        code: selected.length === 0 ? "selector-matches-nothing" : "selects-only-host-network",
        object,
        path: "spec.podSelector",
        message:
          selected.length === 0
            ? "spec.podSelector selects no pod in the namespace; the policy has no effect"
            : "spec.podSelector selects only hostNetwork pods, which network policy does not apply to",
      });
    }
    for (const [d, dir] of directions.entries()) {
      if (!dir.appliesTo[pi]) continue;
      const field = d === 0 ? "egress" : "ingress";
      const peerField = d === 0 ? "to" : "from";
      const rules = d === 0 ? policy.spec.egress : policy.spec.ingress;
      rules.forEach((rule, ri) => {
        const peers =
          (d === 0
            ? (rule as { to?: readonly NetworkPolicyPeer[] }).to
            : (rule as { from?: readonly NetworkPolicyPeer[] }).from) ?? [];
        peers.forEach((peer, qi) => {
          if (!peerMatchesSomething(peer, ns))
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
          if (!declared.has(namedPortKey(port.port, port.protocol)))
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
      });
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
