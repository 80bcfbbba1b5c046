/** One problem with the input, located as precisely as the input allows. */
export interface InputIssue {
  /** Stable, kebab-case: `yaml-syntax`, `invalid-cidr`, `invalid-selector`, `unknown-endpoint`, ... */
  readonly code: string;
  /** The file (or `<stdin>`) the object came from. */
  readonly file?: string;
  /** `Kind namespace/name` (or `Kind name` for cluster-scoped kinds). */
  readonly object?: string;
  /** Field path inside the object, e.g. `spec.ingress[0].from[0].ipBlock.cidr`. */
  readonly path?: string;
  /** Names the bad value. */
  readonly message: string;
}

/**
 * Render one issue as a single line: `file: Kind ns/name: path: message [code]` (absent parts left out).
 *
 * @example
 * formatIssue({ code: "invalid-cidr", file: "a.yaml", object: "NetworkPolicy shop/db", message: "bad CIDR" });
 * // "a.yaml: NetworkPolicy shop/db: bad CIDR [invalid-cidr]"
 */
export function formatIssue(issue: InputIssue): string {
  const parts: string[] = [];
  if (issue.file !== undefined) parts.push(issue.file);
  if (issue.object !== undefined) parts.push(issue.object);
  if (issue.path !== undefined && issue.path !== "") parts.push(issue.path);
  parts.push(`${issue.message} [${issue.code}]`);
  return parts.join(": ");
}

/** Longest part (file, object, path, message) of a shortened issue before it is cut with `…`. */
export const MAX_ISSUE_PART = 200;

const cut = (text: string): string =>
  text.length > MAX_ISSUE_PART ? `${text.slice(0, MAX_ISSUE_PART - 1)}…` : text;

/**
 * `formatIssue` with every part cut to `MAX_ISSUE_PART` characters: a 10 000-character path or
 * value stays one readable line.
 *
 * @example
 * formatIssueShort({ code: "invalid-name", message: "x".repeat(500) }).length // 207
 */
export function formatIssueShort(issue: InputIssue): string {
  return formatIssue({
    ...issue,
    message: cut(issue.message),
    ...(issue.file === undefined ? {} : { file: cut(issue.file) }),
    ...(issue.object === undefined ? {} : { object: cut(issue.object) }),
    ...(issue.path === undefined ? {} : { path: cut(issue.path) }),
  });
}

/**
 * Bad input: thrown once, carrying every issue found. Its `message` lists the first 20, each cut
 * (`formatIssueShort`); `issues` holds every one whole.
 *
 * @example
 * try { parseCluster([{ name: "a.yaml", text: "kind: [" }]) } catch (e) {
 *   if (e instanceof InputError) console.error(e.issues.map(formatIssue).join("\n"));
 * }
 */
export class InputError extends Error {
  readonly issues: readonly InputIssue[];
  constructor(issues: readonly InputIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssueShort);
    if (issues.length > 20) shown.push(`... and ${issues.length - 20} more`);
    super(shown.join("\n"));
    this.name = "InputError";
    this.issues = issues;
  }
}
