// The one diagnostic that counts pods by address, `networks-cover-pod-ips` (an admin `networks` CIDR
// holding pod addresses: how many addresses, and the first pod in canonical order), rewritten for a pod spliced
// in or out instead of compiling the cluster for it. Its text is written and read back by
// model/diagnostic-text.ts. A pod removed that a diagnostic names as the first one covered, or a
// message that does not read back, leaves the answer to a compile.
import { type CoveredPods, networksCoverMessage, parseNetworksCover } from "../model/diagnostic-text.ts";
import type { Diagnostic, Pod } from "../model/types.ts";
import { cidrContains, parseCIDR } from "../net/cidr.ts";
import { parseIP } from "../net/ip.ts";

const COVER_CODE = "networks-cover-pod-ips";

/** Whether pod `a` (namespace, name) sorts before the pod named `b` (`namespace/name`). */
function sortsBefore(a: Pod, b: string): boolean {
  const slash = b.indexOf("/");
  const ns = b.slice(0, slash);
  const name = b.slice(slash + 1);
  return a.namespace < ns || (a.namespace === ns && a.name < name);
}

/**
 * The pod's addresses the CIDR holds, lowest first (the diagnostic counts addresses, and names
 * the first pod's lowest one), or null when the CIDR does not parse.
 */
function coveredAddresses(pod: Pod, c: CoveredPods): string[] | null {
  const cidr = parseCIDR(c.cidr);
  if (cidr === undefined) return null;
  const held: { text: string; value: bigint }[] = [];
  for (const text of pod.podIPs) {
    const ip = parseIP(text);
    if (ip !== undefined && cidrContains(cidr, ip)) held.push({ text, value: ip.value });
  }
  return held.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).map((h) => h.text);
}

/**
 * The diagnostics after `pod` (not hostNetwork: the diagnostic counts only pod addresses) is
 * added (`sign` 1) or removed (−1), or undefined where only a compile can tell.
 */
export function coveredAfter(
  diagnostics: readonly Diagnostic[],
  pod: Pod,
  sign: 1 | -1,
): readonly Diagnostic[] | undefined {
  if (!diagnostics.some((d) => d.code === COVER_CODE)) return diagnostics;
  const name = `${pod.namespace}/${pod.name}`;
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code !== COVER_CODE) {
      out.push(d);
      continue;
    }
    const c = parseNetworksCover(d.message);
    if (c === undefined) return undefined;
    const held = coveredAddresses(pod, c);
    if (held === null) return undefined;
    if (held.length === 0) {
      out.push(d);
      continue;
    }
    if (sign < 0) {
      if (c.pod === name) return undefined; // the next one covered is not written down
      out.push({ ...d, message: networksCoverMessage({ ...c, count: c.count - held.length }) });
      continue;
    }
    const first = sortsBefore(pod, c.pod) ? { pod: name, ip: held[0]! } : {};
    out.push({ ...d, message: networksCoverMessage({ ...c, count: c.count + held.length, ...first }) });
  }
  return out;
}
