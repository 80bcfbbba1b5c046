// The public API of netpol-engine, listed by name (never a wildcard re-export): what is not here is internal.

// Rendering backends (src/backends, docs/backends.md).
export type {
  Artifact,
  Backend,
  BackendCapabilities,
  BackendRenderOptions,
  Feature,
} from "./backends/contract.ts";
export { FEATURES } from "./backends/contract.ts";
export { ebpfBackend } from "./backends/ebpf/index.ts";
export { ruleLabel, usedFeatures } from "./backends/features.ts";
export { iptablesBackend } from "./backends/iptables/index.ts";
export { nftablesBackend } from "./backends/nftables/index.ts";
export {
  type RenderDelta,
  RenderError,
  type RenderOptions,
  type RenderResult,
  render,
  renderDelta,
  UnsupportedFeatureError,
} from "./backends/render.ts";
export { cidrCover, intervalCIDRs, intervalText } from "./backends/shared/addresses.ts";
export { type RenderScope, renderScope } from "./backends/shared/scope.ts";
export { sanitizeComment, shortName, stableHash } from "./backends/shared/text.ts";
// Compile and query.
export { type CompileOptions, compile } from "./compile.ts";
export { connectionList, type ListOptions } from "./engine/connlist.ts";
export { type GroupedMatrixRows, type GroupVerdict, ownerGroups } from "./engine/owner-groups.ts";
export { ALLOW, DENY, PolicyTable, UNKNOWN } from "./engine/policy-table.ts";
export { deserializeTable, serializeTable } from "./engine/serialize-table.ts";
export {
  applyChange,
  type ClusterChange,
  type CompileState,
  changedCluster,
  compileState,
} from "./incremental/compile-state.ts";
export {
  makeCluster,
  withClusterPolicy,
  withNamespace,
  withNode,
  withPod,
  withPolicy,
} from "./io/checked-updates.ts";
export { type MigrateResult, migrateLegacy } from "./io/migrate-legacy.ts";
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
  type AddressInterval,
  localIntervals,
  nodeIntervals,
  type PortSegment,
  peerIntervals,
  podLocalClass,
  podsSharingAddresses,
  type RenderGroup,
  type RenderPod,
  type RenderVerdict,
  renderGroups,
  renderPods,
  rowAllowed,
  rowSegments,
  sharedAddresses,
  type VerdictSegment,
} from "./ir/read-render.ts";
export {
  type ClusterInput,
  compareClusterPolicies,
  labelMap,
  NAMESPACE_NAME_LABEL,
  withNamespaceLabels,
  withoutNamespace,
  withoutPod,
  withoutPolicy,
  withPodLabels,
} from "./model/cluster.ts";
export { withoutClusterPolicy, withoutNode } from "./model/cluster-scoped.ts";
// Model: domain types, profiles, errors, immutable updates.
export {
  ALL_CONNECTIONS,
  type Connection,
  type ConnectionList,
  type Connections,
  connectionsText,
  type ExternalEndpoint,
  type ListEndpoint,
  type PortRanges,
  type WorkloadEndpoint,
} from "./model/connections.ts";
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
export {
  formatIssue,
  formatIssueShort,
  InputError,
  type InputIssue,
  MAX_ISSUE_PART,
} from "./model/input-error.ts";
export {
  CONFORMANCE_PROFILE,
  getProfile,
  IPBLOCK_EXTERNAL_PROFILE,
  NETPOL_ANALYZER_PROFILE,
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
  Owner,
  Pod,
  PolicyType,
  Protocol,
  WorkloadKind,
} from "./model/types.ts";
export { PROTOCOLS } from "./model/types.ts";
export { normalizeCIDR } from "./net/cidr.ts";
export { normalizeIP } from "./net/ip.ts";
// Reference evaluator: the executable spec (src/reference).
export { evaluate } from "./reference/evaluate.ts";
// Reports of the connectivity list (src/report, docs/reports.md).
export { formatCsv } from "./report/format-csv.ts";
export { formatDot } from "./report/format-dot.ts";
export { connectionJson, formatJson, formatText } from "./report/format-list.ts";
export { formatMarkdown } from "./report/format-markdown.ts";
export { renderSvg } from "./report/render-svg.ts";
// Selectors and addresses.
export { matchesSelector } from "./selectors/matches-selector.ts";
