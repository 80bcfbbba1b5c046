import type { LabelSelector, LabelSelectorRequirement, Labels } from "../model/types.ts";

/**
 * Whether one requirement holds for a label map, with apimachinery's exact meaning
 * (k8s.io/apimachinery/pkg/labels, `Requirement.Matches`):
 * `In` needs the key present with a listed value; `NotIn` holds when the key is absent or its
 * value is not listed; `Exists` / `DoesNotExist` test presence only.
 */
export function matchesRequirement(labels: Labels, req: LabelSelectorRequirement): boolean {
  const has = Object.hasOwn(labels, req.key);
  switch (req.operator) {
    case "In":
      return has && (req.values ?? []).includes(labels[req.key]!);
    case "NotIn":
      return !has || !(req.values ?? []).includes(labels[req.key]!);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
  }
}

/**
 * Whether a label selector selects a label map: every `matchLabels` entry (key present with that
 * exact value, so `{k: ""}` needs `k` present and empty) AND every `matchExpressions` requirement.
 * The empty selector `{}` selects everything.
 *
 * @example
 * matchesSelector({ app: "web" }, { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] }) // true
 */
export function matchesSelector(labels: Labels, selector: LabelSelector): boolean {
  const ml = selector.matchLabels;
  if (ml !== undefined) {
    for (const key of Object.keys(ml)) {
      if (!Object.hasOwn(labels, key) || labels[key] !== ml[key]) return false;
    }
  }
  for (const req of selector.matchExpressions ?? []) {
    if (!matchesRequirement(labels, req)) return false;
  }
  return true;
}
