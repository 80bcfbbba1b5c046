// The seed's legacy API as plain types and names (no zod: they are part of the public type graph
// through migrateLegacy, and a consumer's type check must not reach zod's declarations).
import type { LabelSelector, Labels, NetworkPolicyPeer, NetworkPolicyPort } from "../model/types.ts";

/** The alpha group's apiVersion. */
export const ALPHA_API_VERSION = "net.alpha.kubernetes.io/v1alpha1";
/** The beta NetworkPolicy's apiVersion (1.3–1.6 semantics, docs/decisions.md #43). */
export const BETA_API_VERSION = "extensions/v1beta1";

/** Which legacy form a policy was written in. */
export type LegacyForm = "alpha" | "beta";

/** One allow rule of a legacy policy, as a v1 ingress rule (absent `from` / `ports`: every peer / port). */
export interface LegacyRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/** A legacy NetworkPolicy, normalised. */
export interface LegacyPolicy {
  readonly form: LegacyForm;
  readonly namespace: string;
  /** Whether `metadata.namespace` was written (migrate writes it back only then). */
  readonly namespaceWritten: boolean;
  readonly name: string;
  readonly labels?: Labels;
  readonly podSelector: LabelSelector;
  readonly rules: readonly LegacyRule[];
}

/** The 1.2 alpha annotation: `on` isolates the namespace, `off` does not. */
export const ALPHA_ISOLATION_ANNOTATION = "net.alpha.kubernetes.io/network-isolation";
/** The 1.3–1.6 beta annotation: JSON `{"ingress": {"isolation": "DefaultDeny"}}` isolates. */
export const BETA_POLICY_ANNOTATION = "net.beta.kubernetes.io/network-policy";

/** What a Namespace's annotations say; a field is absent when its annotation is. */
export interface Isolation {
  readonly alpha?: boolean;
  readonly beta?: boolean;
}
