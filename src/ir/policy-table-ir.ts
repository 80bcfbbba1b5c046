import type { Profile } from "../model/profile.ts";
import type { Family, Protocol } from "../model/types.ts";

/** Bumped on any change to the meaning of a field. Backends check it. */
export const IR_VERSION = 1;

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

/** A rule, for provenance: which policy, which direction, which index in `spec.ingress`/`spec.egress`. */
export interface IRRule {
  readonly policy: number;
  readonly index: number;
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
  /** Per group (index 0 unused): sorted policy indices that select its members for this direction. */
  readonly groupPolicies: readonly (readonly number[])[];
  /** Per group: its rule ids in order; a port row value v ≠ 0 in this group's cells means rule `groupRules[g][v − 1]`. */
  readonly groupRules: readonly (readonly number[])[];
  /** Per group: offset of its row in `globalCells` (a multiple of `globalClassCount`). */
  readonly globalBase: Int32Array;
  /** Per group: offset of its row in `localCells`. Group 0 and groups without local rules point at a zero block. */
  readonly localBase: Int32Array;
  /** Number of global peer classes (the width of a global row). */
  readonly globalClassCount: number;
  /** Per (variant × endpoint): global peer class of the endpoint as a *peer*, −1 when it has no address of that variant. */
  readonly globalClass: Int32Array;
  /** Per endpoint: local peer class within its namespace, −1 for addresses. */
  readonly localClass: Int32Array;
  /** Rows of port-row ids, `globalBase[g] + globalClass`. */
  readonly globalCells: Int32Array;
  /** Rows of port-row ids, `localBase[g] + localClass`; only consulted when source and destination share a namespace. */
  readonly localCells: Int32Array;
}

/**
 * The compiled decision structure: plain data (numbers, strings, typed arrays), no functions,
 * no references into the model. Engine queries and backends read only this.
 *
 * A verdict for direction d, subject s, peer p, port class k (both endpoints already resolved):
 *   g = group[s]; g === 0 → not isolated (allow at this tier)
 *   r = globalCells[globalBase[g] + globalClass[v·E + p]]  — then, if same namespace and r allows nothing at k,
 *   r = localCells[localBase[g] + localClass[p]]
 *   allowed ⇔ portRows[r · portClassCount + k] ≠ 0 (the value is the group-relative ordinal of the
 *   first allowing rule, for provenance: rule id = groupRules[g][value − 1])
 */
export interface PolicyTableIR {
  readonly version: number;
  readonly profile: Profile;
  /** `namespace/name` of every pod, canonical order; pod i is endpoint i. */
  readonly pods: readonly string[];
  /** Per pod: its normalised addresses (`podIPs`, primary first; a hostNetwork pod: its node's address). */
  readonly podAddresses: readonly (readonly string[])[];
  /** Per pod: its declared named container ports `[name, protocol, number]` (for flows that name a port). */
  readonly podNamedPorts: readonly (readonly (readonly [string, Protocol, number])[])[];
  readonly namespaces: readonly string[];
  /** `namespace/name` of every NetworkPolicy, canonical order. */
  readonly policies: readonly string[];
  /** Address classes; class j is endpoint `pods.length + j`. IPv4 classes first, each family in address order. */
  readonly addressClasses: readonly IRAddressClass[];
  /** Per endpoint: KIND_POD or KIND_ADDRESS. */
  readonly kind: Uint8Array;
  /** Per endpoint: the endpoint it behaves as (hostNetwork pods → their node's address class; others → itself). */
  readonly alias: Int32Array;
  /** Per endpoint: namespace index, −1 for addresses. */
  readonly namespace: Int32Array;
  /** Per endpoint: primary variant (pods: of `podIPs[0]`, 2 when none; addresses: their family). */
  readonly primaryVariant: Uint8Array;
  /** Per endpoint: bit v set when it has an address of variant v (bit 2 = address-less pod). */
  readonly variantMask: Uint8Array;
  /** Per endpoint: the address class endpoint of its node (`status.hostIP`), −1 when unknown. */
  readonly nodeEndpoint: Int32Array;
  /** Port classes: per protocol, the sorted first port of each class; class c covers [starts[c], starts[c+1]). */
  readonly portClassStarts: Readonly<Record<Protocol, readonly number[]>>;
  /** Index of the first class of each protocol in the combined port-class space. */
  readonly portClassOffset: Readonly<Record<Protocol, number>>;
  readonly portClassCount: number;
  /** Row r occupies `[r·portClassCount, (r+1)·portClassCount)`; row 0 is all zero (allows nothing). */
  readonly portRows: Int32Array;
  readonly egress: IRDirection;
  readonly ingress: IRDirection;
}
