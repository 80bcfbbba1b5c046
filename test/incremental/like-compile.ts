// What the incremental tests assert of a state after a change: the table a full compile of its
// cluster gives, byte for byte, with the same diagnostics and — the query's view being spliced or
// folded anew rather than packed — the same answer for every endpoint pair and port class.
import { expect } from "vitest";
import { compile } from "../../src/compile.ts";
import type { PolicyTable } from "../../src/engine/policy-table.ts";
import { serializeTable } from "../../src/engine/serialize-table.ts";
import type { CompileState } from "../../src/incremental/compile-state.ts";

/** Every `decideIndex` answer of `table` is `fresh`'s (`what` names the table in the failure). */
export function expectSameAnswers(table: PolicyTable, fresh: PolicyTable, what: string): void {
  const E = fresh.endpointCount;
  for (let a = 0; a < E; a++)
    for (let b = 0; b < E; b++)
      for (let c = 0; c < fresh.ir.portClassCount; c++)
        if (table.decideIndex(a, b, c) !== fresh.decideIndex(a, b, c))
          expect.fail(`decideIndex(${a}, ${b}, ${c}) differs (${what})`);
}

/** `state` answers as a full compile of its cluster does (table, diagnostics, answers); returns it. */
export function expectLikeCompile(state: CompileState): CompileState {
  const fresh = compile(state.cluster, state.options);
  expect(serializeTable(state.table)).toBe(serializeTable(fresh));
  expect(state.table.diagnostics).toEqual(fresh.diagnostics);
  expectSameAnswers(state.table, fresh, state.applied);
  return state;
}
