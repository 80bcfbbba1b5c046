import type { Decision, DomainNameResolver, Flow } from "../model/flow.ts";
import { InputError } from "../model/input-error.ts";
import { type Profile, resolveProfile } from "../model/profile.ts";
import { clusterUnderProfile } from "../model/profile-cluster.ts";
import { type Cluster, PROTOCOLS, type Protocol } from "../model/types.ts";
import { adminTier, baselineTier } from "./cluster-policy-tier.ts";
import { addressIn, type Endpoint, flowFamily, resolveEndpoint, sameIP } from "./endpoints.ts";
import { networkPolicyTier } from "./network-policy-tier.ts";
import { nodeOfPod } from "./nodes.ts";
import { placements, podRanges } from "./pod-range.ts";
import type { Direction, DirectionQuery, Tier } from "./tiers.ts";

/** The per-direction pipeline, in order (DESIGN §1); whatever no tier decides is allowed. */
export const TIERS: readonly Tier[] = [adminTier, networkPolicyTier, baselineTier];

const bad = (code: string, message: string, path: string): InputError =>
  new InputError([{ code, path, message }]);

/** A selectable pod without an address (no status.podIPs). */
const addressLess = (e: Endpoint): boolean => e.kind === "pod" && e.addresses.length === 0;

/** The numeric destination port, or why a named one cannot be resolved (docs/decisions.md #9). */
function destinationPort(
  flow: Flow,
  dst: Endpoint,
  protocol: Protocol,
): { port: number } | { reason: string } {
  if (typeof flow.port === "number") {
    if (!Number.isInteger(flow.port) || flow.port < 0 || flow.port > 65535)
      throw bad("invalid-port", `port must be an integer 0-65535, got ${String(flow.port)}`, "port");
    return { port: flow.port };
  }
  if (typeof flow.port !== "string" || flow.port === "")
    throw bad(
      "invalid-port",
      `port must be a number or a port name, got ${JSON.stringify(flow.port)}`,
      "port",
    );
  // A name resolves against the destination *pod* (a hostNetwork pod named by name included); not an IP.
  const pod = dst.pod;
  if (pod === undefined)
    return { reason: `named port "${flow.port}" needs a destination pod; ${flow.to} is an address` };
  const declared = pod.ports.find((p) => p.name === flow.port && p.protocol === protocol);
  if (declared === undefined)
    return { reason: `${pod.namespace}/${pod.name} declares no ${protocol} port named "${flow.port}"` };
  return { port: declared.containerPort };
}

/**
 * One direction: an endpoint that is not a selectable pod has no policies (allowed); the profile's
 * self and own-node switches; then the tiers in order, the first `allow`/`deny` being final.
 */
function decideDirection(
  base: Omit<DirectionQuery, "direction" | "subject" | "peer">,
  direction: Direction,
  src: Endpoint,
  dst: Endpoint,
): "allow" | "deny" {
  const subject = direction === "egress" ? src : dst;
  const peer = direction === "egress" ? dst : src;
  if (subject.kind !== "pod") return "allow";
  // A workload's template stands for its replicas: its pair with itself is replica to replica.
  if (base.profile.allowSelf && peer.kind === "pod" && peer.pod === subject.pod && !subject.pod.workload)
    return "allow";
  // Ingress from any address of the pod's own node (docs/decisions.md #12, #23).
  if (
    direction === "ingress" &&
    base.profile.allowFromOwnNode &&
    (peer.kind === "address" || peer.kind === "host")
  ) {
    const ip = addressIn(peer, base.family);
    const node = nodeOfPod(base.cluster, subject.pod);
    if (ip && node?.addresses.some((a) => sameIP(a, ip))) return "allow";
  }
  const query: DirectionQuery = { ...base, direction, subject, peer };
  for (const tier of TIERS) {
    const v = tier.decide(query);
    if (v !== "pass") return v;
  }
  return "allow";
}

/**
 * The reference evaluator: a deliberately plain, per-flow interpreter of DESIGN.md §1 and
 * docs/decisions.md that scans every policy. It is the executable spec the compiled engine is
 * tested against (`compile(c).decide(f).verdict === evaluate(c, f).verdict`); it is slow on purpose.
 *
 * Throws `InputError` for bad input: `unknown-endpoint`, `invalid-port`, `invalid-protocol`,
 * `unknown-profile`. Answers `unknown` (with a reason) when the flow has no usable address family
 * or a named port cannot be resolved.
 *
 * @example
 * const cluster = makeCluster({
 *   pods: [
 *     { namespace: "shop", name: "web", labels: { app: "web" }, ports: [], hostNetwork: false, podIPs: ["10.0.0.1"] },
 *     { namespace: "shop", name: "db", labels: { app: "db" }, ports: [], hostNetwork: false, podIPs: ["10.0.0.2"] },
 *   ],
 *   networkPolicies: [{ namespace: "shop", name: "db", spec: {
 *     podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Ingress"], egress: [],
 *     ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ protocol: "TCP", port: 5432 }] }],
 *   } }],
 * });
 * evaluate(cluster, { from: "shop/web", to: "shop/db", port: 5432 }); // { verdict: "allow", family: 4 }
 * evaluate(cluster, { from: "shop/web", to: "shop/db", port: 80 }).verdict; // "deny"
 */
export function evaluate(
  input: Cluster,
  flow: Flow,
  profile?: Profile | string,
  options: { readonly domainNames?: DomainNameResolver; readonly podCIDRs?: readonly string[] } = {},
): Decision {
  const p = resolveProfile(profile);
  const cluster = clusterUnderProfile(input, p);
  if (flow === null || typeof flow !== "object")
    throw new InputError([{ code: "invalid-flow", message: "a flow must be an object" }]);
  const protocol = flow.protocol ?? "TCP";
  if (!PROTOCOLS.includes(protocol))
    throw bad("invalid-protocol", `protocol must be TCP, UDP or SCTP, got ${String(protocol)}`, "protocol");
  const src = resolveEndpoint(cluster, flow.from);
  const dst = resolveEndpoint(cluster, flow.to);
  const port = destinationPort(flow, dst, protocol);
  if ("reason" in port) return { verdict: "unknown", reason: port.reason };
  const fam = flowFamily(src, dst, !p.ipBlockMatchesPodIPs);
  if (!fam.ok) return { verdict: "unknown", reason: fam.reason };
  const base = {
    cluster,
    profile: p,
    destination: dst,
    port: port.port,
    protocol,
    family: fam.family,
    ...(options.domainNames === undefined ? {} : { domainNames: options.domainNames }),
  };
  const ranges = podRanges(options.podCIDRs);
  if (addressLess(src) && addressLess(dst) && p.ipBlockMatchesPodIPs) {
    // docs/decisions.md #46-#48: every placement of the two pods in one family of the pod ranges.
    const seen = new Set<string>();
    for (const [family, at] of placements(cluster, ranges))
      for (const a of at)
        for (const b of at) {
          const s = { ...src, addresses: [a] };
          const d = { ...dst, addresses: [b] };
          const q = { ...base, family, destination: d };
          const allowed =
            decideDirection(q, "egress", s, d) === "allow" && decideDirection(q, "ingress", s, d) === "allow";
          seen.add(allowed ? "allow" : "deny");
        }
    if (seen.size > 1)
      return {
        verdict: "unknown",
        reason: `${src.name} → ${dst.name}: the verdict depends on where the address-less pods are in the pod range`,
      };
    if (seen.has("allow")) return { verdict: "allow" };
    return { verdict: "deny", reason: "denied wherever the address-less pods are in the pod range" };
  }
  const egress = decideDirection(base, "egress", src, dst);
  const ingress = decideDirection(base, "ingress", src, dst);
  const verdict = egress === "allow" && ingress === "allow" ? "allow" : "deny";
  const family = fam.family === undefined ? {} : { family: fam.family };
  if (verdict === "allow") return { verdict, ...family };
  return {
    verdict,
    reason: `denied at ${egress === "deny" ? "egress from the source" : "ingress to the destination"}`,
    ...family,
  };
}
