import type * as z from "zod";
import type { InputIssue } from "../model/input-error.ts";
import { describeValue, quote } from "./describe-value.ts";

/** The context zod hands to `.transform` / `.superRefine` callbacks. */
export type RefineContext = z.RefinementCtx;

/**
 * Report one issue from inside a schema. `code` is ours (kebab-case, stable); `path` is relative
 * to the value being checked; zod prefixes the rest.
 *
 * @example
 * fail(ctx, "invalid-cidr", `invalid CIDR ${quote(cidr)}`, ["cidr"]);
 */
export function fail(
  ctx: RefineContext,
  code: string,
  message: string,
  path: readonly PropertyKey[] = [],
): void {
  ctx.addIssue({ code: "custom", message, params: { code }, path: [...path] });
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A field path as written in Kubernetes docs: `spec.ingress[0].from[0].ipBlock.cidr`; keys that
 * are not identifiers (label keys) are JSON-quoted in brackets: `metadata.labels["app/x"]`.
 *
 * @example
 * formatPath(["spec", "ingress", 0, "ports"]) // "spec.ingress[0].ports"
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const key = String(seg);
      if (IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/**
 * Map zod's issues to ours: custom issues carry their code in `params.code`; a missing required
 * field (or `null` in one) is `missing-field`; a wrong JSON type is `invalid-type`. zod's own
 * messages never reach the user.
 */
export function toInputIssues(
  issues: readonly z.core.$ZodIssue[],
  where: { readonly file: string; readonly object?: string; readonly prefix?: readonly PropertyKey[] },
): InputIssue[] {
  return issues.map((iss): InputIssue => {
    const path = formatPath([...(where.prefix ?? []), ...iss.path]);
    const base =
      where.object === undefined
        ? { file: where.file, path }
        : { file: where.file, object: where.object, path };
    if (iss.code === "custom") {
      const code = (iss.params as { code?: string } | undefined)?.code ?? "invalid-value";
      return { ...base, code, message: iss.message };
    }
    if (iss.code === "invalid_type") {
      const input = (iss as { input?: unknown }).input;
      const last = iss.path[iss.path.length - 1];
      if ((input === undefined || input === null) && typeof last !== "number")
        return {
          ...base,
          code: "missing-field",
          message: `required field ${quote(String(last ?? "value"))} is ${input === null ? "null" : "missing"}`,
        };
      return {
        ...base,
        code: "invalid-type",
        message: `expected ${article(iss.expected)}, got ${describeValue(input)}`,
      };
    }
    return { ...base, code: "invalid-value", message: "invalid value" };
  });
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
