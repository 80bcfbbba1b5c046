import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Decision, Explanation, Flow, Matrix, MatrixFlow, MatrixRows, Verdict } from "../model/flow.ts";
import type { Profile } from "../model/profile.ts";
import type { Diagnostic, Protocol } from "../model/types.ts";
import { buildExplanation } from "./explain.ts";
import { packTable } from "./pack-table.ts";
import { createResolver, type EndpointResolver } from "./resolve.ts";

/** Verdict code 0 of the index-level API (`table.decideIndex(src, dst, portIndex) === DENY`): the flow is denied. */
export const DENY = 0;
/** Verdict code 1 of the index-level API (`table.decideIndex(src, dst, portIndex) === ALLOW`): the flow is allowed. */
export const ALLOW = 1;
/** Verdict code 2 of the index-level API (`decideIndex`): undecidable, e.g. an endpoint has no address of the flow's family. */
export const UNKNOWN = 2;
const VERDICTS: readonly Verdict[] = ["deny", "allow", "unknown"];

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
  // Hot path (see pack-table.ts). TypeScript-private, not #private: on Node 20 a #field read costs
  // a brand check per access, measurable at this scale.
  private readonly rec: Int32Array;
  private readonly eG: Int32Array;
  private readonly eL: Int32Array;
  private readonly iG: Int32Array;
  private readonly iL: Int32Array;
  private readonly self: boolean;
  private readonly ownNode: boolean;
  readonly #E: number;

  constructor(ir: PolicyTableIR, diagnostics: readonly Diagnostic[] = []) {
    this.ir = ir;
    this.profile = ir.profile;
    this.diagnostics = diagnostics;
    this.#resolver = createResolver(ir);
    const packed = packTable(ir);
    this.rec = packed.records;
    this.eG = packed.egressGlobal;
    this.eL = packed.egressLocal;
    this.iG = packed.ingressGlobal;
    this.iL = packed.ingressLocal;
    this.#E = ir.kind.length;
    this.self = ir.profile.allowSelf;
    this.ownNode = ir.profile.allowFromOwnNode;
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
  decideIndex(src: number, dst: number, portIndex: number, variant?: number): number {
    return this.query(src, dst, portIndex, variant === undefined ? 3 : variant);
  }

  /** `decideIndex(...) === ALLOW`. */
  allowsIndex(src: number, dst: number, portIndex: number, variant?: number): boolean {
    return this.query(src, dst, portIndex, variant === undefined ? 3 : variant) === 1;
  }

  /**
   * The query; `fixed` is the flow's variant when an endpoint given as an IP fixes it, else 3.
   * Record offsets are literals (module-level consts cost a context load and a hole check per read
   * on Node 20); the layout is documented in pack-table.ts.
   */
  private query(src: number, dst: number, portIndex: number, fixed: number): number {
    const m = this.rec;
    const s = src << 4;
    const d = dst << 4;
    const fs = m[s + 1]!;
    const fd = m[d + 1]!;
    const idS = m[s]!;
    if (idS === m[d] && (fs & 1) === 1 && this.self) return 1; // ALLOW: a pod reaching itself
    // The flow's variant (docs/decisions.md #5-#8, #15): fixed by an endpoint given as an IP; else an
    // address endpoint's family; else the destination's primary (the source's when it has none).
    const primD = (fd >> 1) & 3;
    const v = fixed < 3 ? fixed : (fd & 1) === 1 && ((fs & 1) === 0 || primD === 2) ? (fs >> 1) & 3 : primD;
    if ((fs & fd & (8 << v)) === 0) return 2; // UNKNOWN: an endpoint without an address of the family
    const word = portIndex >>> 5;
    const bit = portIndex & 31;
    const sameNs = m[s + 2] === m[d + 2];
    // Egress at the source (a base of −1: not isolated, or not a pod), then ingress at the destination.
    const eBase = m[s + 4]!;
    if (
      eBase >= 0 &&
      ((this.eG[eBase + m[d + 10 + v]! + word]! >>> bit) & 1) === 0 &&
      (!sameNs || ((this.eL[m[s + 5]! + m[d + 8]! + word]! >>> bit) & 1) === 0)
    )
      return 0; // DENY at egress
    const iBase = m[d + 6]!;
    if (
      iBase >= 0 &&
      !(idS === m[d + 3] && this.ownNode) &&
      ((this.iG[iBase + m[s + 13 + v]! + word]! >>> bit) & 1) === 0 &&
      (!sameNs || ((this.iL[m[d + 7]! + m[s + 9]! + word]! >>> bit) & 1) === 0)
    )
      return 0; // DENY at ingress
    return 1;
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
    const rows = this.matrixRows(query);
    const pods = rows.pods;
    const flows: MatrixFlow[] = [];
    for (let src = 0; src < pods.length; src++) {
      const row = rows.row(src);
      for (let dst = 0; dst < pods.length; dst++)
        flows.push({ from: pods[src]!, to: pods[dst]!, verdict: row[dst]! });
    }
    return { port: rows.port, protocol: rows.protocol, profile: rows.profile, pods, flows };
  }

  /**
   * The matrix row by row (see `MatrixRows`): memory for one row, whatever the cluster's size.
   *
   * @example
   * const rows = table.matrixRows({ port: 8080 });
   * rows.row(rows.pods.indexOf("shop/frontend")); // ["deny", "allow", ...], one verdict per pod
   */
  matrixRows(query: { readonly port: number | string; readonly protocol?: Protocol }): MatrixRows {
    const protocol = query.protocol ?? "TCP";
    const pods = this.ir.pods;
    const numeric = typeof query.port === "number" ? this.portIndex(protocol, query.port) : -1;
    // A named port resolves against each destination pod (−1: it declares none → unknown).
    const portOf = pods.map((_, dst) =>
      numeric >= 0 ? numeric : this.#resolver.namedPortIndex(dst, query.port as string, protocol),
    );
    const verdicts: Verdict[] = new Array<Verdict>(pods.length);
    const row = (src: number): readonly Verdict[] => {
      for (let dst = 0; dst < pods.length; dst++) {
        const k = portOf[dst]!;
        verdicts[dst] = k < 0 ? "unknown" : VERDICTS[this.decideIndex(src, dst, k)]!;
      }
      return verdicts;
    };
    return { port: query.port, protocol, profile: this.profile.name, pods, row };
  }
}
