// Model builders shared by the compile tests of the admin/baseline tiers.
import type { ClusterNetworkPolicy, ClusterPolicyRule, LabelSelector, Pod } from "../../src/model/types.ts";

/** Pod `ns/name` with one address, labelled `app: name`; `extra` overrides any field (labels too). */
export const pod = (ref: string, ip: string, extra: Partial<Pod> = {}): Pod => {
  const [namespace, name] = ref.split("/") as [string, string];
  return { namespace, name, labels: { app: name }, ports: [], hostNetwork: false, podIPs: [ip], ...extra };
};

/** A namespaces selector by name: a subject or a peer. */
export const ns = (name: string): { readonly namespaces: LabelSelector } => ({
  namespaces: { matchLabels: { "kubernetes.io/metadata.name": name } },
});

/** A cluster policy of `tier`/`priority` with these rules (ClusterNetworkPolicy unless `kind` says otherwise). */
export const cnp = (
  name: string,
  tier: "Admin" | "Baseline",
  priority: number,
  subject: ClusterNetworkPolicy["subject"],
  rules: { ingress?: ClusterPolicyRule[]; egress?: ClusterPolicyRule[] },
  kind: ClusterNetworkPolicy["kind"] = "ClusterNetworkPolicy",
): ClusterNetworkPolicy => ({
  kind,
  name,
  tier,
  priority,
  subject,
  ingress: rules.ingress ?? [],
  egress: rules.egress ?? [],
});
