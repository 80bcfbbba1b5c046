import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import { hasOpenPodRange } from "../ir/read-pod-range.ts";
import type { Decision, DomainNameResolver, Explanation, Flow, Matrix, MatrixRows } from "../model/flow.ts";
import type { Profile } from "../model/profile.ts";
import type { Diagnostic, Protocol } from "../model/types.ts";
import { decideFlow } from "./decide-flow.ts";
import { buildExplanation } from "./explain.ts";
import { HashedQuery } from "./hashed-query.ts";
import { matrixOf, matrixRowsOf } from "./matrix.ts";
import { type GroupedMatrixRows, groupMatrixRows } from "./owner-groups.ts";
import { LAYOUT_HASHED, type PackedTable, type PackOptions, packTable } from "./pack-table.ts";
import { createResolver, type EndpointResolver, type ResolvedFlow } from "./resolve.ts";

export type { ResolvedFlow };

/** Verdict code 0 of the index-level API (`table.decideIndex(src, dst, portIndex) === DENY`): the flow is denied. */
export const DENY = 0;
/** Verdict code 1 of the index-level API (`table.decideIndex(src, dst, portIndex) === ALLOW`): the flow is allowed. */
export const ALLOW = 1;
/** Verdict code 2 of the index-level API (`decideIndex`): undecidable, e.g. an endpoint has no address of the flow's family. */
export const UNKNOWN = 2;

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
  #resolverOf: EndpointResolver | undefined;
  // Hot path (see pack-table.ts). TypeScript-private, not #private: on Node 20 a #field read costs
  // a brand check per access, measurable at this scale. Profile switches are ints, not booleans: a
  // boolean field is read through a full ToBoolean.
  declare private readonly rec: Int32Array;
  declare private readonly cells: Int32Array;
  declare private readonly variantBase: Int32Array;
  declare private readonly selfBit: number;
  declare private readonly ownNode: number;
  declare private readonly endpoints: number;
  declare private readonly ports: number;
  readonly #count: number;
  readonly #domainNames: DomainNameResolver | undefined;
  /** Some address-less pod's class is left open by the pod range (docs/decisions.md #46). */
  readonly #openRange: boolean;
  /** The view as packed (kept for `withView`). */
  readonly #packed: PackedTable;
  /** The hashed view's query (`view === "hashed"`), else undefined; `hashedEndpoints` its endpoint count (0: packed). */
  declare private readonly hashed: HashedQuery | undefined;
  declare private readonly hashedEndpoints: number;
  /**
   * The query's view (pack-table.ts): `packed` (cells as port-class bitmasks), or `hashed` for a
   * table whose packed cells would pass `PACK_LIMIT` (pack-hashed.ts). Both are O(1); the answers
   * never depend on it.
   */
  readonly view: "packed" | "hashed";

  /**
   * `pack` chooses the query layout's trade-offs (pack-table.ts); the answers never depend on it.
   * `domainNames` decides `domainNames` peers in `decide` and `explain` (docs/decisions.md #31).
   */
  constructor(
    ir: PolicyTableIR,
    diagnostics: readonly Diagnostic[] = [],
    pack: PackOptions = {},
    domainNames?: DomainNameResolver,
    /** Internal (incremental updates): a view already packed for `ir`. */
    prepacked?: PackedTable,
  ) {
    this.ir = ir;
    this.profile = ir.profile;
    this.diagnostics = diagnostics;
    this.#resolverOf = undefined; // built on the first lookup by name (a name map of every endpoint)
    this.#domainNames = domainNames;
    const packed = prepacked ?? packTable(ir, pack);
    this.rec = packed.records;
    this.cells = packed.cells;
    this.variantBase = packed.variantBase;
    this.#count = ir.kind.length;
    const hashed = packed.layout === LAYOUT_HASHED;
    this.view = hashed ? "hashed" : "packed";
    this.hashed = packed.hashed === undefined ? undefined : new HashedQuery(ir, packed.hashed);
    // The layout int, tested once per table and at no cost to the packed path: a hashed table
    // has no packed records, the range check of `query` fails for every index, and the rare path
    // (`slowIndex`) hands valid indices to the hashed view's query.
    this.endpoints = hashed ? 0 : ir.kind.length;
    this.hashedEndpoints = hashed ? ir.kind.length : 0;
    this.ports = ir.portClassCount;
    this.selfBit = ir.profile.allowSelf ? 1 : 0;
    this.ownNode = ir.profile.allowFromOwnNode ? 1 : 0;
    // Last, after the hot fields (their layout is measured: docs/benchmarks.md).
    this.#openRange = hasOpenPodRange(ir);
    this.#packed = packed;
  }

  /** The name and port resolver, made on first use: `allowsIndex` callers never pay for it. */
  #resolver(): EndpointResolver {
    this.#resolverOf ??= createResolver(this.ir);
    return this.#resolverOf;
  }

  /** Number of endpoints (pods, then address classes); valid endpoint indices are `0 … endpointCount − 1`. */
  get endpointCount(): number {
    return this.#count;
  }

  /**
   * Internal (incremental updates, src/incremental/): the table of `ir` — an update of this
   * table's IR — with `diagnostics`, its view `update` made from this table's (a record inserted or
   * taken out, pack-splice.ts; a namespace folded anew, pack-refold.ts), or packed anew where
   * `update` gives undefined.
   */
  withView(
    ir: PolicyTableIR,
    diagnostics: readonly Diagnostic[],
    update: (packed: PackedTable, endpoints: number) => PackedTable | undefined,
  ): PolicyTable {
    return new PolicyTable(ir, diagnostics, {}, this.#domainNames, update(this.#packed, this.#count));
  }

  /**
   * The verdict code (`DENY` 0, `ALLOW` 1, `UNKNOWN` 2) for endpoint indices and a port index.
   * No allocation, no strings: two records and one cell per direction (docs/architecture.md).
   * An index out of range (see `endpointCount`, `portIndex`) throws a `RangeError`.
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
    // `x >>> 0 !== x` rejects NaN, fractions, negatives and values ≥ 2³² (NaN would read as 0).
    if (
      src >>> 0 !== src ||
      dst >>> 0 !== dst ||
      portIndex >>> 0 !== portIndex ||
      src >= this.endpoints ||
      dst >= this.endpoints ||
      portIndex >= this.ports
    )
      return this.slowIndex(src, dst, portIndex, fixed);
    const m = this.rec;
    const s = src << 4;
    const d = dst << 4;
    const hs = m[s]!;
    const hd = m[d]!;
    if (src === dst && ((hs >>> 8) & this.selfBit) === 1) return 1; // ALLOW: a pod reaching itself
    // Endpoints of one primary family (and a flow of that family): region 0 holds each endpoint's
    // primary-variant fields, and both have an address of it. Otherwise the variant is computed.
    if ((((hs ^ hd) & 6) | ((hs | hd) & 128)) !== 0 || (fixed < 3 && fixed !== ((hd >> 1) & 3)))
      return this.mixedQuery(src, dst, portIndex, fixed);
    return this.decideAt(s, d, hs, hd, portIndex);
  }

  /** Endpoints of different primary families, or a flow given a family: the records of its variant. */
  private mixedQuery(src: number, dst: number, portIndex: number, fixed: number): number {
    const m = this.rec;
    const hs = m[src << 4]!;
    const hd = m[dst << 4]!;
    // The flow's variant (docs/decisions.md #5-#8, #15): fixed by an endpoint given as an IP; else an
    // address endpoint's family; else the destination's primary (the source's when it has none).
    const primD = (hd >> 1) & 3;
    const v = fixed < 3 ? fixed : (hd & 1) === 1 && ((hs & 1) === 0 || primD === 2) ? (hs >> 1) & 3 : primD;
    if ((hs & hd & (8 << v)) === 0) return 2; // UNKNOWN: an endpoint without an address of the family
    const base = this.variantBase[v]!;
    return this.decideAt((src << 4) + base, (dst << 4) + base, hs, hd, portIndex);
  }

  /**
   * The decision from the records at `s` and `d` (of the flow's variant) and the heads `hs`, `hd`.
   * `same` is 1 when both are in one namespace: then fields 5/7 and 9/11 (same-namespace row and
   * class) instead of 4/6 and 8/10. Branch-free but for split namespaces: the outcomes are data,
   * and a branch on them mispredicts.
   */
  private decideAt(s: number, d: number, hs: number, hd: number, portIndex: number): number {
    const m = this.rec;
    const same = ((m[s + 1]! ^ m[d + 1]!) - 1) >>> 31;
    if ((same & (hs >> 6)) === 1) return this.splitQuery(s, d, portIndex); // a split namespace
    const sv = s + same;
    const dv = d + same;
    const c = this.cells;
    const word = portIndex >>> 5;
    // Ingress from the destination pod's own node: an address source whose node key is the pod's.
    const ownNode = ((((hs ^ hd) >>> 9) - 1) >>> 31) & ~hs & hd & this.ownNode;
    return (
      (c[m[sv + 4]! + m[dv + 8]! + word]! >>> portIndex) &
      ((c[m[dv + 6]! + m[sv + 10]! + word]! >>> portIndex) | ownNode) &
      1
    );
  }

  /**
   * What the packed path does not take: every index of a hashed table (its packed range is empty),
   * and indices out of range. Small (the error is built elsewhere), so that V8 inlines it and the
   * hashed query where a hashed table takes it.
   */
  private slowIndex(src: number, dst: number, portIndex: number, fixed: number): number {
    const n = this.hashedEndpoints;
    if (
      src >>> 0 === src &&
      dst >>> 0 === dst &&
      portIndex >>> 0 === portIndex &&
      src < n &&
      dst < n &&
      portIndex < this.ports
    )
      return this.hashed!.query(src, dst, portIndex, fixed);
    return this.rangeError(src, dst, portIndex);
  }

  /** An index out of range or not an integer would read another endpoint's record: a clear error instead of an answer. */
  private rangeError(src: number, dst: number, portIndex: number): never {
    const n = this.#count;
    throw new RangeError(
      `decideIndex(${src}, ${dst}, ${portIndex}): endpoint indices are integers 0…${n - 1}, port indices 0…${this.ports - 1} (use endpointIndex and portIndex)`,
    );
  }

  /** Same-namespace flows of a split namespace (see pack-table.ts): allow | (open & local), per direction. */
  private splitQuery(s: number, d: number, portIndex: number): number {
    const m = this.rec;
    const c = this.cells;
    const word = portIndex >>> 5;
    const e =
      c[m[s + 4]! + m[d + 8]! + word]! |
      (c[m[s + 12]! + m[d + 8]! + word]! & c[m[s + 5]! + m[d + 9]! + word]!);
    const i =
      c[m[d + 6]! + m[s + 10]! + word]! |
      (c[m[d + 14]! + m[s + 10]! + word]! & c[m[d + 7]! + m[s + 11]! + word]!);
    return (e >>> portIndex) & (i >>> portIndex) & 1; // two pods: never the node's address
  }

  /** Endpoint index of `namespace/name` or an IP address; throws `InputError` (`unknown-endpoint`) otherwise. */
  endpointIndex(ref: string): number {
    return this.#resolver().endpoint(ref);
  }

  /** Port index of a numeric port (0–65535) of a protocol; throws `InputError` (`invalid-port`) otherwise. */
  portIndex(protocol: Protocol, port: number): number {
    return this.#resolver().port(protocol, port);
  }

  /** Resolve a flow's endpoints and port to indices (named ports against the destination pod). */
  resolve(flow: Flow): ResolvedFlow {
    return this.#resolver().flow(flow);
  }

  /** The verdict for a flow, with a reason when it is `unknown`. */
  decide(flow: Flow): Decision {
    return decideFlow(this, this.#resolver(), flow, this.#domainNames, this.#openRange);
  }

  /** `decide(flow).verdict === "allow"`. */
  allows(flow: Flow): boolean {
    // Domain names can turn a table's answer into an allow; else only the code says "allow".
    if (this.ir.undecidable === 1) return this.decide(flow).verdict === "allow";
    const r = this.#resolver().scratchFlow(flow);
    return r.ok && this.query(r.src, r.dst, r.portIndex, r.variant) === ALLOW;
  }

  /** The decision and why, per direction, naming the policies and the rule that allowed it. */
  explain(flow: Flow): Explanation {
    return buildExplanation(this, this.#resolver(), flow, this.#domainNames);
  }

  /** Every ordered pair of pods for one port: the whole-cluster reachability matrix. */
  matrix(query: { readonly port: number | string; readonly protocol?: Protocol }): Matrix {
    return matrixOf(this.matrixRows(query));
  }

  /**
   * The matrix with each owner's pods as one row and column (`ownerGroups`): a cell is the verdict
   * all its pod pairs share, or `mixed`. Endpoints without an owner stay on their own.
   *
   * @example
   * const g = table.matrixRowsByOwner({ port: 80 });
   * g.pods; // ["shop/db", "shop/web", …] — "shop/web" standing for the Deployment's pods
   */
  matrixRowsByOwner(query: {
    readonly port: number | string;
    readonly protocol?: Protocol;
  }): GroupedMatrixRows {
    return groupMatrixRows(this.ir, this.matrixRows(query));
  }

  /**
   * The matrix row by row (see `MatrixRows`): memory for one row, whatever the cluster's size.
   *
   * @example
   * const rows = table.matrixRows({ port: 8080 });
   * rows.row(rows.pods.indexOf("shop/frontend")); // ["deny", "allow", ...], one verdict per pod
   */
  matrixRows(query: { readonly port: number | string; readonly protocol?: Protocol }): MatrixRows {
    return matrixRowsOf(this, this.#resolver(), this.#openRange, query);
  }
}
