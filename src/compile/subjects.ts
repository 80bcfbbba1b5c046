import type { Cluster } from "../model/types.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { PodUniverse } from "./pod-universe.ts";

/**
 * Which policies select which pods, computed once for both directions and the diagnostics.
 * A policy's `spec.podSelector` only ever selects pods of its own namespace, so each pod is tested
 * against its namespace's policies only.
 */
export interface Subjects {
  /** Per policy: its pod selector id. */
  readonly policySelector: Int32Array;
  /**
   * Per pod: its subject set — pods of one namespace with one label set are selected by the same
   * policies, so the policies are listed once per set (ascending):
   * `setPolicies[setPolicyStart[s] … [s + 1])`. One namespace of 10k pods and 10k policies that
   * all select every pod has a handful of sets, not 10⁸ pod–policy pairs.
   */
  readonly podSubjectSet: Int32Array;
  readonly setPolicyStart: Int32Array;
  readonly setPolicies: Int32Array;
  /** Per policy: how many selectable pods it selects, and how many hostNetwork pods. */
  readonly selectedPods: Int32Array;
  readonly selectedHostNetwork: Int32Array;
  /** Cluster policies (admin/baseline, evaluation order) selecting each selectable pod, ascending: `podClusterPolicies[podClusterPolicyStart[i] … [i + 1])`. */
  readonly podClusterPolicyStart: Int32Array;
  readonly podClusterPolicies: Int32Array;
  /** Per cluster policy: how many selectable pods its subject selects. */
  readonly clusterSelected: Int32Array;
}

/**
 * Per pod, the cluster policies whose subject selects it (hostNetwork pods never are subjects):
 * `namespaces` selects every pod of the matching namespaces, `pods` those of them whose labels match.
 */
function clusterSubjects(cluster: Cluster, universe: PodUniverse) {
  const policies = cluster.clusterNetworkPolicies;
  const P = cluster.pods.length;
  const perPod: number[][] = [];
  const clusterSelected = new Int32Array(policies.length);
  policies.forEach((policy, ci) => {
    const subject = policy.subject;
    const nsSel = "namespaces" in subject ? subject.namespaces : subject.pods.namespaceSelector;
    const podMember =
      "pods" in subject ? universe.podMember(universe.podSelectorId(subject.pods.podSelector)) : undefined;
    for (const ns of universe.selectedNamespaces(universe.namespaceSelectorId(nsSel)))
      for (let j = universe.nsPodStart[ns]!; j < universe.nsPodStart[ns + 1]!; j++) {
        const pod = universe.nsPods[j]!;
        if (cluster.pods[pod]!.hostNetwork) continue;
        if (podMember !== undefined && podMember[universe.labelSetOf[pod]!] !== 1) continue;
        (perPod[pod] ??= []).push(ci);
        clusterSelected[ci]!++;
      }
  });
  const podClusterPolicyStart = new Int32Array(P + 1);
  for (let i = 0; i < P; i++)
    podClusterPolicyStart[i + 1] = podClusterPolicyStart[i]! + (perPod[i]?.length ?? 0);
  const podClusterPolicies = new Int32Array(podClusterPolicyStart[P]!);
  for (let i = 0; i < P; i++)
    if (perPod[i] !== undefined) podClusterPolicies.set(perPod[i]!, podClusterPolicyStart[i]!);
  return { podClusterPolicyStart, podClusterPolicies, clusterSelected };
}

export function buildSubjects(cluster: Cluster, universe: PodUniverse): Subjects {
  const policies = cluster.networkPolicies;
  const pods = cluster.pods;
  const N = universe.nsPodStart.length - 1;
  const policySelector = new Int32Array(policies.length);
  // Policies per namespace (CSR, ascending: policies are visited in order).
  const nsPolicyStart = new Int32Array(N + 1);
  const policyNs = new Int32Array(policies.length);
  policies.forEach((policy, pi) => {
    policySelector[pi] = universe.podSelectorId(policy.spec.podSelector);
    const ns = universe.namespaceOf.get(policy.namespace)!;
    policyNs[pi] = ns;
    nsPolicyStart[ns + 1]!++;
  });
  for (let n = 0; n < N; n++) nsPolicyStart[n + 1]! += nsPolicyStart[n]!;
  const nsPolicies = new Int32Array(policies.length);
  const fill = nsPolicyStart.slice(0, N);
  for (let pi = 0; pi < policies.length; pi++) nsPolicies[fill[policyNs[pi]!]!++] = pi;

  const selectedPods = new Int32Array(policies.length);
  const selectedHostNetwork = new Int32Array(policies.length);
  const setKeys = new IntSeqInterner();
  const podSubjectSet = new Int32Array(pods.length);
  const setPolicyStart: number[] = [0];
  const setPodCount: number[] = [];
  const setHostCount: number[] = [];
  let out = new Int32Array(16);
  let n = 0;
  for (let i = 0; i < pods.length; i++) {
    const ns = universe.podNamespace[i]!;
    const set = universe.labelSetOf[i]!;
    setKeys.push(ns);
    setKeys.push(set);
    const before = setKeys.size;
    const id = setKeys.commit();
    podSubjectSet[i] = id;
    if (id === before) {
      for (let j = nsPolicyStart[ns]!; j < nsPolicyStart[ns + 1]!; j++) {
        const pi = nsPolicies[j]!;
        if (universe.podMember(policySelector[pi]!)[set] !== 1) continue;
        if (n === out.length) {
          const next = new Int32Array(out.length * 2);
          next.set(out);
          out = next;
        }
        out[n++] = pi;
      }
      setPolicyStart.push(n);
      setPodCount.push(0);
      setHostCount.push(0);
    }
    if (pods[i]!.hostNetwork) setHostCount[id]!++;
    else setPodCount[id]!++;
  }
  for (let id = 0; id < setPodCount.length; id++)
    for (let j = setPolicyStart[id]!; j < setPolicyStart[id + 1]!; j++) {
      selectedPods[out[j]!]! += setPodCount[id]!;
      selectedHostNetwork[out[j]!]! += setHostCount[id]!;
    }
  return {
    policySelector,
    podSubjectSet,
    setPolicyStart: Int32Array.from(setPolicyStart),
    setPolicies: out.subarray(0, n),
    selectedPods,
    selectedHostNetwork,
    ...clusterSubjects(cluster, universe),
  };
}
