import type { DomainNameResolver } from "../model/flow.ts";
import type { Profile } from "../model/profile.ts";
import type { Cluster, Family, Protocol } from "../model/types.ts";
import type { Endpoint } from "./endpoints.ts";

/** The two halves of a flow: egress is decided at the source, ingress at the destination. */
export type Direction = "egress" | "ingress";

/** What one tier says about one direction (DESIGN §1): a final allow or deny, or on to the next tier. */
export type TierVerdict = "allow" | "deny" | "pass";

/** Everything a tier may look at for one direction of one flow. */
export interface DirectionQuery {
  readonly cluster: Cluster;
  readonly profile: Profile;
  readonly direction: Direction;
  /** The selectable pod whose policies apply: the source for egress, the destination for ingress. */
  readonly subject: Extract<Endpoint, { kind: "pod" }>;
  /** The other end. */
  readonly peer: Endpoint;
  /** The flow's destination (named ports in rules resolve against it). */
  readonly destination: Endpoint;
  /** Destination port (a named flow port already resolved). */
  readonly port: number;
  readonly protocol: Protocol;
  /** `undefined` when neither pod has an address (docs/decisions.md #8). */
  readonly family: Family | undefined;
  /** The DNS names of an address, for `domainNames` peers (absent: they match nothing). */
  readonly domainNames?: DomainNameResolver;
}

/**
 * One stage of the per-direction pipeline. The admin tier goes before the NetworkPolicy tier and
 * the baseline tier after it; each returns `pass` when it does not decide.
 */
export interface Tier {
  readonly name: string;
  decide(query: DirectionQuery): TierVerdict;
}
