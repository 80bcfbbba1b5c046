import type { Profile } from "../model/profile.ts";
import type { Family, Protocol } from "../model/types.ts";

/** Bumped on any change to the meaning of a field. Backends check it. */
export const IR_VERSION = 3;

/** Direction index used throughout the IR: 0 = egress (at the source), 1 = ingress (at the destination). */
export type DirectionIndex = 0 | 1;
export const EGRESS: DirectionIndex = 0;
export const INGRESS: DirectionIndex = 1;

/**
 * Address variant of a flow, used to index per-family arrays: 0 = IPv4, 1 = IPv6, 2 = no address
 * (two address-less pods, decided on labels only; see docs/decisions.md #8).
 */
export type Variant = 0 | 1 | 2;
export const VARIANTS = 3;

/** Endpoint kinds. */
export const KIND_POD = 0; // a selectable pod: policies may select it and its peers by label
export const KIND_ADDRESS = 1; // an address class: external addresses, node addresses

/** Tiers of `IRRule.tier`, in evaluation order. */
export const TIER_ADMIN = 0;
export const TIER_NETWORK_POLICY = 1;
export const TIER_BASELINE = 2;
/** Actions of `IRRule.action`: Accept (admin/baseline; a NetworkPolicy rule allows), Deny, Pass. */
export const ACTION_ACCEPT = 0;
export const ACTION_DENY = 1;
export const ACTION_PASS = 2;

/** Verdicts of an outcome (`PolicyTableIR.outcomes`). */
export const V_DENY = 0;
export const V_ALLOW = 1;
/** NetworkPolicy-isolated, no global rule allowed: a same-namespace local rule may still allow, else deny. */
export const V_OPEN = 3;
/** Outcome 0: open, no rule decided and none passed (an isolated subject's cells no rule reaches; row 0). */
export const OUTCOME_OPEN = 0;
/** Outcome 1: allowed by default, no rule decided and none passed. */
export const OUTCOME_DEFAULT = 1;

/**
 * A rule, for provenance: its tier, its policy (a NetworkPolicy index for tier 1, a cluster policy
 * index otherwise), its index in the policy's `ingress`/`egress` list, its name and action.
 */
export interface IRRule {
  readonly tier: number;
  readonly action: number;
  readonly policy: number;
  readonly index: number;
  /** Written name (admin/baseline rules that have one). */
  readonly name?: string;
  /**
   * Its `domainNames` patterns (egress admin/baseline Accept rules): the cells treat them as
   * matching nothing; `decide` resolves them, or answers unknown, where the walk reaches them.
   */
  readonly domainNames?: readonly string[];
  /** Matches every peer (`from`/`to` absent or empty; a fail-closed Deny/Pass peer). */
  readonly allPeers?: boolean;
  /** Its global peers (see `peerClassStart`) and local peers (see `localClassPeerStart`), ascending. */
  readonly globalPeers: readonly number[];
  readonly localPeers: readonly number[];
  /** Its ports: inclusive `[protocol, first, last]` ranges and `[protocol, name]` named ports; absent: every port. */
  readonly ports?: readonly (readonly [Protocol, number, number] | readonly [Protocol, string])[];
}

/** An admin or baseline policy, in evaluation order (tier, priority, name, kind). */
export interface IRClusterPolicy {
  readonly kind: string;
  readonly name: string;
  readonly tier: "Admin" | "Baseline";
  readonly priority: number;
}

/** One address class: an inclusive range of addresses of one family (decimal strings of the bounds). */
export interface IRAddressClass {
  readonly family: Family;
  readonly first: string;
  readonly last: string;
}

/** The per-direction half of the table. */
export interface IRDirection {
  /** ruleId − 1 → rule. Rule ids are 1-based so that 0 can mean "no rule" in rows. */
  readonly rules: readonly IRRule[];
  /** Per endpoint: group id of the endpoint as the *subject* of this direction; 0 = not selected (not isolated). */
  readonly group: Int32Array;
  /** Per group (group 0: none): sorted NetworkPolicy indices that select its members for this direction. */
  readonly groupPolicies: readonly (readonly number[])[];
  /** Per group: the cluster policies (indices, evaluation order) selecting its members that have rules in this direction. */
  readonly groupClusterPolicies: readonly (readonly number[])[];
  /** Per group: 1 when a NetworkPolicy isolates its members for this direction. */
  readonly groupIsolated: Uint8Array;
  /** Per group: its rule ids in evaluation order (admin, NetworkPolicy, baseline); outcome ordinal o means rule `groupRules[g][o − 1]`. */
  readonly groupRules: readonly (readonly number[])[];
  /**
   * Per group: its global block — ≥ 0: dense, the offset of its row in `globalCells` (one row id
   * per global class); < 0: sparse block `s = −1 − globalBase[g]`, whose classes
   * `sparseClass[sparseStart[s] … sparseStart[s+1])` (ascending) have rows `sparseRow[…]` and all
   * others `sparseDefault[s]`. Group 0 is a block of default-allow rows.
   */
  readonly globalBase: Int32Array;
  /** Per group: offset of its row in `localCells`. Group 0 and groups without local rules point at a zero block. */
  readonly localBase: Int32Array;
  /** Number of global peer classes (the width of a global row). */
  readonly globalClassCount: number;
  /** Per (variant × endpoint): global peer class of the endpoint as a *peer*, −1 when it has no address of that variant. */
  readonly globalClass: Int32Array;
  /**
   * Address-less pods whose pod range leaves an ipBlock / `networks` match open (docs/decisions.md
   * #46-#48), for pod `e` and family variant `f` (0 IPv4, 1 IPv6): `joinClass[f·P + e]`
   * (P = `pods.length`) is a class whose cells allow where the pod at *some* address of that
   * family of the range would be allowed; −1 when its variant-2 class decides (or the range has no
   * address of `f`). Its variant-2 class `globalClass[2·E + e]` then allows only where it would be
   * allowed at *every* address of the range (the meet).
   */
  readonly joinClass: Int32Array;
  /** Global peer `p` matches the classes `peerClasses[peerClassStart[p] … peerClassStart[p+1])`. */
  readonly peerClassStart: Int32Array;
  readonly peerClasses: Int32Array;
  /** Local class `l` of namespace `n` is entry `localStart[n] + l`; entry `e` matches local peers `localClassPeers[localClassPeerStart[e] …)`. */
  readonly localStart: Int32Array;
  readonly localClassPeerStart: Int32Array;
  readonly localClassPeers: Int32Array;
  /** Per endpoint: local peer class within its namespace, −1 for addresses. */
  readonly localClass: Int32Array;
  /** Rows of port-row ids, `globalBase[g] + globalClass` (dense blocks). */
  readonly globalCells: Int32Array;
  readonly sparseDefault: Int32Array;
  readonly sparseStart: Int32Array;
  readonly sparseClass: Int32Array;
  readonly sparseRow: Int32Array;
  /** Rows of port-row ids, `localBase[g] + localClass`; only consulted when source and destination share a namespace. */
  readonly localCells: Int32Array;
}

/**
 * The compiled decision structure: plain data (numbers, strings, typed arrays), no functions,
 * no references into the model. Engine queries and backends read only this.
 *
 * A verdict for direction d, subject s, peer p, port class k, variant v (read through
 * `ir/read-table.ts`, never decoded elsewhere; docs/architecture.md "IR v3"):
 *   g = group[s]
 *   o = outcome of row globalCells[globalBase[g] + globalClass[v·E + p]] at k   (runs; an outcome id)
 *   verdict(outcomes[3o]): allow / deny are final; open → if s and p share a namespace and
 *   the local row localCells[localBase[g] + localClass[p]] at k is an allow outcome, allow; else deny.
 */
export interface PolicyTableIR {
  readonly version: number;
  readonly profile: Profile;
  /**
   * Display name of every pod or workload endpoint, canonical order; pod i is endpoint i:
   * `namespace/name`, or `namespace/name[Kind]` when two endpoints of a namespace share a name.
   */
  readonly pods: readonly string[];
  /** Per pod: `Pod`, or the workload kind of a template endpoint (`Deployment`, …). */
  readonly endpointKinds: readonly string[];
  /** Per pod: `Kind/name` of its top controlling owner, `""` when none. */
  readonly podOwners: readonly string[];
  /**
   * Owners' names and shared bare names, sorted by key: `[key, pod]` with keys `ns/owner[kind]`
   * (kind lower-cased) or `ns/name` (an owner's name, or a name several kinds share: pod −1,
   * ambiguous). Each endpoint's own `ns/name[Kind]` follows from `pods` and `endpointKinds`.
   */
  readonly aliases: readonly (readonly [string, number])[];
  /** Per pod: its normalised addresses (`podIPs`, primary first; a hostNetwork pod: all its node's addresses). */
  readonly podAddresses: readonly (readonly string[])[];
  /** Per pod: its declared named container ports `[name, protocol, number]` (for flows that name a port). */
  readonly podNamedPorts: readonly (readonly (readonly [string, Protocol, number])[])[];
  readonly namespaces: readonly string[];
  /** `namespace/name` of every NetworkPolicy, canonical order. */
  readonly policies: readonly string[];
  /** Admin and baseline policies, evaluation order. */
  readonly clusterPolicies: readonly IRClusterPolicy[];
  /** Outcome `o` is `(verdict, rule ordinal, pass ordinal)` at `3o`; ordinals are group-relative (0: none). */
  readonly outcomes: Int32Array;
  /** 1 when some rule has `domainNames` peers (they match nothing here; `decide` answers unknown where they could). */
  readonly undecidable: number;
  /**
   * The pod ranges given to `compile` (`podCIDRs`, canonical CIDR text), where address-less pods
   * live; empty when not given (they may then have any address of either family).
   */
  readonly podCIDRs: readonly string[];
  /** Address classes; class j is endpoint `pods.length + j`. IPv4 classes first, each family in address order. */
  readonly addressClasses: readonly IRAddressClass[];
  /** Per endpoint: KIND_POD or KIND_ADDRESS. */
  readonly kind: Uint8Array;
  /** Per endpoint: namespace index, −1 for addresses. */
  readonly namespace: Int32Array;
  /** Per endpoint: primary variant (pods: of `podIPs[0]`, 2 when none; addresses: their family). */
  readonly primaryVariant: Uint8Array;
  /** Per endpoint: bit v set when it has an address of variant v (bit 2 = address-less pod). */
  readonly variantMask: Uint8Array;
  /** Node names (`Node` objects and nodes pods name; a node known only by a host address is `?<address>`). */
  readonly nodes: readonly string[];
  /** Per endpoint: its node — a pod's, a hostNetwork pod's, the node whose address an address class is; −1 none. */
  readonly node: Int32Array;
  /** Port classes: per protocol, the sorted first port of each class; class c covers [starts[c], starts[c+1]). */
  readonly portClassStarts: Readonly<Record<Protocol, readonly number[]>>;
  /** Index of the first class of each protocol in the combined port-class space. */
  readonly portClassOffset: Readonly<Record<Protocol, number>>;
  readonly portClassCount: number;
  /**
   * Port rows as runs of outcome ids: row r's runs are `rowStart[r] … rowStart[r+1] − 1`; run i
   * covers port classes `runClass[i]` up to the next run's class (the row's last run: to the last
   * class) with outcome `runOutcome[i]`. A row's first run starts at class 0. Row 0 is all
   * `OUTCOME_OPEN`. A row costs its runs, not the port-class count.
   */
  readonly rowStart: Int32Array;
  readonly runClass: Int32Array;
  readonly runOutcome: Int32Array;
  readonly egress: IRDirection;
  readonly ingress: IRDirection;
}
