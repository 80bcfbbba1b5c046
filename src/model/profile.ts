import { InputError } from "./input-error.ts";
import type { Family } from "./types.ts";

/**
 * Implementation-defined behaviour, named. A profile is plain data passed to `compile` and the
 * reference evaluator; nothing in the engine hides a constant of its own.
 */
export interface Profile {
  readonly name: string;
  /** ipBlock peers match pod IPs too (upstream conformance), not only addresses outside the pod network. */
  readonly ipBlockMatchesPodIPs: boolean;
  /** A pod may always reach itself, whatever the policies say. */
  readonly allowSelf: boolean;
  /** Ingress to a pod from its own node's address (kubelet probes) is always allowed. */
  readonly allowFromOwnNode: boolean;
  /**
   * hostNetwork pods are policed like ordinary pods: selected by pod and namespace selectors,
   * reached at their own addresses (netpol-analyzer's choice). Absent: false (DESIGN §1).
   */
  readonly hostNetworkPoliced?: boolean;
  /** Admin/baseline `nodes` peers are ignored, as if not written (netpol-analyzer's choice). Absent: false. */
  readonly ignoreNodePeers?: boolean;
  /** The families whose external address ranges a connectivity list shows. Absent: both. */
  readonly listFamilies?: readonly Family[];
}

/** The default: what the Kubernetes e2e and network-policy-api conformance suites expect. */
export const CONFORMANCE_PROFILE: Profile = {
  name: "conformance",
  ipBlockMatchesPodIPs: true,
  allowSelf: true,
  allowFromOwnNode: true,
};

/** ipBlocks match only addresses that are not pod IPs (as netpol-analyzer and some dataplanes do). */
export const IPBLOCK_EXTERNAL_PROFILE: Profile = {
  name: "ipblock-external",
  ipBlockMatchesPodIPs: false,
  allowSelf: true,
  allowFromOwnNode: true,
};

/**
 * netpol-analyzer's choices (docs/reports.md): ipBlocks / `networks` match external addresses
 * only, hostNetwork pods are policed like ordinary pods, nodes are not endpoints (no own-node
 * allowance, `nodes` peers ignored), and lists show IPv4 external ranges only.
 */
export const NETPOL_ANALYZER_PROFILE: Profile = {
  name: "netpol-analyzer",
  ipBlockMatchesPodIPs: false,
  allowSelf: true,
  allowFromOwnNode: false,
  hostNetworkPoliced: true,
  ignoreNodePeers: true,
  listFamilies: [4],
};

/** The built-in profiles by name. */
export const PROFILES: Readonly<Record<string, Profile>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Profile>, {
    conformance: CONFORMANCE_PROFILE,
    "ipblock-external": IPBLOCK_EXTERNAL_PROFILE,
    "netpol-analyzer": NETPOL_ANALYZER_PROFILE,
  }),
);

/**
 * Look a profile up by name; `undefined` when there is none of that name.
 *
 * @example
 * getProfile("ipblock-external")?.ipBlockMatchesPodIPs; // false
 * getProfile("constructor"); // undefined (only the built-in names)
 */
export function getProfile(name: string): Profile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}

/**
 * A profile option resolved: a `Profile` as given, a built-in one by name, or `conformance` when
 * absent; throws `InputError` (`unknown-profile`) naming the known ones.
 *
 * @example
 * resolveProfile("ipblock-external").ipBlockMatchesPodIPs; // false
 */
export function resolveProfile(profile: Profile | string | undefined): Profile {
  if (profile === undefined) return CONFORMANCE_PROFILE;
  if (typeof profile !== "string") return profile;
  const found = getProfile(profile);
  if (found === undefined)
    throw new InputError([
      {
        code: "unknown-profile",
        message: `unknown profile "${profile}"; known: ${Object.keys(PROFILES).join(", ")}`,
      },
    ]);
  return found;
}
