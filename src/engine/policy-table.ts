import { KIND_POD, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Decision, Explanation, Flow, Matrix, MatrixFlow, Verdict } from "../model/flow.ts";
import type { Profile } from "../model/profile.ts";
import type { Diagnostic, Protocol } from "../model/types.ts";
import { buildExplanation } from "./explain.ts";
import { type EndpointResolver, createResolver } from "./resolve.ts";

/** Verdict codes of the index-level API. */
export const DENY = 0;
export const ALLOW = 1;
export const UNKNOWN = 2;
const VERDICTS: readonly Verdict[] = ["deny", "allow", "unknown"];

/** A flow resolved to indices, or why it could not be. */
export type ResolvedFlow =
  | { readonly ok: true; readonly src: number; readonly dst: number; readonly port: number; readonly protocol: Protocol; readonly portIndex: number }
  | { readonly ok: false; readonly src: number; readonly dst: number; readonly protocol: Protocol; readonly reason: string };

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
  // Hot-path fields, copied out of the IR so the query reads own properties only.
  readonly #alias: Int32Array;
  readonly #kind: Uint8Array;
  readonly #prim: Uint8Array;
  readonly #mask: Uint8Array;
  readonly #ns: Int32Array;
  readonly #node: Int32Array;
  readonly #rows: Int32Array;
  readonly #K: number;
  readonly #E: number;
  readonly #self: boolean;
  readonly #ownNode: boolean;
  readonly #eGroup: Int32Array;
  readonly #eBase: Int32Array;
  readonly #eClass: Int32Array;
  readonly #eCells: Int32Array;
  readonly #eLBase: Int32Array;
  readonly #eLClass: Int32Array;
  readonly #eLCells: Int32Array;
  readonly #iGroup: Int32Array;
  readonly #iBase: Int32Array;
  readonly #iClass: Int32Array;
  readonly #iCells: Int32Array;
  readonly #iLBase: Int32Array;
  readonly #iLClass: Int32Array;
  readonly #iLCells: Int32Array;

  constructor(ir: PolicyTableIR, diagnostics: readonly Diagnostic[] = []) {
    this.ir = ir;
    this.profile = ir.profile;
    this.diagnostics = diagnostics;
    this.#resolver = createResolver(ir);
    this.#alias = ir.alias;
    this.#kind = ir.kind;
    this.#prim = ir.primaryVariant;
    this.#mask = ir.variantMask;
    this.#ns = ir.namespace;
    this.#node = ir.nodeEndpoint;
    this.#rows = ir.portRows;
    this.#K = ir.portClassCount;
    this.#E = ir.kind.length;
    this.#self = ir.profile.allowSelf;
    this.#ownNode = ir.profile.allowFromOwnNode;
    const e = ir.egress;
    const i = ir.ingress;
    this.#eGroup = e.group;
    this.#eBase = e.globalBase;
    this.#eClass = e.globalClass;
    this.#eCells = e.globalCells;
    this.#eLBase = e.localBase;
    this.#eLClass = e.localClass;
    this.#eLCells = e.localCells;
    this.#iGroup = i.group;
    this.#iBase = i.globalBase;
    this.#iClass = i.globalClass;
    this.#iCells = i.globalCells;
    this.#iLBase = i.localBase;
    this.#iLClass = i.localClass;
    this.#iLCells = i.localCells;
  }

  /** Number of endpoints (pods, then address classes); valid endpoint indices are `0 … endpointCount − 1`. */
  get endpointCount(): number {
    return this.#E;
  }

  /**
   * The verdict code (`DENY` 0, `ALLOW` 1, `UNKNOWN` 2) for endpoint indices and a port index.
   * No allocation, no strings: a handful of typed-array reads per direction.
   */
  decideIndex(src: number, dst: number, portIndex: number): number {
    src = this.#alias[src]!;
    dst = this.#alias[dst]!;
    const kindS = this.#kind[src];
    const kindD = this.#kind[dst];
    if (src === dst && kindS === KIND_POD && this.#self) return ALLOW;
    let v: number;
    if (kindD !== KIND_POD) v = this.#prim[dst]!;
    else if (kindS !== KIND_POD) v = this.#prim[src]!;
    else {
      v = this.#prim[dst]!;
      if (v === 2) v = this.#prim[src]!;
    }
    if ((this.#mask[src]! & this.#mask[dst]! & (1 << v)) === 0) return UNKNOWN;
    const K = this.#K;
    const rows = this.#rows;
    const sameNs = this.#ns[src] === this.#ns[dst];
    if (kindS === KIND_POD) {
      const g = this.#eGroup[src]!;
      if (
        g !== 0 &&
        rows[this.#eCells[this.#eBase[g]! + this.#eClass[v * this.#E + dst]!]! * K + portIndex] === 0 &&
        (!sameNs || rows[this.#eLCells[this.#eLBase[g]! + this.#eLClass[dst]!]! * K + portIndex] === 0)
      )
        return DENY;
    }
    if (kindD === KIND_POD && !(this.#ownNode && src === this.#node[dst])) {
      const g = this.#iGroup[dst]!;
      if (
        g !== 0 &&
        rows[this.#iCells[this.#iBase[g]! + this.#iClass[v * this.#E + src]!]! * K + portIndex] === 0 &&
        (!sameNs || rows[this.#iLCells[this.#iLBase[g]! + this.#iLClass[src]!]! * K + portIndex] === 0)
      )
        return DENY;
    }
    return ALLOW;
  }

  /** `decideIndex(...) === ALLOW`. */
  allowsIndex(src: number, dst: number, portIndex: number): boolean {
    return this.decideIndex(src, dst, portIndex) === ALLOW;
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
    const code = this.decideIndex(r.src, r.dst, r.portIndex);
    if (code !== UNKNOWN) {
      const family = this.#resolver.family(r.src, r.dst);
      return family === undefined ? { verdict: VERDICTS[code]! } : { verdict: VERDICTS[code]!, family };
    }
    return { verdict: "unknown", reason: this.#resolver.familyProblem(r.src, r.dst) };
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
