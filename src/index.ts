// The public API of netpol-engine, listed by name (never a wildcard re-export): what is not here is internal.

// Compile and query.
export { type CompileOptions, compile } from "./compile.ts";
export { ALLOW, DENY, PolicyTable, UNKNOWN } from "./engine/policy-table.ts";
export { deserializeTable, serializeTable } from "./engine/serialize-table.ts";
export { withClusterPolicy, withNamespace, withNode, withPod, withPolicy } from "./io/checked-updates.ts";
// Input: manifests → Cluster (src/io).
export {
  type ParsedCluster,
  type ParseOptions,
  parseCluster,
  type SafeParseResult,
  type Source,
  safeParseCluster,
} from "./io/parse-cluster.ts";
export { type FlowCase, parseFlows } from "./io/parse-flows.ts";
export { IR_VERSION, type IRDirection, type IRRule, type PolicyTableIR } from "./ir/policy-table-ir.ts";
export {
  type ClusterInput,
  compareClusterPolicies,
  labelMap,
  makeCluster,
  NAMESPACE_NAME_LABEL,
  withNamespaceLabels,
  withoutNamespace,
  withoutPod,
  withoutPolicy,
  withPodLabels,
} from "./model/cluster.ts";
// Model: domain types, profiles, errors, immutable updates.
export { withoutClusterPolicy, withoutNode } from "./model/cluster-scoped.ts";
export type {
  DecidedBy,
  Decision,
  DirectionExplanation,
  DomainNameResolver,
  Explanation,
  Flow,
  Matrix,
  MatrixFlow,
  MatrixRows,
  NearMiss,
  RuleRef,
  TierName,
  Verdict,
  WalkStep,
} from "./model/flow.ts";
export { formatIssue, InputError, type InputIssue } from "./model/input-error.ts";
export {
  CONFORMANCE_PROFILE,
  getProfile,
  IPBLOCK_EXTERNAL_PROFILE,
  PROFILES,
  type Profile,
  resolveProfile,
} from "./model/profile.ts";
export type {
  Cluster,
  ClusterAction,
  ClusterNetworkPolicy,
  ClusterPolicyKind,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  ClusterPolicySubject,
  ClusterTier,
  ContainerPort,
  Diagnostic,
  Family,
  IPBlock,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  Namespace,
  NamespacedPods,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  Node,
  Pod,
  PolicyType,
  Protocol,
} from "./model/types.ts";
export { PROTOCOLS } from "./model/types.ts";
export { normalizeCIDR } from "./net/cidr.ts";
export { normalizeIP } from "./net/ip.ts";
// Reference evaluator: the executable spec (src/reference).
export { evaluate } from "./reference/evaluate.ts";
// Selectors and addresses.
export { matchesSelector } from "./selectors/matches-selector.ts";
