import { stringify } from "yaml";
import type { InputIssue } from "../model/input-error.ts";
import type {
  ClusterNetworkPolicy,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  LabelSelector,
} from "../model/types.ts";
import { CNP_V1ALPHA2 } from "./cluster-policy-read.ts";

// Admin/baseline policies of the model → `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy
// manifests (docs/migrating-anp-to-cnp.md): AdminNetworkPolicy → tier Admin at its priority,
// BaselineAdminNetworkPolicy → tier Baseline at priority 1000 (docs/decisions.md #24), `Allow` →
// `Accept` (already so in the model), ports → `protocols`. A ClusterNetworkPolicy is written back
// as read. What v1alpha2 cannot say is reported, never dropped.

/** A manifest as plain JSON data (key order is the output order). */
export type Manifest = { readonly [key: string]: unknown };

/** The converted manifests, in evaluation order, or the issues that stop the conversion. */
export interface ConvertResult {
  readonly manifests: readonly Manifest[];
  readonly issues: readonly InputIssue[];
}

/** A label selector as a plain manifest object (null-prototype label maps copied into plain ones). */
export const selector = (s: LabelSelector): Manifest => {
  const out: Record<string, unknown> = {};
  if (s.matchLabels !== undefined) out.matchLabels = Object.fromEntries(Object.entries(s.matchLabels));
  if (s.matchExpressions !== undefined)
    out.matchExpressions = s.matchExpressions.map((e) => ({
      key: e.key,
      operator: e.operator,
      ...(e.values === undefined ? {} : { values: [...e.values] }),
    }));
  return out;
};

const pods = (p: { namespaceSelector: LabelSelector; podSelector: LabelSelector }): Manifest => ({
  namespaceSelector: selector(p.namespaceSelector),
  podSelector: selector(p.podSelector),
});

function peer(p: ClusterPolicyPeer): Manifest | undefined {
  if (p.namespaces !== undefined) return { namespaces: selector(p.namespaces) };
  if (p.pods !== undefined) return { pods: pods(p.pods) };
  if (p.nodes !== undefined) return { nodes: selector(p.nodes) };
  if (p.networks !== undefined) return { networks: [...p.networks] };
  if (p.domainNames !== undefined) return { domainNames: [...p.domainNames] };
  return undefined; // the fail-closed empty peer: v1alpha2 has no way to write it
}

function protocol(p: ClusterPolicyPort): Manifest | undefined {
  if ("name" in p) return { destinationNamedPort: p.name };
  if (p.start < 1 || p.end > 65535 || p.start > p.end) return undefined;
  const destinationPort = p.start === p.end ? { number: p.start } : { range: { start: p.start, end: p.end } };
  return { [p.protocol.toLowerCase()]: { destinationPort } };
}

/**
 * v1alpha2 manifests for the policies (cluster.clusterNetworkPolicies, any kind), in the given
 * order. Not convertible, each an issue naming the policy and field: a fail-closed peer (v1alpha2
 * peers must set a field), more than 25 rules per direction or 25 peers or ports per rule (the
 * v1alpha1 limit is 100), a port outside 1–65535, and two policies that would get one name.
 *
 * @example
 * toClusterNetworkPolicies(parseCluster(sources).cluster.clusterNetworkPolicies).manifests[0]?.kind; // "ClusterNetworkPolicy"
 */
export function toClusterNetworkPolicies(policies: readonly ClusterNetworkPolicy[]): ConvertResult {
  const manifests: Manifest[] = [];
  const issues: InputIssue[] = [];
  const owner = new Map<string, ClusterNetworkPolicy>();
  const max = CNP_V1ALPHA2.maxItems;
  for (const p of policies) {
    const object = `${p.kind} ${p.name}`;
    const bad = (path: string, message: string): void => {
      issues.push({ code: "not-convertible", object, path, message });
    };
    const before = owner.get(p.name);
    // The policy already written as a ClusterNetworkPolicy keeps its name; a converted one clashes.
    if (before !== undefined) {
      const [kept, clash] =
        before.kind === "ClusterNetworkPolicy" || p.kind !== "ClusterNetworkPolicy"
          ? [before, p]
          : [p, before];
      issues.push({
        code: "not-convertible",
        object: `${clash.kind} ${clash.name}`,
        path: "metadata.name",
        message: `its ClusterNetworkPolicy would have the name of ${kept.kind} ${kept.name}; rename one of them`,
      });
      continue;
    }
    owner.set(p.name, p);
    const rules = (dir: "ingress" | "egress"): Manifest[] => {
      const list: readonly ClusterPolicyRule[] = p[dir];
      if (list.length > max)
        bad(`spec.${dir}`, `${list.length} ${dir} rules; a ClusterNetworkPolicy has at most ${max}`);
      const peersKey = dir === "ingress" ? "from" : "to";
      return list.map((rule, i) => {
        const at = `spec.${dir}[${i}]`;
        if (rule.peers.length > max)
          bad(`${at}.${peersKey}`, `${rule.peers.length} peers; at most ${max} per rule`);
        if ((rule.ports?.length ?? 0) > max)
          bad(`${at}.ports`, `${rule.ports!.length} ports; at most ${max} per rule`);
        const peers = rule.peers.map((x, j) => {
          const m = peer(x);
          if (m === undefined)
            bad(
              `${at}.${peersKey}[${j}]`,
              "a fail-closed peer (no field this version reads) has no v1alpha2 form",
            );
          return m;
        });
        const protocols = rule.ports?.map((x, j) => {
          const m = protocol(x);
          if (m === undefined) bad(`${at}.ports[${j}]`, "a port range outside 1-65535 has no v1alpha2 form");
          return m;
        });
        return {
          ...(rule.name === undefined ? {} : { name: rule.name }),
          action: rule.action,
          [peersKey]: peers,
          ...(protocols === undefined ? {} : { protocols }),
        };
      });
    };
    const ingress = rules("ingress");
    const egress = rules("egress");
    const subject =
      "namespaces" in p.subject
        ? { namespaces: selector(p.subject.namespaces) }
        : { pods: pods(p.subject.pods) };
    manifests.push({
      apiVersion: CNP_V1ALPHA2.apiVersion,
      kind: "ClusterNetworkPolicy",
      metadata: { name: p.name },
      spec: {
        tier: p.tier,
        priority: p.priority,
        subject,
        ...(ingress.length === 0 ? {} : { ingress }),
        ...(egress.length === 0 ? {} : { egress }),
      },
    });
  }
  return issues.length > 0 ? { manifests: [], issues } : { manifests, issues };
}

/**
 * Manifests as multi-document YAML, written as YAML 1.1 (what kubectl and `parseCluster` read):
 * a label value such as `yes`, `on` or `012` is quoted, so it reads back as the same string.
 *
 * @example
 * manifestsToYaml([{ kind: "A" }, { kind: "B" }]); // "kind: A\n---\nkind: B\n"
 */
export function manifestsToYaml(manifests: readonly Manifest[]): string {
  return manifests.map((m) => stringify(m, { version: "1.1", lineWidth: 0 })).join("---\n");
}
