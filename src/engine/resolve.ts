import { KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import { AMBIGUOUS, aliasKey, kindedIndex } from "../model/endpoint-names.ts";
import type { Flow } from "../model/flow.ts";
import { InputError } from "../model/input-error.ts";
import { type Family, isProtocol, type Protocol } from "../model/types.ts";
import { formatIP, parseIP } from "../net/ip.ts";

/** A flow resolved to indices, or why it could not be. */
export type ResolvedFlow =
  | {
      readonly ok: true;
      readonly src: number;
      readonly dst: number;
      readonly port: number;
      readonly protocol: Protocol;
      readonly portIndex: number;
      /** The flow's address variant (0 IPv4, 1 IPv6, 2 none): fixed by an endpoint given as an IP. */
      readonly variant: number;
    }
  | {
      readonly ok: false;
      readonly src: number;
      readonly dst: number;
      readonly protocol: Protocol;
      readonly reason: string;
    };

/** A resolved flow in one shape: `port`, `portIndex`, `variant` when `ok`, `reason` when not. */
export interface ScratchFlow {
  ok: boolean;
  src: number;
  dst: number;
  port: number;
  protocol: Protocol;
  portIndex: number;
  variant: number;
  reason: string;
}

/** Turns names, addresses and ports into indices of the IR (docs/decisions.md, Endpoints and Ports). */
export interface EndpointResolver {
  endpoint(ref: string): number;
  port(protocol: Protocol, port: number): number;
  flow(flow: Flow): ResolvedFlow;
  /** `flow` into one object reused by every call (read it before the next call; do not keep it). */
  scratchFlow(flow: Flow): ScratchFlow;
  /** Port index of a named port on a destination pod; −1 when it declares none of that name and protocol. */
  namedPortIndex(dst: number, name: string, protocol: Protocol): number;
  /** Display name of an endpoint: `ns/name`, or the address class's range. */
  label(endpoint: number): string;
  /** The address variant (0 v4, 1 v6, 2 none) a flow between two endpoints named by index uses. */
  variant(src: number, dst: number): number;
  /** The family of a flow in variant `v` (default: `variant(src, dst)`), if both endpoints can take part. */
  family(src: number, dst: number, v?: number): Family | undefined;
  /** Why a flow in variant `v` (default: `variant(src, dst)`) has no usable address family. */
  familyProblem(src: number, dst: number, v?: number): string;
}

const bad = (code: string, message: string, path?: string): InputError =>
  new InputError([path === undefined ? { code, message } : { code, path, message }]);

export function createResolver(ir: PolicyTableIR): EndpointResolver {
  const P = ir.pods.length;
  // A dictionary object rather than a Map: V8 internalises a key looked up in it, so a caller's
  // name strings asked again compare by pointer (~25 ns instead of ~40–65 ns for Map.get on L).
  // Null prototype: no inherited keys; a name always holds "/", so never an array index.
  const byName: Record<string, number> = Object.create(null);
  ir.pods.forEach((p, i) => {
    byName[p] = i;
  });
  const aliases = new Map(ir.aliases);
  let kinded: Map<string, number> | undefined; // built when a flow first names a kind
  /** The endpoint a name (display name, `ns/name[Kind]` or alias) stands for; AMBIGUOUS, or undefined. */
  const named = (ref: string): number | undefined => {
    const direct = byName[ref];
    if (direct !== undefined) return direct;
    if (!ref.includes("/")) return undefined; // every name is ns/name: an address, or nothing
    const key = aliasKey(ref);
    if (key.endsWith("]")) {
      kinded ??= kindedIndex(ir.pods, ir.endpointKinds);
      const own = kinded.get(key);
      if (own !== undefined) return own;
    }
    return aliases.get(key);
  };
  // docs/decisions.md #2: an IP that is exactly one selectable pod's address is that pod.
  const byIP = new Map<string, number>();
  const shared = new Set<string>();
  ir.pods.forEach((_, i) => {
    if (ir.kind[i] !== KIND_POD) return;
    for (const ip of ir.podAddresses[i]!) {
      if (byIP.has(ip)) shared.add(ip);
      byIP.set(ip, i);
    }
  });
  for (const ip of shared) byIP.delete(ip);
  const starts: Record<Family, bigint[]> = { 4: [], 6: [] };
  const base: Record<Family, number> = { 4: -1, 6: -1 };
  ir.addressClasses.forEach((c, j) => {
    if (base[c.family] < 0) base[c.family] = j;
    starts[c.family].push(BigInt(c.first));
  });
  /** Port → port class per protocol, each 64k entries, made when a protocol is first asked. */
  const portLookup: Partial<Record<Protocol, Uint16Array>> = {};
  const lookup = (protocol: Protocol): Uint16Array => {
    let t = portLookup[protocol];
    if (t === undefined) {
      t = new Uint16Array(65536);
      const s = ir.portClassStarts[protocol];
      for (let c = 0; c < s.length; c++) t.fill(c, s[c]!, c + 1 < s.length ? s[c + 1]! : 65536);
      portLookup[protocol] = t;
    }
    return t;
  };

  /** The family of the address the last `endpoint` call was given; 0 when it was a name. */
  let lastFamily: 0 | Family = 0;
  /**
   * Addresses already resolved: text → endpoint index × 2 + (family 6 ? 1 : 0). Parsing, the
   * canonical form and the class search cost ~300 ns an address; callers ask about the same
   * addresses again and again. Bounded: cleared when full (the answer never depends on it).
   */
  const byText = new Map<string, number>();
  const MEMO_LIMIT = 1 << 16;
  const address = (ref: string): number => {
    const ip = parseIP(ref);
    if (ip === undefined) {
      const what = ref.includes("/")
        ? `no pod or workload "${ref}" in the cluster`
        : `"${ref}" is neither namespace/name nor an IP address`;
      throw bad("unknown-endpoint", what);
    }
    const owner = byIP.get(formatIP(ip));
    if (owner !== undefined) return owner;
    const s = starts[ip.family];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= ip.value) lo = mid;
      else hi = mid - 1;
    }
    return P + base[ip.family] + lo;
  };
  const endpoint = (ref: string): number => {
    lastFamily = 0;
    if (typeof ref !== "string")
      throw bad("unknown-endpoint", `endpoint must be "namespace/name" or an IP, got ${typeof ref}`);
    const pod = named(ref);
    if (pod === AMBIGUOUS) {
      const which = ir.pods.filter((n) => n.startsWith(`${ref}[`));
      throw bad(
        "ambiguous-endpoint",
        `"${ref}" names more than one endpoint (${which.join(", ") || "workloads of several kinds"}): add the kind, as in ${which[0] ?? `${ref}[Deployment]`}`,
      );
    }
    if (pod !== undefined) return pod;
    let memo = byText.get(ref);
    if (memo === undefined) {
      memo = address(ref) * 2 + (ref.includes(":") ? 1 : 0);
      if (byText.size >= MEMO_LIMIT) byText.clear();
      byText.set(ref, memo);
    }
    lastFamily = (memo & 1) === 1 ? 6 : 4;
    return memo >>> 1;
  };

  /** The port index of a port of a protocol already checked. */
  const portOf = (protocol: Protocol, n: number): number => {
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw bad("invalid-port", `port must be an integer 0-65535, got ${String(n)}`);
    return ir.portClassOffset[protocol] + lookup(protocol)[n]!;
  };
  const port = (protocol: Protocol, n: number): number => {
    if (!isProtocol(protocol))
      throw bad("invalid-protocol", `protocol must be TCP, UDP or SCTP, got ${String(protocol)}`);
    return portOf(protocol, n);
  };

  const namedPort = (dst: number, name: string, protocol: Protocol): number | undefined => {
    if (dst >= P) return undefined;
    for (const [n, p, num] of ir.podNamedPorts[dst]!) if (n === name && p === protocol) return num;
    return undefined;
  };

  const variantOf = (src: number, dst: number): number => {
    const s = src;
    const d = dst;
    if (ir.kind[d] !== KIND_POD) return ir.primaryVariant[d]!;
    if (ir.kind[s] !== KIND_POD) return ir.primaryVariant[s]!;
    return ir.primaryVariant[d] !== 2 ? ir.primaryVariant[d]! : ir.primaryVariant[s]!;
  };

  const label = (e: number): string => {
    if (e < P) return ir.pods[e]!;
    const c = ir.addressClasses[e - P]!;
    const f = (v: string): string => formatIP({ family: c.family, value: BigInt(v) });
    return c.first === c.last ? f(c.first) : `${f(c.first)}-${f(c.last)}`;
  };

  /**
   * The flow resolved into one reused object (the query by name allocates nothing for it): valid
   * until the next call; `flow` copies it into the documented shapes.
   */
  const scratch: ScratchFlow = {
    ok: true,
    src: 0,
    dst: 0,
    port: 0,
    protocol: "TCP",
    portIndex: 0,
    variant: 0,
    reason: "",
  };
  const fail = (src: number, dst: number, protocol: Protocol, reason: string): ScratchFlow => {
    scratch.ok = false;
    scratch.src = src;
    scratch.dst = dst;
    scratch.protocol = protocol;
    scratch.reason = reason;
    return scratch;
  };
  const resolveInto = (flow: Flow): ScratchFlow => {
    if (flow === null || typeof flow !== "object") throw bad("invalid-flow", "a flow must be an object");
    const protocol = flow.protocol ?? "TCP";
    if (!isProtocol(protocol))
      throw bad("invalid-protocol", `protocol must be TCP, UDP or SCTP, got ${String(protocol)}`, "protocol");
    // DESIGN §1 / docs/decisions.md #5: an endpoint given as an IP fixes the flow's family, even
    // when the IP is a pod's (which then takes part with that address); two IPs must agree.
    const src = endpoint(flow.from);
    const ipFrom = lastFamily;
    const dst = endpoint(flow.to);
    const ipTo = lastFamily;
    if (ipFrom !== 0 && ipTo !== 0 && ipFrom !== ipTo)
      return fail(
        src,
        dst,
        protocol,
        `${flow.from} and ${flow.to} are addresses of different families (docs/decisions.md #5)`,
      );
    const given = ipTo || ipFrom;
    const variant = given === 0 ? variantOf(src, dst) : given === 4 ? 0 : 1;
    let port: number;
    if (typeof flow.port === "number") port = flow.port;
    else {
      if (typeof flow.port !== "string" || flow.port === "")
        throw bad(
          "invalid-port",
          `port must be a number or a port name, got ${JSON.stringify(flow.port)}`,
          "port",
        );
      const n = namedPort(dst, flow.port, protocol);
      if (n === undefined)
        return fail(
          src,
          dst,
          protocol,
          dst >= P
            ? `named port "${flow.port}" needs a destination pod; ${flow.to} is an address`
            : `${ir.pods[dst]} declares no ${protocol} port named "${flow.port}"`,
        );
      port = n;
    }
    scratch.portIndex = portOf(protocol, port);
    scratch.ok = true;
    scratch.src = src;
    scratch.dst = dst;
    scratch.port = port;
    scratch.protocol = protocol;
    scratch.variant = variant;
    scratch.reason = "";
    return scratch;
  };

  return {
    endpoint,
    port,
    label,
    variant: variantOf,
    namedPortIndex(dst, name, protocol) {
      const n = namedPort(dst, name, protocol);
      return n === undefined ? -1 : port(protocol, n);
    },
    flow(flow) {
      const r = resolveInto(flow);
      const { ok, src, dst, protocol } = r;
      return ok
        ? { ok, src, dst, port: r.port, protocol, portIndex: r.portIndex, variant: r.variant }
        : { ok, src, dst, protocol, reason: r.reason };
    },
    scratchFlow: resolveInto,
    family(src, dst, v = variantOf(src, dst)) {
      const ok = (ir.variantMask[src]! & ir.variantMask[dst]! & (1 << v)) !== 0;
      return ok && v < 2 ? (v === 0 ? 4 : 6) : undefined;
    },
    familyProblem(src, dst, v = variantOf(src, dst)) {
      const name = (e: number): string => (e < P ? ir.pods[e]! : label(e));
      const lacks = (e: number): boolean => (ir.variantMask[e]! & (1 << v)) === 0;
      const fam = v === 0 ? "IPv4" : v === 1 ? "IPv6" : "";
      for (const e of [src, dst]) {
        if (!lacks(e)) continue;
        if (ir.variantMask[e] === 0)
          return `${name(e)} is a hostNetwork pod with no address (no status.hostIP)`;
        if (v === 2)
          return `${name(e)} has an address but the other endpoint has none; the flow has no address family`;
        return `${name(e)} has no ${fam} address, and the flow is ${fam} (docs/decisions.md #5-#7)`;
      }
      return "the flow has no usable address family";
    },
  };
}
