import type { Family, Protocol } from "./types.ts";

/**
 * A flow to decide. `from` / `to` are `namespace/name` of a pod, or an IP address (v4 or v6).
 * `port` is the destination port: a number, or a name resolved against the destination pod's
 * declared container ports (name and protocol must both match). `protocol` defaults to TCP.
 */
export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly port: number | string;
  readonly protocol?: Protocol;
}

/** Three-valued: `unknown` when the input does not determine the answer (always with a reason). */
export type Verdict = "allow" | "deny" | "unknown";

/**
 * What `domainNames` peers (ClusterNetworkPolicy egress) are decided with: the DNS names an
 * address has (canonical text, e.g. `"203.0.113.7"`, `"2001:db8::1"`), `[]` for none, `undefined`
 * when not known (the flow is then `unknown`, as without a resolver). Called by `decide`,
 * `explain` and `check`, never by `allowsIndex` (docs/decisions.md #31).
 *
 * @example
 * const names = new Map([["203.0.113.7", ["api.example.com"]]]);
 * const table = compile(cluster, { domainNames: (ip) => names.get(ip) ?? [] });
 */
export type DomainNameResolver = (address: string) => readonly string[] | undefined;

/** The answer for a flow. */
export interface Decision {
  readonly verdict: Verdict;
  /** Why the answer is `unknown`, or a short note on what decided it. */
  readonly reason?: string;
  /** The flow's address family, when it has one. */
  readonly family?: Family;
}

/** Which stage of the per-direction pipeline decided (DESIGN §1). */
export type DecidedBy =
  | "self" // a pod reaching itself (profile allowSelf)
  | "own-node" // ingress from the destination pod's node (profile allowFromOwnNode)
  | "not-a-pod" // the endpoint is an IP / hostNetwork pod: it has no policies of its own
  | "admin" // an Admin-tier rule (ClusterNetworkPolicy / AdminNetworkPolicy) accepted or denied it
  | "network-policy" // isolated by NetworkPolicy: allowed iff a rule matched
  | "baseline" // a Baseline-tier rule (ClusterNetworkPolicy / BaselineAdminNetworkPolicy) accepted or denied it
  | "default" // no policy decided for this direction: allowed
  | "unknown"; // could not be decided (see reason)

/** A rule that matched: the policy and the rule's field path inside it. */
export interface RuleRef {
  /** `namespace/name` of a NetworkPolicy; `cnp/name`, `anp/name`, `banp/name` of a cluster-scoped policy. */
  readonly policy: string;
  /** e.g. `spec.ingress[1]`. */
  readonly rule: string;
}

/** The tier names of the per-direction walk (DESIGN §1). */
export type TierName = "Admin" | "NetworkPolicy" | "Baseline" | "Default";

/**
 * One step of a direction's tier walk: a rule that matched (Pass on the way; the deciding Accept,
 * Deny or NetworkPolicy Allow), or how the walk ended without one — `Deny` by NetworkPolicy
 * isolation with no rule matched, `Allow` by default.
 */
export interface WalkStep {
  readonly tier: TierName;
  readonly action: "Accept" | "Deny" | "Pass" | "Allow";
  /** The policy (as in `RuleRef.policy`); for an isolation deny, the isolating NetworkPolicies, comma-separated. */
  readonly policy?: string;
  /** Admin/baseline policies: their priority. */
  readonly priority?: number;
  /** The rule's field path, e.g. `spec.egress[2]`. */
  readonly rule?: string;
  /** The rule's written name (admin/baseline rules). */
  readonly name?: string;
}

/** A rule that would have allowed the flow but for its peer or its port. */
export interface NearMiss {
  readonly tier: TierName;
  readonly policy: string;
  readonly rule: string;
  readonly name?: string;
  /** What did not match. */
  readonly missed: "port" | "peer";
  /** The ports the rule allows (`TCP 80`, `TCP 8000-8999`, `TCP http→8080` resolved on the destination, `all ports`). */
  readonly ports: string;
}

/** One direction of a flow: egress at the source, ingress at the destination. */
export interface DirectionExplanation {
  readonly direction: "egress" | "ingress";
  /** The endpoint whose policies apply in this direction (`ns/name` or IP). */
  readonly endpoint: string;
  readonly verdict: Verdict;
  readonly decidedBy: DecidedBy;
  /** Whether some NetworkPolicy selects the endpoint for this direction. */
  readonly isolated: boolean;
  /** The NetworkPolicies (`ns/name`) that select it for this direction, sorted. */
  readonly policies: readonly string[];
  /** The rule that decided an allow (the first NetworkPolicy rule in canonical order, or an Accept rule). */
  readonly allowedBy?: RuleRef;
  /** The rule that decided a deny (an admin/baseline Deny rule). */
  readonly deniedBy?: RuleRef;
  /** The tier walk that led to the verdict (absent when a profile rule or a non-pod endpoint decided). */
  readonly walk?: readonly WalkStep[];
  /** For a deny: the allowing rules (of the tiers the walk reached) whose peer matched but not the port, or the port but not the peer. */
  readonly nearMisses?: readonly NearMiss[];
  /** One human sentence. */
  readonly reason: string;
}

/** A decision with its reasons, per direction. */
export interface Explanation {
  readonly from: string;
  readonly to: string;
  /** The numeric destination port (a named port resolved), when it could be resolved. */
  readonly port?: number;
  readonly protocol: Protocol;
  readonly family?: Family;
  readonly verdict: Verdict;
  readonly reason?: string;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
}

/** One cell of a reachability matrix. */
export interface MatrixFlow {
  readonly from: string;
  readonly to: string;
  readonly verdict: Verdict;
}

/**
 * The reachability matrix one source row at a time, for clusters whose full matrix is too big to
 * hold (10 000 pods are 10⁸ pairs). `row(src)` gives the verdicts from pod `src` to every pod in
 * canonical order; the array is reused by the next call, so copy it to keep it.
 */
export interface MatrixRows {
  readonly port: number | string;
  readonly protocol: Protocol;
  readonly profile: string;
  /** Pods in canonical order (`namespace/name`); row and column `i` are pod `i`. */
  readonly pods: readonly string[];
  row(src: number): readonly Verdict[];
}

/** Every ordered pair of pods (self pairs included), `from` then `to` in canonical pod order (namespace, then name). */
export interface Matrix {
  readonly port: number | string;
  readonly protocol: Protocol;
  readonly profile: string;
  /** Pods in canonical order (`namespace/name`). */
  readonly pods: readonly string[];
  readonly flows: readonly MatrixFlow[];
}
