// The matrix grouped by owner (docs/decisions.md #54): a Deployment's replicas are one row and one
// column, their pairs folded — one verdict when every pair agrees, `mixed` when they do not.
import type { PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { MatrixRows, Verdict } from "../model/flow.ts";

/** A grouped cell: the verdict every pod pair of the two groups has, or `mixed`. */
export type GroupVerdict = Verdict | "mixed";

/** The matrix with pods grouped: `pods` are the groups' names, `members` their pods. */
export interface GroupedMatrixRows {
  readonly port: number | string;
  readonly protocol: MatrixRows["protocol"];
  readonly profile: string;
  readonly pods: readonly string[];
  readonly members: readonly (readonly string[])[];
  row(src: number): readonly GroupVerdict[];
}

/**
 * Each endpoint's group: pods with the same top owner form one, named `ns/owner` (or
 * `ns/owner[Kind]` when an endpoint or another owner of the namespace has that name); any other
 * endpoint is a group of its own under its display name. Groups in order of their first member.
 */
export function ownerGroups(ir: PolicyTableIR): { names: string[]; groupOf: Int32Array } {
  const P = ir.pods.length;
  // The namespace from the display name: a hostNetwork pod's endpoint has namespace −1.
  const base = (i: number): string => {
    const [kind, ...name] = ir.podOwners[i]!.split("/");
    const ns = ir.pods[i]!.slice(0, ir.pods[i]!.indexOf("/"));
    return `${ns}/${name.join("/")}\u0000${kind}`;
  };
  const kindsOfBase = new Map<string, Set<string>>();
  for (let i = 0; i < P; i++) {
    if (ir.podOwners[i] === "") continue;
    const [b, kind] = base(i).split("\u0000") as [string, string];
    kindsOfBase.set(b, (kindsOfBase.get(b) ?? new Set()).add(kind));
  }
  const display = new Set(ir.pods);
  const names: string[] = [];
  const index = new Map<string, number>();
  const groupOf = new Int32Array(P);
  for (let i = 0; i < P; i++) {
    let name = ir.pods[i]!;
    if (ir.podOwners[i] !== "") {
      const [b, kind] = base(i).split("\u0000") as [string, string];
      name = display.has(b) || kindsOfBase.get(b)!.size > 1 ? `${b}[${kind}]` : b;
    }
    let g = index.get(name);
    if (g === undefined) {
      g = names.length;
      names.push(name);
      index.set(name, g);
    }
    groupOf[i] = g;
  }
  return { names, groupOf };
}

/** Fold a pod matrix into its owner groups; one source group's rows are read at a time. */
export function groupMatrixRows(ir: PolicyTableIR, rows: MatrixRows): GroupedMatrixRows {
  const { names, groupOf } = ownerGroups(ir);
  const members: number[][] = names.map(() => []);
  groupOf.forEach((g, i) => {
    members[g]!.push(i);
  });
  const out: GroupVerdict[] = new Array<GroupVerdict>(names.length);
  const row = (src: number): readonly GroupVerdict[] => {
    out.fill(undefined as unknown as GroupVerdict);
    for (const s of members[src]!) {
      const verdicts = rows.row(s);
      for (let d = 0; d < verdicts.length; d++) {
        const g = groupOf[d]!;
        const v = verdicts[d]!;
        const was = out[g];
        out[g] = was === undefined || was === v ? v : "mixed";
      }
    }
    return out;
  };
  return {
    port: rows.port,
    protocol: rows.protocol,
    profile: rows.profile,
    pods: names,
    members: members.map((m) => m.map((i) => ir.pods[i]!)),
    row,
  };
}
