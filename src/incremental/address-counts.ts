// How many pods hold each address, for the splice's check that a pod's addresses are its own (a
// shared address changes classes and diagnostics: then it compiles). Counting every pod's
// addresses on every event costs O(pods); the compile state keeps the counts instead, as a value:
// a map built once from a pod list and never changed after, plus a short list of the changes
// spliced since. An update copies that list (≤ DELTA_LIMIT entries) and the old counts stay valid,
// so states may branch; past the limit the counts are built again from the pods (amortised O(1)).
import type { Pod } from "../model/types.ts";

const DELTA_LIMIT = 64;

/** Address → how many pods of `pods` hold it. */
export interface AddressCounts {
  /** The pod list counted (the counts answer for it alone). */
  readonly pods: readonly Pod[];
  readonly base: ReadonlyMap<string, number>;
  /** Changes since `base`: [address, +1 or −1]. */
  readonly delta: readonly (readonly [string, number])[];
}

function build(pods: readonly Pod[]): AddressCounts {
  const base = new Map<string, number>();
  for (let i = 0; i < pods.length; i++) {
    const ips = pods[i]!.podIPs;
    for (let j = 0; j < ips.length; j++) base.set(ips[j]!, (base.get(ips[j]!) ?? 0) + 1);
  }
  return { pods, base, delta: [] };
}

/** The counts of `pods`: `prior` when it counts that very list, else built. */
export const addressCountsOf = (pods: readonly Pod[], prior?: AddressCounts): AddressCounts =>
  prior !== undefined && prior.pods === pods ? prior : build(pods);

/** How many pods hold `address`. */
export function countOf(counts: AddressCounts, address: string): number {
  let n = counts.base.get(address) ?? 0;
  for (const [a, d] of counts.delta) if (a === address) n += d;
  return n;
}

/** The counts of `pods`, which is `counts.pods` with `pod` added (`sign` 1) or removed (−1). */
export function countsAfter(
  counts: AddressCounts,
  pods: readonly Pod[],
  pod: Pod,
  sign: 1 | -1,
): AddressCounts {
  if (counts.delta.length + pod.podIPs.length > DELTA_LIMIT) return build(pods);
  return { pods, base: counts.base, delta: [...counts.delta, ...pod.podIPs.map((a) => [a, sign] as const)] };
}

/** The counts of `pods`, a new list of the pods `counts` counts, holding the same addresses (a relabel). */
export const sameAddresses = (counts: AddressCounts, pods: readonly Pod[]): AddressCounts => ({
  ...counts,
  pods,
});
