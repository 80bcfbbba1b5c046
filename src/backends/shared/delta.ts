// Render deltas (issue 14, docs/backends.md "Deltas"): what turns a datapath loaded with one
// render into one loaded with the next, as element and entry updates, for the backends whose
// artifacts are structure plus members. A delta exists only when the structure (chains, rules,
// program, set declarations) is unchanged; otherwise a full load is the way (`undefined`).
import type { Artifact } from "../contract.ts";

/** The content of artifact `path`, or undefined. */
export const contentOf = (artifacts: readonly Artifact[], path: string): string | undefined =>
  artifacts.find((a) => a.path === path)?.content;

/** A text without its comment lines (`#` first; counts of pods and entries live there). */
export const withoutComments = (text: string): string =>
  text
    .split("\n")
    .filter((l) => !l.trimStart().startsWith("#"))
    .join("\n");

/** Every artifact but `skip` equal in both renders, comments aside (the README says how to load; it may differ). */
export function sameExcept(
  before: readonly Artifact[],
  after: readonly Artifact[],
  skip: readonly string[],
): boolean {
  const paths = (xs: readonly Artifact[]): string[] => xs.map((a) => a.path).sort();
  if (paths(before).join("\n") !== paths(after).join("\n")) return false;
  return before.every(
    (a) =>
      skip.includes(a.path) ||
      a.path === "README" ||
      withoutComments(contentOf(after, a.path)!) === withoutComments(a.content),
  );
}

/**
 * Keyed entries of two renders compared: `removed` keys (in `before` only) and `put` keys (new in
 * `after`, or with another value), each in the order of its render.
 */
export function diffEntries(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): { removed: string[]; put: string[] } {
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const put = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
  return { removed, put };
}
