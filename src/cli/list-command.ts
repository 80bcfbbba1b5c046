// `netpol list`: the connectivity list (docs/reports.md), streamed to stdout in the chosen format.
import { connectionList, type ListOptions } from "../engine/connlist.ts";
import type { PolicyTable } from "../engine/policy-table.ts";
import type { ConnectionList } from "../model/connections.ts";
import { formatCsv } from "../report/format-csv.ts";
import { formatDot } from "../report/format-dot.ts";
import { formatJson, formatText } from "../report/format-list.ts";
import { formatMarkdown } from "../report/format-markdown.ts";
import { renderSvg } from "../report/render-svg.ts";
import type { CliEnv } from "./env.ts";
import { type Options, protocolOf, UsageError } from "./options.ts";

export const LIST_FORMATS = ["txt", "json", "csv", "md", "dot", "svg"] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** `--format` of list: `txt` (also `text`, the default) or one of the others. */
export function listFormatOf(text: string | undefined): ListFormat {
  if (text === undefined || text === "text") return "txt";
  if ((LIST_FORMATS as readonly string[]).includes(text)) return text as ListFormat;
  throw new UsageError(`--format of list must be ${LIST_FORMATS.join(", ")}, got "${text}"`);
}

/** `--port` of list: a number (a filter has no destination pod to resolve a name against). */
export function listPortOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw new UsageError(`--port of list must be a number 1-65535, got "${text}"`);
  return n;
}

/** Every option of list checked before any input is read. */
export function validateListOptions(opts: Options): void {
  listFormatOf(opts.format);
  listPortOf(opts.port);
  if (opts.focus === "") throw new UsageError("--focus needs ns/name");
  if (opts.namespace === "") throw new UsageError("--namespace needs a name");
}

/** Progress on stderr for big lists: at most one line every 2 seconds, none for small ones. */
function progress(env: CliEnv): NonNullable<ListOptions["progress"]> {
  let last = Date.now();
  return (done, total) => {
    if (total < 2000 || done === total) return;
    const now = Date.now();
    if (now - last < 2000) return;
    last = now;
    env.stderr(`netpol: list: ${done} of ${total} sources\n`);
  };
}

function chunks(list: ConnectionList, format: Exclude<ListFormat, "svg">): Iterable<string> {
  if (format === "json") return formatJson(list);
  if (format === "csv") return formatCsv(list);
  if (format === "md") return formatMarkdown(list);
  if (format === "dot") return [formatDot(list)];
  return formatText(list);
}

/** Write the list; returns the exit code (a promise for svg: Graphviz loads asynchronously). */
export function listCommand(env: CliEnv, table: PolicyTable, opts: Options): number | Promise<number> {
  const port = listPortOf(opts.port);
  const list = connectionList(table, {
    ...(opts.focus === undefined ? {} : { focus: opts.focus }),
    ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
    ...(opts.protocol === undefined ? {} : { protocol: protocolOf(opts.protocol) }),
    ...(port === undefined ? {} : { port }),
    ...(opts.quiet === true ? {} : { progress: progress(env) }),
  });
  const format = listFormatOf(opts.format);
  if (format === "svg")
    return renderSvg(formatDot(list)).then((svg) => {
      env.stdout(svg.endsWith("\n") ? svg : `${svg}\n`);
      return 0;
    });
  // Batched: one write per ~64 KiB, not one per line.
  let buffer = "";
  for (const chunk of chunks(list, format)) {
    buffer += chunk;
    if (buffer.length >= 65536) {
      env.stdout(buffer);
      buffer = "";
    }
  }
  if (buffer !== "") env.stdout(buffer);
  return 0;
}
