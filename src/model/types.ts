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

/** A pod, reduced to what network policy reads. */
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

/**
 * The whole input: immutable, each list sorted canonically (namespaces by name, pods and
 * policies by namespace then name). Build it with `parseCluster` or the `with*` updates.
 */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly networkPolicies: readonly NetworkPolicy[];
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
