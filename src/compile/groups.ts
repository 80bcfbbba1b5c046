import { KIND_POD, TIER_ADMIN } from "../ir/policy-table-ir.ts";
import type { CollectedDirection } from "./collect-rules.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import type { EndpointLayout } from "./layout-endpoints.ts";
import type { NamedVectors } from "./named-ports.ts";
import type { Subjects } from "./subjects.ts";

/** Subjects of one direction grouped by what applies to them. */
export interface Groups {
  /** Per endpoint: its group (0: no policy of any tier selects it). */
  readonly group: Int32Array;
  readonly policies: (readonly number[])[];
  readonly clusterPolicies: (readonly number[])[];
  readonly isolated: Uint8Array;
  /** Rule ids in evaluation order: admin, NetworkPolicy, baseline. */
  readonly rules: (readonly number[])[];
  readonly named: number[];
  readonly ns: number[];
}

/**
 * Group one direction's subjects: pods with the same namespace, the same selecting policies of
 * every tier (cluster policies only when they have rules in this direction) and, for ingress,
 * the same named ports behave alike. Key: [namespace, named vector, list id of the NetworkPolicies
 * (per subject set), …−(cluster policy + 1)]; group 0 is the sentinel for pods nothing selects.
 */
export function buildGroups(
  layout: EndpointLayout,
  subjects: Subjects,
  collected: CollectedDirection,
  named: NamedVectors,
  egress: boolean,
): Groups {
  const P = layout.podCount;
  const group = new Int32Array(layout.count);
  const out: Groups = {
    group,
    policies: [[]],
    clusterPolicies: [[]],
    isolated: new Uint8Array(0),
    rules: [[]],
    named: [0],
    ns: [-1],
  };
  const isolated: number[] = [0];
  const keys = new IntSeqInterner();
  keys.internList([-1]); // group 0
  const applies = collected.appliesTo;
  const clusterRules = collected.clusterPolicyRules;
  // Per subject set (subjects.ts): the policies of it that have rules in this direction, as a
  // list id — computed once per set, so a pod costs its cluster policies, not its policies.
  const lists = new IntSeqInterner();
  const listOfSet = new Int32Array(subjects.setPolicyStart.length - 1).fill(-1);
  for (let pod = 0; pod < P; pod++) {
    if (layout.kind[pod] !== KIND_POD) continue;
    const set = subjects.podSubjectSet[pod]!;
    let list = listOfSet[set]!;
    if (list < 0) {
      for (let j = subjects.setPolicyStart[set]!; j < subjects.setPolicyStart[set + 1]!; j++) {
        const pi = subjects.setPolicies[j]!;
        if (applies[pi]) lists.push(pi);
      }
      listOfSet[set] = list = lists.commit();
    }
    const vector = egress ? 0 : named.vectorOf[pod]!;
    keys.push(layout.namespace[pod]!);
    keys.push(vector);
    keys.push(list);
    for (let j = subjects.podClusterPolicyStart[pod]!; j < subjects.podClusterPolicyStart[pod + 1]!; j++) {
      const ci = subjects.podClusterPolicies[j]!;
      if (clusterRules[ci]!.length > 0) keys.push(-1 - ci);
    }
    if (keys.pending === 3 && lists.length(list) === 0) {
      keys.discard();
      continue;
    }
    const before = keys.size;
    const g = keys.commit();
    group[pod] = g;
    if (g !== before) continue;
    const pols = lists.toArray(list);
    const cps = keys.toArray(g, 3).map((x) => -1 - x);
    const admin: number[] = [];
    const baseline: number[] = [];
    for (const ci of cps) {
      const ids = clusterRules[ci]!;
      const into = collected.rules[ids[0]! - 1]!.tier === TIER_ADMIN ? admin : baseline;
      for (const id of ids) into.push(id);
    }
    const ruleIds = admin;
    for (const pi of pols) for (const id of collected.policyRules[pi]!) ruleIds.push(id);
    for (const id of baseline) ruleIds.push(id);
    out.policies.push(pols);
    out.clusterPolicies.push(cps);
    isolated.push(pols.length > 0 ? 1 : 0);
    out.rules.push(ruleIds);
    out.named.push(vector);
    out.ns.push(layout.namespace[pod]!);
  }
  return { ...out, isolated: Uint8Array.from(isolated) };
}
