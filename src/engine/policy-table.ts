import { KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Decision, Explanation, Flow, Matrix, MatrixFlow, Verdict } from "../model/flow.ts";
import type { Profile } from "../model/profile.ts";
import type { Diagnostic, Protocol } from "../model/types.ts";
import { buildExplanation } from "./explain.ts";
import { createResolver, type EndpointResolver } from "./resolve.ts";

/** Verdict codes of the index-level API. */
export const DENY = 0;
export const ALLOW = 1;
export const UNKNOWN = 2;
const VERDICTS: readonly Verdict[] = ["deny", "allow", "unknown"];

// Fields of an endpoint's 16-int record.
const F_ALIAS = 0; // endpoint it behaves as
const F_FLAGS = 1; // bit 0: selectable pod; bits 1-2: primary variant; bits 3-5: variant mask
const F_NS = 2; // namespace, −1 for addresses
const F_NODE = 3; // endpoint of its node's address, −1
const F_E_GBASE = 4; // egress: globalBase of its group as subject, −1 when not isolated
const F_E_LBASE = 5; // egress: localBase of its group
const F_I_GBASE = 6; // ingress: the same
const F_I_LBASE = 7;
const F_E_LCLASS = 8; // egress: local class as a peer
const F_I_LCLASS = 9; // ingress: local class as a peer
const F_E_CLASS = 10; // egress: global class as a peer, per variant (3)
const F_I_CLASS = 13; // ingress: the same

/**
 * Pack the per-endpoint fields the query reads into one 16-int (64-byte) record per endpoint, so
 * that a query touches about two cache lines before the cells. Derived from the IR, never stored.
 */
function packEndpoints(ir: PolicyTableIR): Int32Array {
  const E = ir.kind.length;
  const m = new Int32Array(E * 16);
  const eg = ir.egress;
  const ig = ir.ingress;
  for (let e = 0; e < E; e++) {
    const r = e << 4;
    m[r + F_ALIAS] = ir.alias[e]!;
    m[r + F_FLAGS] =
      (ir.kind[e] === KIND_POD ? 1 : 0) | (ir.primaryVariant[e]! << 1) | (ir.variantMask[e]! << 3);
    m[r + F_NS] = ir.namespace[e]!;
    m[r + F_NODE] = ir.nodeEndpoint[e]!;
    const ge = eg.group[e]!;
    const gi = ig.group[e]!;
    m[r + F_E_GBASE] = ge === 0 ? -1 : eg.globalBase[ge]!;
    m[r + F_E_LBASE] = eg.localBase[ge]!;
    m[r + F_I_GBASE] = gi === 0 ? -1 : ig.globalBase[gi]!;
    m[r + F_I_LBASE] = ig.localBase[gi]!;
    m[r + F_E_LCLASS] = eg.localClass[e]!;
    m[r + F_I_LCLASS] = ig.localClass[e]!;
    for (let v = 0; v < 3; v++) {
      m[r + F_E_CLASS + v] = eg.globalClass[v * E + e]!;
      m[r + F_I_CLASS + v] = ig.globalClass[v * E + e]!;
    }
  }
  return m;
}

/** Cells hold row ids; the query wants row offsets (row × K), saving a multiply per read. */
function scaleCells(cells: Int32Array, K: number): Int32Array {
  return cells.map((r) => r * K);
}

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

/**
 * The compiled decision table: answers flows in O(1) from the IR, explains them, and prints the
 * whole-cluster matrix. Built by `compile`; holds only the IR and lookup arrays derived from it.
 *
 * @example
 * const table = compile(cluster);
 * table.allows({ from: "shop/frontend", to: "shop/api", port: 8080 }); // true
 * const src = table.endpointIndex("shop/frontend"), dst = table.endpointIndex("shop/api");
 * table.allowsIndex(src, dst, table.portIndex("TCP", 8080)); // same answer, no allocation
 */
export class PolicyTable {
  readonly ir: PolicyTableIR;
  readonly profile: Profile;
  readonly diagnostics: readonly Diagnostic[];
  readonly #resolver: EndpointResolver;
  // Hot path: one 16-int record per endpoint (see packEndpoints), the cells and the port rows.
  readonly #meta: Int32Array;
  readonly #eCells: Int32Array;
  readonly #eLCells: Int32Array;
  readonly #iCells: Int32Array;
  readonly #iLCells: Int32Array;
  readonly #rows: Int32Array;
  readonly #E: number;
  readonly #self: boolean;
  readonly #ownNode: boolean;

  constructor(ir: PolicyTableIR, diagnostics: readonly Diagnostic[] = []) {
    this.ir = ir;
    this.profile = ir.profile;
    this.diagnostics = diagnostics;
    this.#resolver = createResolver(ir);
    this.#meta = packEndpoints(ir);
    this.#eCells = scaleCells(ir.egress.globalCells, ir.portClassCount);
    this.#eLCells = scaleCells(ir.egress.localCells, ir.portClassCount);
    this.#iCells = scaleCells(ir.ingress.globalCells, ir.portClassCount);
    this.#iLCells = scaleCells(ir.ingress.localCells, ir.portClassCount);
    this.#rows = ir.portRows;
    this.#E = ir.kind.length;
    this.#self = ir.profile.allowSelf;
    this.#ownNode = ir.profile.allowFromOwnNode;
  }

  /** Number of endpoints (pods, then address classes); valid endpoint indices are `0 … endpointCount − 1`. */
  get endpointCount(): number {
    return this.#E;
  }

  /**
   * The verdict code (`DENY` 0, `ALLOW` 1, `UNKNOWN` 2) for endpoint indices and a port index.
   * No allocation, no strings: a handful of typed-array reads per direction.
   *
   * `variant` (0 IPv4, 1 IPv6) is the flow's family when it is fixed by an endpoint the flow gave as
   * an IP (`resolve(flow).variant`); omitted, the family follows from the endpoints themselves
   * (docs/decisions.md #5-#8).
   */
  decideIndex(src: number, dst: number, portIndex: number, variant = -1): number {
    const m = this.#meta;
    const s = m[src << 4]! << 4; // records of the aliased endpoints
    const d = m[dst << 4]! << 4;
    const fs = m[s + F_FLAGS]!;
    const fd = m[d + F_FLAGS]!;
    const podS = (fs & 1) === 1;
    const podD = (fd & 1) === 1;
    if (s === d && podS && this.#self) return ALLOW;
    // The flow's variant (docs/decisions.md #5-#8): an address endpoint's family, else the destination's primary.
    const primD = (fd >> 1) & 3;
    const v =
      variant >= 0 ? variant : !podD ? primD : !podS ? (fs >> 1) & 3 : primD === 2 ? (fs >> 1) & 3 : primD;
    if ((fs & fd & (8 << v)) === 0) return UNKNOWN;
    const rows = this.#rows;
    const sameNs = m[s + F_NS] === m[d + F_NS];
    if (podS) {
      const base = m[s + F_E_GBASE]!;
      if (
        base >= 0 &&
        rows[this.#eCells[base + m[d + F_E_CLASS + v]!]! + portIndex] === 0 &&
        (!sameNs || rows[this.#eLCells[m[s + F_E_LBASE]! + m[d + F_E_LCLASS]!]! + portIndex] === 0)
      )
        return DENY;
    }
    if (podD && !(this.#ownNode && s >> 4 === m[d + F_NODE])) {
      const base = m[d + F_I_GBASE]!;
      if (
        base >= 0 &&
        rows[this.#iCells[base + m[s + F_I_CLASS + v]!]! + portIndex] === 0 &&
        (!sameNs || rows[this.#iLCells[m[d + F_I_LBASE]! + m[s + F_I_LCLASS]!]! + portIndex] === 0)
      )
        return DENY;
    }
    return ALLOW;
  }

  /** `decideIndex(...) === ALLOW`. */
  allowsIndex(src: number, dst: number, portIndex: number, variant = -1): boolean {
    return this.decideIndex(src, dst, portIndex, variant) === ALLOW;
  }

  /** Endpoint index of `namespace/name` or an IP address; throws `InputError` (`unknown-endpoint`) otherwise. */
  endpointIndex(ref: string): number {
    return this.#resolver.endpoint(ref);
  }

  /** Port index of a numeric port (0–65535) of a protocol; throws `InputError` (`invalid-port`) otherwise. */
  portIndex(protocol: Protocol, port: number): number {
    return this.#resolver.port(protocol, port);
  }

  /** Resolve a flow's endpoints and port to indices (named ports against the destination pod). */
  resolve(flow: Flow): ResolvedFlow {
    return this.#resolver.flow(flow);
  }

  /** The verdict for a flow, with a reason when it is `unknown`. */
  decide(flow: Flow): Decision {
    const r = this.resolve(flow);
    if (!r.ok) return { verdict: "unknown", reason: r.reason };
    const code = this.decideIndex(r.src, r.dst, r.portIndex, r.variant);
    if (code !== UNKNOWN) {
      const family = this.#resolver.family(r.src, r.dst, r.variant);
      return family === undefined ? { verdict: VERDICTS[code]! } : { verdict: VERDICTS[code]!, family };
    }
    return { verdict: "unknown", reason: this.#resolver.familyProblem(r.src, r.dst, r.variant) };
  }

  /** `decide(flow).verdict === "allow"`. */
  allows(flow: Flow): boolean {
    return this.decide(flow).verdict === "allow";
  }

  /** The decision and why, per direction, naming the policies and the rule that allowed it. */
  explain(flow: Flow): Explanation {
    return buildExplanation(this, this.#resolver, flow);
  }

  /** Every ordered pair of pods for one port: the whole-cluster reachability matrix. */
  matrix(query: { readonly port: number | string; readonly protocol?: Protocol }): Matrix {
    const protocol = query.protocol ?? "TCP";
    const pods = this.ir.pods;
    const flows: MatrixFlow[] = [];
    const numeric = typeof query.port === "number" ? this.portIndex(protocol, query.port) : -1;
    const portOf = pods.map((_, dst) =>
      numeric >= 0 ? numeric : this.#resolver.namedPortIndex(dst, query.port as string, protocol),
    );
    for (let src = 0; src < pods.length; src++) {
      for (let dst = 0; dst < pods.length; dst++) {
        const k = portOf[dst]!;
        const verdict = k < 0 ? "unknown" : VERDICTS[this.decideIndex(src, dst, k)]!;
        flows.push({ from: pods[src]!, to: pods[dst]!, verdict });
      }
    }
    return { port: query.port, protocol, profile: this.profile.name, pods, flows };
  }
}
