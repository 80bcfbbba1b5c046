import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import { readOpenPodRange } from "../ir/read-pod-range.ts";
import type { Matrix, MatrixFlow, MatrixRows, Verdict } from "../model/flow.ts";
import type { Profile } from "../model/profile.ts";
import type { Protocol } from "../model/types.ts";
import type { EndpointResolver } from "./resolve.ts";

const VERDICTS: readonly Verdict[] = ["deny", "allow", "unknown"];

/** What the matrix reads of a `PolicyTable` (a structural type, so that the two files import one way). */
export interface MatrixTable {
  readonly ir: PolicyTableIR;
  readonly profile: Profile;
  portIndex(protocol: Protocol, port: number): number;
  decideIndex(src: number, dst: number, portIndex: number, variant?: number): number;
}

/** Every ordered pair of pods, from the rows. */
export function matrixOf(rows: MatrixRows): Matrix {
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
 * The matrix row by row: one verdict per destination pod, from `decideIndex`; a deny between two
 * address-less pods that some place in the pod range would allow is unknown (docs/decisions.md
 * #46-#47; `openRange`: the table has such pods at all).
 */
export function matrixRowsOf(
  table: MatrixTable,
  resolver: EndpointResolver,
  openRange: boolean,
  query: { readonly port: number | string; readonly protocol?: Protocol },
): MatrixRows {
  const protocol = query.protocol ?? "TCP";
  const ir = table.ir;
  const pods = ir.pods;
  const numeric = typeof query.port === "number" ? table.portIndex(protocol, query.port) : -1;
  // A named port resolves against each destination pod (−1: it declares none → unknown).
  const portOf = pods.map((_, dst) =>
    numeric >= 0 ? numeric : resolver.namedPortIndex(dst, query.port as string, protocol),
  );
  const verdicts: Verdict[] = new Array<Verdict>(pods.length);
  const row = (src: number): readonly Verdict[] => {
    for (let dst = 0; dst < pods.length; dst++) {
      const k = portOf[dst]!;
      const code = k < 0 ? 2 : table.decideIndex(src, dst, k);
      verdicts[dst] =
        code === 0 && openRange && readOpenPodRange(ir, src, dst, k) !== undefined
          ? "unknown"
          : VERDICTS[code]!;
    }
    return verdicts;
  };
  return { port: query.port, protocol, profile: table.profile.name, pods, row };
}
