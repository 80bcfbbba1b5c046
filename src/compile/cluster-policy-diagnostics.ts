import { TIER_NETWORK_POLICY } from "../ir/policy-table-ir.ts";
import { networksCoverMessage } from "../model/diagnostic-text.ts";
import type { Cluster, ClusterPolicyRule, Diagnostic, LabelSelector } from "../model/types.ts";
import { parseIP } from "../net/ip.ts";
import { clusterObject, type DirectionFacts, podName } from "./diagnostic-facts.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { PodUniverse } from "./pod-universe.ts";
import { shadowedRules } from "./shadowed-rules.ts";
import type { Subjects } from "./subjects.ts";

export type { DirectionFacts } from "./diagnostic-facts.ts";

/**
 * `same-priority-overlap`: two policies of one tier and priority that both have rules in a direction
 * and whose subjects share a pod. Upstream leaves their order implementation-defined; ours is name,
 * then kind (docs/decisions.md #25). Each pod's list is cut down to policies that tie with another
 * one, and equal cut lists are visited once; the first pod (canonical order) is named.
 */
function samePriorityOverlaps(
  cluster: Cluster,
  subjects: Subjects,
  directions: readonly DirectionFacts[],
  out: Diagnostic[],
): void {
  const policies = cluster.clusterNetworkPolicies;
  const C = policies.length;
  const acts = policies.map((_, ci) =>
    directions.reduce((m, d, di) => (d.collected.clusterPolicyRules[ci]!.length > 0 ? m | (1 << di) : m), 0),
  );
  const sameRank = (a: number, b: number): boolean =>
    policies[a]!.tier === policies[b]!.tier && policies[a]!.priority === policies[b]!.priority;
  // Policies in evaluation order, so ties are adjacent.
  const tied = new Uint8Array(C);
  for (let a = 0; a < C; a++)
    for (let b = a + 1; b < C && sameRank(a, b); b++) if ((acts[a]! & acts[b]!) !== 0) tied[a] = tied[b] = 1;
  if (!tied.includes(1)) return;
  const lists = new IntSeqInterner();
  const sharedPod = new Map<number, number>(); // a * C + b (a before b) → first shared pod
  const { podClusterPolicyStart: start, podClusterPolicies: list } = subjects;
  for (let i = 0; i < cluster.pods.length; i++) {
    let n = 0;
    for (let x = start[i]!; x < start[i + 1]!; x++)
      if (tied[list[x]!] === 1) {
        lists.push(list[x]!);
        n++;
      }
    const before = lists.size;
    const id = lists.commit();
    if (n < 2 || id !== before) continue; // nothing to pair, or a cut list already visited
    for (let x = 0; x < n; x++)
      for (let y = x + 1; y < n && sameRank(lists.at(id, x), lists.at(id, y)); y++) {
        const a = lists.at(id, x);
        const b = lists.at(id, y);
        if ((acts[a]! & acts[b]!) !== 0 && !sharedPod.has(a * C + b)) sharedPod.set(a * C + b, i);
      }
  }
  for (const [key, pod] of sharedPod) {
    const first = policies[Math.floor(key / C)]!;
    const second = policies[key % C]!;
    const banp = second.kind === "BaselineAdminNetworkPolicy";
    out.push({
      severity: "warning",
      code: "same-priority-overlap",
      object: clusterObject(second),
      ...(banp ? {} : { path: "spec.priority" }),
      message:
        `same tier (${second.tier}) and priority (${second.priority}${banp ? ", docs/decisions.md #24" : ""}) as ` +
        `${clusterObject(first)}, and both select pod ${podName(cluster, pod)}: upstream leaves the order of ` +
        `equal priorities implementation-defined; netpol-engine evaluates ${clusterObject(first)} first ` +
        "(by name, then kind: docs/decisions.md #25)",
    });
  }
}

/** The pods' (non-hostNetwork) addresses per family, sorted by value, with the pod of each. */
function podAddressIndex(cluster: Cluster) {
  const byFamily = new Map<number, { value: bigint; pod: number; text: string }[]>([
    [4, []],
    [6, []],
  ]);
  cluster.pods.forEach((pod, i) => {
    if (pod.hostNetwork) return;
    for (const text of pod.podIPs) {
      const ip = parseIP(text);
      if (ip !== undefined) byFamily.get(ip.family)!.push({ value: ip.value, pod: i, text });
    }
  });
  for (const list of byFamily.values())
    list.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return byFamily;
}

/** Per written peer of an admin/baseline rule, the global peer ids collect-rules gave it, in order. */
function writtenPeerRefs(rule: ClusterPolicyRule, refs: readonly number[], start: number) {
  let q = start;
  return rule.peers.map((peer) => {
    const n = peer.networks !== undefined ? peer.networks.length : peer.domainNames !== undefined ? 0 : 1;
    q += n;
    return refs.slice(q - n, q);
  });
}

/** Nodes pods name (`spec.nodeName`) that have no Node object, so no labels (decisions #23), sorted. */
function nodesWithoutObject(cluster: Cluster): string[] {
  const known = new Set(cluster.nodes.map((n) => n.name));
  const names = new Set<string>();
  for (const pod of cluster.pods)
    if (pod.nodeName !== undefined && !known.has(pod.nodeName)) names.add(pod.nodeName);
  return [...names].sort();
}

/** Why a `nodes` peer matches no node address, and what that means. */
function nodesMessage(cluster: Cluster, selector: LabelSelector, unlabelled: readonly string[]): string {
  const every =
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  if (every)
    return "this peer selects every node, but the input gives no node address (no Node object, no pod hostIP)";
  const why =
    cluster.nodes.length === 0
      ? "the input has no Node objects, so node labels are unknown (docs/decisions.md #23)"
      : unlabelled.length === 0
        ? `it selects none of the ${cluster.nodes.length} Node object(s) with an address`
        : `it selects none of the ${cluster.nodes.length} Node object(s) with an address, and ${unlabelled.length} node(s) ` +
          `known only from pods (${unlabelled[0]}${unlabelled.length > 1 ? ", ..." : ""}) have no labels (docs/decisions.md #23)`;
  return `this peer matches no node address: ${why}; netpol-engine treats it as matching nothing`;
}

/**
 * `networks-cover-pod-ips` (a `networks` CIDR holding pod addresses: under the conformance profile it
 * matches those pods too) and `undecidable-peer` (`domainNames`, which cannot be resolved offline, and
 * `nodes` peers that match no node address: node labels come only from Node objects, decisions #23).
 */
function peerDiagnostics(cluster: Cluster, directions: readonly DirectionFacts[], out: Diagnostic[]): void {
  let addresses: ReturnType<typeof podAddressIndex> | undefined;
  const covered = new Map<number, { count: number; pod: number; ip: string }>();
  const unlabelled = nodesWithoutObject(cluster);
  directions.forEach(({ collected, peers: hits }, d) => {
    const field = d === 0 ? "egress" : "ingress";
    const peerField = d === 0 ? "to" : "from";
    for (const rule of collected.rules) {
      if (rule.tier === TIER_NETWORK_POLICY) continue;
      const policy = cluster.clusterNetworkPolicies[rule.policy]!;
      const written = (d === 0 ? policy.egress : policy.ingress)[rule.index]!;
      const refs = writtenPeerRefs(written, collected.peerRefs, rule.peerRefStart);
      written.peers.forEach((peer, q) => {
        const path = `spec.${field}[${rule.index}].${peerField}[${q}]`;
        const diagnostic = (code: string, severity: Diagnostic["severity"], at: string, message: string) =>
          out.push({ severity, code, object: clusterObject(policy), path: `${path}.${at}`, message });
        if (peer.domainNames !== undefined)
          diagnostic(
            "undecidable-peer",
            "warning",
            "domainNames",
            "domain names cannot be resolved offline: netpol-engine treats this peer as matching nothing, so " +
              "traffic to these names is decided by the rules and tiers after this one (the table is marked undecidable)",
          );
        if (peer.nodes !== undefined) {
          const ref = refs[q]![0];
          if (
            ref === undefined ||
            collected.globalPeers[ref]?.kind !== "nodes" ||
            hits.globalPeerHit[ref] === 1
          )
            return;
          diagnostic("undecidable-peer", "warning", "nodes", nodesMessage(cluster, peer.nodes, unlabelled));
        }
        peer.networks?.forEach((text, k) => {
          const ref = refs[q]![k];
          const block = ref === undefined ? undefined : collected.globalPeers[ref];
          if (block?.kind !== "ipBlock") return;
          let hit = covered.get(ref!);
          if (hit === undefined) {
            addresses ??= podAddressIndex(cluster);
            const list = addresses.get(block.cidr.family)!;
            let lo = 0;
            let hi = list.length;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (list[mid]!.value < block.cidr.first) lo = mid + 1;
              else hi = mid;
            }
            let count = 0;
            let first = -1;
            for (let e = lo; e < list.length && list[e]!.value <= block.cidr.last; e++) {
              count++;
              if (first < 0 || list[e]!.pod < list[first]!.pod) first = e;
            }
            hit = { count, pod: first < 0 ? -1 : list[first]!.pod, ip: first < 0 ? "" : list[first]!.text };
            covered.set(ref!, hit);
          }
          if (hit.count === 0) return;
          diagnostic(
            "networks-cover-pod-ips",
            "info",
            `networks[${k}]`,
            networksCoverMessage({
              cidr: text,
              count: hit.count,
              pod: podName(cluster, hit.pod),
              ip: hit.ip,
            }),
          );
        });
      });
    }
  });
}

/** `selects-no-subject`: a cluster policy whose `spec.subject` selects no selectable (non-hostNetwork) pod. */
function emptySubjects(cluster: Cluster, universe: PodUniverse, subjects: Subjects, out: Diagnostic[]): void {
  cluster.clusterNetworkPolicies.forEach((policy, ci) => {
    if (subjects.clusterSelected[ci] !== 0) return;
    const s = policy.subject;
    const nsSel = "namespaces" in s ? s.namespaces : s.pods.namespaceSelector;
    const member = "pods" in s ? universe.podMember(universe.podSelectorId(s.pods.podSelector)) : undefined;
    let hostNetwork = 0;
    for (const ns of universe.selectedNamespaces(universe.namespaceSelectorId(nsSel)))
      for (let j = universe.nsPodStart[ns]!; j < universe.nsPodStart[ns + 1]!; j++) {
        const pod = universe.nsPods[j]!;
        if (member === undefined || member[universe.labelSetOf[pod]!] === 1) hostNetwork++;
      }
    out.push({
      severity: "warning",
      code: "selects-no-subject",
      object: clusterObject(policy),
      path: "spec.subject",
      message:
        hostNetwork === 0
          ? "spec.subject selects no pod; the policy has no effect"
          : `spec.subject selects only hostNetwork pods (${hostNetwork}), which are never subjects; the policy has no effect`,
    });
  });
}

/**
 * Diagnostics of the admin and baseline tiers (ClusterNetworkPolicy, AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy), appended to `out` unsorted; `collectDiagnostics` sorts.
 */
export function clusterPolicyDiagnostics(
  cluster: Cluster,
  universe: PodUniverse,
  subjects: Subjects,
  directions: readonly DirectionFacts[],
  out: Diagnostic[],
): void {
  if (cluster.clusterNetworkPolicies.length === 0) return;
  emptySubjects(cluster, universe, subjects, out);
  samePriorityOverlaps(cluster, subjects, directions, out);
  shadowedRules(cluster, directions, out);
  peerDiagnostics(cluster, directions, out);
}
