// Purity (docs/architecture.md, Invariants): compiling, querying and the reference evaluator never
// mutate their input; a deep-frozen cluster works (a write would throw in strict-mode ESM).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { serializeTable } from "../../src/engine/serialize-table.ts";
import type { Cluster } from "../../src/model/types.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { scenarioArb } from "../arbitraries.ts";

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === "object" && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const k of Reflect.ownKeys(x)) deepFreeze((x as Record<PropertyKey, unknown>)[k]);
  }
  return x;
}

/** A structural snapshot: every own key in insertion order, and each object's prototype kind. */
function snapshot(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? { proto: Object.getPrototypeOf(v) === null ? "null" : "object", ...v }
      : v,
  );
}

/** A deep copy of the cluster's plain data, rebuilt (not shared) so that comparing is meaningful. */
const copy = (c: Cluster): Cluster => structuredClone(c);

describe("purity", () => {
  it("a deep-frozen cluster compiles and evaluates, and nothing is mutated", () => {
    fc.assert(
      fc.property(scenarioArb, ({ cluster, flows }) => {
        const before = snapshot(cluster);
        const fresh = compile(copy(cluster));
        const frozen = deepFreeze(cluster);
        for (const profile of ["conformance", "ipblock-external"] as const) {
          const table = compile(frozen, { profile });
          for (const flow of flows.slice(0, 40)) {
            expect(table.decide(flow).verdict).toBe(evaluate(frozen, flow, profile).verdict);
            table.explain(flow);
          }
          table.matrix({ port: 80 });
        }
        expect(snapshot(frozen)).toBe(before);
        // The frozen input compiles to exactly what a fresh copy does.
        expect(serializeTable(compile(frozen))).toBe(serializeTable(fresh));
      }),
      { numRuns: 200 },
    );
  });

  it("the compiled IR holds no references into the model", () => {
    fc.assert(
      fc.property(scenarioArb, ({ cluster }) => {
        const table = compile(cluster);
        const seen = new Set<unknown>();
        const walk = (x: unknown): void => {
          if (x === null || typeof x !== "object" || seen.has(x)) return;
          seen.add(x);
          for (const v of Object.values(x)) walk(v);
        };
        walk(cluster);
        const leaks: unknown[] = [];
        const check = (x: unknown): void => {
          if (x === null || typeof x !== "object" || ArrayBuffer.isView(x)) return;
          if (seen.has(x) && x !== table.ir.profile) leaks.push(x);
          for (const v of Object.values(x)) check(v);
        };
        check(table.ir);
        expect(leaks).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
