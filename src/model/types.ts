/**
 * The domain model: plain, readonly, serialisable data. Field names follow the Kubernetes API
 * verbatim so that error paths and explanations match the YAML a user wrote.
 *
 * Everything here is already *defaulted and validated* (see `io/`): `policyTypes` is always
 * explicit, every port has a protocol, every object has a namespace, every namespace carries
 * `kubernetes.io/metadata.name`. Label maps are null-prototype objects so that keys such as
 * `constructor` are ordinary labels; always read them with `Object.hasOwn`.
 */

/** Transport protocols a NetworkPolicy port may name. */
export type Protocol = "TCP" | "UDP" | "SCTP";

/** Every protocol, in canonical order (the order used for port classes and rendered output). */
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];
/** `PROTOCOLS.includes(p)` without the array walk (the query by name asks it on every flow). */
export const isProtocol = (p: unknown): p is Protocol => p === "TCP" || p === "UDP" || p === "SCTP";

/** Address family of an IP, CIDR or flow. */
export type Family = 4 | 6;

/** A label map. Null-prototype when produced by `io/`; read with `Object.hasOwn`. */
export type Labels = Readonly<Record<string, string>>;

/** `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

/** `metav1.LabelSelector`: `matchLabels` AND `matchExpressions`; `{}` selects everything. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** A namespace. `labels` always includes `kubernetes.io/metadata.name: <name>`. */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
}

/** `spec.containers[].ports[]` of a pod; `protocol` defaulted to TCP. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/** Workload kinds whose pod template is an endpoint when the input has none of their pods. */
export type WorkloadKind =
  | "Deployment"
  | "StatefulSet"
  | "DaemonSet"
  | "ReplicaSet"
  | "ReplicationController"
  | "Job"
  | "CronJob";

/** The object that controls a pod, at the top of its `ownerReferences` chain (`Deployment web`). */
export interface Owner {
  readonly kind: string;
  readonly name: string;
}

/**
 * A pod, reduced to what network policy reads — or, with `workload` set, a workload's pod template
 * standing for the pods it makes (labels, ports and hostNetwork of the template; no addresses).
 */
export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** All container ports of all containers, in declaration order. */
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  readonly nodeName?: string;
  /** Normalised addresses: `status.podIP` first (the primary), then the rest of `status.podIPs`. */
  readonly podIPs: readonly string[];
  /** `status.hostIP`: the address of the pod's node. */
  readonly hostIP?: string;
  /**
   * `status.hostIPs` (dual-stack nodes), normalised, `hostIP` first; absent or empty when the
   * manifest gives none. The node's addresses are these plus its `Node` object's (docs/decisions.md #23).
   */
  readonly hostIPs?: readonly string[];
  /** Set on a workload's template endpoint (docs/decisions.md #53); absent on a Pod. */
  readonly workload?: WorkloadKind;
  /** A pod's top controlling owner (a ReplicaSet's Deployment, a Job's CronJob), when it has one. */
  readonly owner?: Owner;
}

/**
 * A `v1` Node, reduced to what network policy reads: its labels (for `nodes` peers of the admin
 * tiers) and its addresses (`status.addresses` of type `InternalIP` and `ExternalIP`, normalised,
 * in written order, both families).
 */
export interface Node {
  readonly name: string;
  readonly labels: Labels;
  readonly addresses: readonly string[];
}

/** `networking.k8s.io/v1` `IPBlock`, CIDRs normalised (`10.0.0.1/24` → `10.0.0.0/24`). */
export interface IPBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

/** `NetworkPolicyPeer`. Validation guarantees: at least one field; `ipBlock` excludes the others. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

/** `NetworkPolicyPort`: `protocol` defaulted to TCP; `port` absent = every port of the protocol. */
export interface NetworkPolicyPort {
  readonly protocol: Protocol;
  readonly port?: number | string;
  /** Inclusive; only with a numeric `port`, and `endPort >= port`. */
  readonly endPort?: number;
}

/**
 * One ingress rule: traffic `from` these peers to these ports. Absent/empty `from` = every peer;
 * absent/empty `ports` = every port.
 *
 * @example
 * const rule: NetworkPolicyIngressRule = { from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ protocol: "TCP", port: 8080 }] };
 */
export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}
/**
 * One egress rule: traffic `to` these peers on these ports. Absent/empty `to` = every peer;
 * absent/empty `ports` = every port.
 *
 * @example
 * const rule: NetworkPolicyEgressRule = { to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ protocol: "UDP", port: 53 }] };
 */
export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/**
 * A direction a NetworkPolicy isolates its pods in (`spec.policyTypes[]`).
 *
 * @example
 * const types: readonly PolicyType[] = ["Ingress", "Egress"];
 */
export type PolicyType = "Ingress" | "Egress";

/**
 * `NetworkPolicySpec`, defaulted: `policyTypes` explicit, `ingress` / `egress` always arrays.
 *
 * @example
 * const denyAllIngress: NetworkPolicySpec = { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [] };
 */
export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  /** Always explicit after defaulting (see `docs/semantics.md`, policyTypes). */
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly NetworkPolicyIngressRule[];
  readonly egress: readonly NetworkPolicyEgressRule[];
}

/** `networking.k8s.io/v1` NetworkPolicy. */
export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly spec: NetworkPolicySpec;
}

/** The tier a cluster-scoped policy belongs to (DESIGN §1): before or after the NetworkPolicy tier. */
export type ClusterTier = "Admin" | "Baseline";

/** What a matching admin/baseline rule does: `Accept` and `Deny` are final, `Pass` goes on to the next tier. */
export type ClusterAction = "Accept" | "Deny" | "Pass";

/** The API kind a cluster-scoped policy was written as; v1alpha1 kinds are read into the same model. */
export type ClusterPolicyKind = "ClusterNetworkPolicy" | "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy";

/** `pods` of a subject or peer: pods matching `podSelector` in namespaces matching `namespaceSelector`. */
export interface NamespacedPods {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** `spec.subject`: exactly one of the two. */
export type ClusterPolicySubject = { readonly namespaces: LabelSelector } | { readonly pods: NamespacedPods };

/**
 * A peer of an admin/baseline rule. Validation guarantees at most one field; a peer with none
 * (only fields this version does not know) *fails closed*: an `Accept` rule's such peer matches
 * nothing, a `Deny`/`Pass` rule's matches every peer (network-policy-api, "peer with no
 * recognised field"). `networks` are normalised CIDRs; `nodes`, `networks` and `domainNames`
 * appear only in egress rules.
 */
export interface ClusterPolicyPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPods;
  readonly nodes?: LabelSelector;
  readonly networks?: readonly string[];
  /** `*.example.com` matches one or more labels before `example.com`, never `example.com` itself. */
  readonly domainNames?: readonly string[];
}

/**
 * A port of an admin/baseline rule, normalised from v1alpha2 `protocols` or v1alpha1 `ports`:
 * an inclusive range of one protocol (a single port has `start === end`; absent
 * `destinationPort` is 0–65535), or a named port resolved against the destination pod (any
 * protocol the pod declares it with).
 */
export type ClusterPolicyPort =
  | { readonly protocol: Protocol; readonly start: number; readonly end: number }
  | { readonly name: string };

/** One admin/baseline rule; `peers` is `from` (ingress) or `to` (egress). */
export interface ClusterPolicyRule {
  /** `name` as written (optional in the API). */
  readonly name?: string;
  readonly action: ClusterAction;
  readonly peers: readonly ClusterPolicyPeer[];
  /** `undefined`: every port of every protocol. */
  readonly ports?: readonly ClusterPolicyPort[];
}

/**
 * A cluster-scoped policy of the admin or baseline tier: `ClusterNetworkPolicy` v1alpha2 as
 * written, `AdminNetworkPolicy` (tier Admin, `Allow` → `Accept`) and `BaselineAdminNetworkPolicy`
 * (tier Baseline, priority 1000, docs/decisions.md #24) v1alpha1 read into the same shape.
 */
export interface ClusterNetworkPolicy {
  readonly kind: ClusterPolicyKind;
  readonly name: string;
  readonly tier: ClusterTier;
  /** 0–1000, lower first. */
  readonly priority: number;
  readonly subject: ClusterPolicySubject;
  readonly ingress: readonly ClusterPolicyRule[];
  readonly egress: readonly ClusterPolicyRule[];
}

/**
 * The whole input: immutable, each list sorted canonically (namespaces by name, pods and
 * policies by namespace then name). Build it with `parseCluster` or the `with*` updates.
 */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly networkPolicies: readonly NetworkPolicy[];
  /** Sorted by name. */
  readonly nodes: readonly Node[];
  /**
   * Admin and baseline policies of every kind, in evaluation order: tier (Admin first), priority,
   * name, kind (`compareClusterPolicies`).
   */
  readonly clusterNetworkPolicies: readonly ClusterNetworkPolicy[];
}

/** A semantic oddity that is legal Kubernetes: reported, never thrown. */
export interface Diagnostic {
  readonly severity: "info" | "warning";
  /** Stable, kebab-case (`selector-matches-nothing`, `unknown-named-port`, `ignored-kind`, ...). */
  readonly code: string;
  /** `Kind namespace/name` of the object concerned, when there is one. */
  readonly object?: string;
  /** Field path inside that object, e.g. `spec.ingress[0].from[1].podSelector`. */
  readonly path?: string;
  /** The file it came from, when read from a file. */
  readonly file?: string;
  readonly message: string;
}
