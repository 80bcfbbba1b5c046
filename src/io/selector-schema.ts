import * as z from "zod";
import { labelMap } from "../model/cluster.ts";
import type { LabelSelector, LabelSelectorRequirement, Labels } from "../model/types.ts";
import { describeValue, quote } from "./describe-value.ts";
import { labelValueError, qualifiedNameError } from "./name-validation.ts";
import { fail, type RefineContext } from "./zod-issues.ts";

/** Check one label key (`IsQualifiedName`); reports at `path`. */
export function checkLabelKey(ctx: RefineContext, key: string, path: readonly PropertyKey[]): void {
  const bad = qualifiedNameError(key);
  if (bad !== undefined) fail(ctx, "invalid-label-key", `invalid label key ${quote(key)}: ${bad}`, path);
}

/** Check one label value (`IsValidLabelValue`); reports at `path`. */
export function checkLabelValue(ctx: RefineContext, value: string, path: readonly PropertyKey[]): void {
  const bad = labelValueError(value);
  if (bad !== undefined)
    fail(ctx, "invalid-label-value", `invalid label value ${quote(value)}: ${bad}`, path);
}

/**
 * A label map (`metadata.labels`, `matchLabels`). Read by hand rather than with `z.record`: the
 * input's own keys are walked with `Object.entries` (so a `__proto__` key that `JSON.parse` or
 * `yaml` made an own property is seen and rejected, never assigned through), and the result is a
 * null-prototype map in which `constructor` is an ordinary key. `null` means absent, as in Go.
 *
 * @example
 * labelsSchema.parse({ app: "web" }) // { app: "web" } (null prototype)
 */
export const labelsSchema: z.ZodType<Labels | undefined, unknown> = z
  .unknown()
  .transform((input, ctx): Labels | undefined => {
    if (input === undefined || input === null) return undefined;
    if (typeof input !== "object" || Array.isArray(input)) {
      fail(ctx, "invalid-type", `expected a map of labels, got ${describeValue(input)}`);
      return undefined;
    }
    const entries: [string, string][] = [];
    for (const [key, value] of Object.entries(input)) {
      checkLabelKey(ctx, key, [key]);
      if (typeof value !== "string") {
        const hint =
          typeof value === "number" || typeof value === "boolean"
            ? " (quote it: label values are strings; YAML reads unquoted 1, true, yes, on as numbers/booleans)"
            : "";
        fail(
          ctx,
          "invalid-type",
          `label ${quote(key)} must have a string value, got ${describeValue(value)}${hint}`,
          [key],
        );
        continue;
      }
      checkLabelValue(ctx, value, [key]);
      entries.push([key, value]);
    }
    return labelMap(entries);
  });

const OPERATORS: ReadonlySet<string> = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/** `metav1.LabelSelectorRequirement`, validated as `ValidateLabelSelectorRequirement` does. */
const requirementSchema = z
  .object({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() })
  .transform((r, ctx): LabelSelectorRequirement => {
    checkLabelKey(ctx, r.key, ["key"]);
    const values = r.values ?? [];
    if (!OPERATORS.has(r.operator)) {
      fail(
        ctx,
        "invalid-selector",
        `invalid selector operator ${quote(r.operator)}: must be one of In, NotIn, Exists, DoesNotExist (exact case)`,
        ["operator"],
      );
    } else if ((r.operator === "In" || r.operator === "NotIn") && values.length === 0) {
      fail(ctx, "invalid-selector", `operator ${r.operator} needs at least one value (key ${quote(r.key)})`, [
        "values",
      ]);
    } else if ((r.operator === "Exists" || r.operator === "DoesNotExist") && values.length > 0) {
      fail(
        ctx,
        "invalid-selector",
        `operator ${r.operator} must not have values, got ${quote(values.join(","))}`,
        ["values"],
      );
    }
    values.forEach((v, i) => {
      checkLabelValue(ctx, v, ["values", i]);
    });
    const operator = r.operator as LabelSelectorRequirement["operator"];
    return values.length > 0 ? { key: r.key, operator, values } : { key: r.key, operator };
  });

/**
 * `metav1.LabelSelector`: `matchLabels` AND `matchExpressions`; `{}` selects everything.
 *
 * @example
 * selectorSchema.parse({ matchLabels: { app: "web" } })
 */
export const selectorSchema: z.ZodType<LabelSelector, unknown> = z
  .object({ matchLabels: labelsSchema.optional(), matchExpressions: z.array(requirementSchema).nullish() })
  .transform((s): LabelSelector => {
    const out: { matchLabels?: Labels; matchExpressions?: readonly LabelSelectorRequirement[] } = {};
    if (s.matchLabels !== undefined) out.matchLabels = s.matchLabels;
    if (s.matchExpressions !== undefined && s.matchExpressions !== null)
      out.matchExpressions = s.matchExpressions;
    return out;
  });
