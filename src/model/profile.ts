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

/** The built-in profiles by name. */
export const PROFILES: Readonly<Record<string, Profile>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Profile>, {
    conformance: CONFORMANCE_PROFILE,
    "ipblock-external": IPBLOCK_EXTERNAL_PROFILE,
  }),
);

/** Look a profile up by name; `undefined` when there is none of that name. */
export function getProfile(name: string): Profile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}
