// Query mixes over a compiled table, as index triples `[src, dst, portClass]` (the input of
// `allowsIndex`), seeded and generated from the table alone so that every scenario gets the same
// three mixes whatever generated it:
//
// * `uniform` — source and destination uniform over every endpoint (pods, then address classes),
//   the port class uniform: the worst case for the caches, the mix the memory floor is read for;
// * `sameNamespace` — a uniform pod and a uniform pod of its namespace (the folded cells);
// * `zipf` — source and destination drawn from a Zipf(1.1) law over the pods in a seeded random
//   order (a few hot pods take most queries, as in a controller's traffic), the port class uniform.
//
// `toFlows` turns triples back into named flows (`namespace/name` or an address of the class, and
// a port of the class) for `decide`, `explain` and the reference evaluator, keeping only those that
// resolve to the very same triple — so that every per-flow number is over the same pairs.
import type { PolicyTable } from "../src/engine/policy-table.ts";
import { KIND_POD } from "../src/ir/policy-table-ir.ts";
import type { Flow } from "../src/model/flow.ts";
import { PROTOCOLS, type Protocol } from "../src/model/types.ts";
import { formatIP } from "../src/net/ip.ts";
import { mulberry32 } from "./generate.ts";
import type { IndexTriples } from "./harness.ts";

export type MixName = "uniform" | "sameNamespace" | "zipf";
export const MIXES: readonly MixName[] = ["uniform", "sameNamespace", "zipf"];

/** `count` triples of a mix, deterministic for the table and the seed. */
export function queryMix(table: PolicyTable, mix: MixName, count: number, seed: number): IndexTriples {
  const ir = table.ir;
  const rng = mulberry32(seed);
  const E = ir.kind.length;
  const K = ir.portClassCount;
  const pods: number[] = [];
  for (let e = 0; e < E; e++) if (ir.kind[e] === KIND_POD) pods.push(e);
  const data = new Int32Array(3 * count);
  if (mix === "uniform" || pods.length === 0) {
    for (let i = 0; i < count; i++) {
      data[3 * i] = rng.int(E);
      data[3 * i + 1] = rng.int(E);
      data[3 * i + 2] = rng.int(K);
    }
  } else if (mix === "sameNamespace") {
    const byNamespace = new Map<number, number[]>();
    for (const e of pods) {
      const ns = ir.namespace[e]!;
      const list = byNamespace.get(ns);
      if (list === undefined) byNamespace.set(ns, [e]);
      else list.push(e);
    }
    for (let i = 0; i < count; i++) {
      const s = pods[rng.int(pods.length)]!;
      const mates = byNamespace.get(ir.namespace[s]!)!;
      data[3 * i] = s;
      data[3 * i + 1] = mates[rng.int(mates.length)]!;
      data[3 * i + 2] = rng.int(K);
    }
  } else {
    // Zipf(1.1) over the pods in a random order: rank r has weight 1 / r^1.1.
    const order = pods.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const cdf = new Float64Array(order.length);
    let total = 0;
    for (let r = 0; r < order.length; r++) cdf[r] = total += 1 / (r + 1) ** 1.1;
    const draw = (): number => {
      const x = rng.next() * total;
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return order[lo]!;
    };
    for (let i = 0; i < count; i++) {
      data[3 * i] = draw();
      data[3 * i + 1] = draw();
      data[3 * i + 2] = rng.int(K);
    }
  }
  return { data, count };
}

/** A port of port class `k` (the class's first port, 1 for a class starting at 0), or undefined (a class of port 0 alone). */
function portOf(table: PolicyTable, k: number): { protocol: Protocol; port: number } | undefined {
  const ir = table.ir;
  for (const protocol of PROTOCOLS) {
    const starts = ir.portClassStarts[protocol];
    const c = k - ir.portClassOffset[protocol];
    if (c < 0 || c >= starts.length) continue;
    const port = Math.max(1, starts[c]!);
    const next = c + 1 < starts.length ? starts[c + 1]! : 65536;
    return port < next && port <= 65535 ? { protocol, port } : undefined;
  }
  return undefined;
}

/**
 * Named flows of the first triples (at most `max`): a pod by its display name, an address class by
 * its first address; only flows that `resolve` maps back to the same triple (an address class whose
 * first address is a pod's resolves to the pod, and is skipped).
 */
export function toFlows(table: PolicyTable, triples: IndexTriples, max: number): Flow[] {
  const ir = table.ir;
  const P = ir.pods.length;
  const name = (e: number): string => {
    if (e < P) return ir.pods[e]!;
    const c = ir.addressClasses[e - P]!;
    return formatIP({ family: c.family, value: BigInt(c.first) });
  };
  const out: Flow[] = [];
  const { data } = triples;
  for (let i = 0; i < triples.count && out.length < max; i++) {
    const src = data[3 * i]!;
    const dst = data[3 * i + 1]!;
    const port = portOf(table, data[3 * i + 2]!);
    if (port === undefined) continue;
    const flow: Flow = { from: name(src), to: name(dst), port: port.port, protocol: port.protocol };
    const r = table.resolve(flow);
    if (r.ok && r.src === src && r.dst === dst && r.portIndex === data[3 * i + 2]) out.push(flow);
  }
  return out;
}
