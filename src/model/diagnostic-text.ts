// The text of a diagnostic that incremental updates rewrite rather than recompute: written by the
// compiler's diagnostics pass and read back by a splice (src/incremental/covered-pods.ts), so the
// two cannot drift apart.

/** What `networks-cover-pod-ips` says about a `networks` CIDR: how many pods it holds, and the first (canonical order) with its address. */
export interface CoveredPods {
  readonly cidr: string;
  readonly count: number;
  /** `namespace/name` of the first pod covered. */
  readonly pod: string;
  readonly ip: string;
}

/** The message of `networks-cover-pod-ips`. */
export const networksCoverMessage = (c: CoveredPods): string =>
  `${c.cidr} contains the address of ${c.count} pod(s) (${c.pod}, ${c.ip}): under the ` +
  "conformance profile it matches those pods too; under ipblock-external it matches only addresses outside the pod network";

const COVER = /^(\S+) contains the address of (\d+) pod\(s\) \(([^,()\s]+), ([^,()\s]+)\): under the /;

/** The facts of a `networks-cover-pod-ips` message, or undefined when it is not one. */
export function parseNetworksCover(message: string): CoveredPods | undefined {
  const m = COVER.exec(message);
  if (m === null) return undefined;
  return { cidr: m[1]!, count: Number(m[2]), pod: m[3]!, ip: m[4]! };
}
