// `netpol render`: compile the inputs and write a backend's artifacts into a directory.
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Artifact, Backend, PolicyTable, RenderResult } from "../index.ts";
import { render } from "../index.ts";

/** What the render command was asked, validated before any input is read. */
export interface RenderRequest {
  readonly backend: Backend;
  readonly out: string;
  readonly node: string | undefined;
  readonly allowUnsupported: boolean;
}

/**
 * Render the table and write the artifacts under `out` (created as needed), plus a README when the
 * backend writes none. Returns the result and the files written (paths relative to `out`).
 */
export function renderToDirectory(
  table: PolicyTable,
  request: RenderRequest,
): { result: RenderResult; files: readonly Artifact[]; bytes: number } {
  const result = render(table, request.backend, {
    ...(request.node === undefined ? {} : { node: request.node }),
    unsupported: request.allowUnsupported ? "warn" : "error",
  });
  const files = result.artifacts.some((a) => a.path === "README")
    ? result.artifacts
    : [...result.artifacts, { path: "README", content: genericReadme(request, result) }].sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
      );
  let bytes = 0;
  for (const a of files) {
    const path = join(request.out, a.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, a.content);
    } catch (e) {
      throw new WriteError(`cannot write ${path}: ${(e as Error).message}`);
    }
    bytes += Buffer.byteLength(a.content, "utf8");
  }
  return { result, files, bytes };
}

/** A file of the render could not be written (permissions, a full disk, a file where a folder goes). */
export class WriteError extends Error {}

/** Whether `out` can be a directory: missing (it will be made) or an existing directory. */
export function outProblem(out: string): string | undefined {
  try {
    if (!statSync(out).isDirectory()) return `--out ${JSON.stringify(out)} exists and is not a directory`;
  } catch {
    // missing: made when writing
  }
  return undefined;
}

function genericReadme(request: RenderRequest, result: RenderResult): string {
  const b = request.backend;
  return `netpol-engine ${b.name} artifacts${b.description === undefined ? "" : `: ${b.description}`}

Scope: ${request.node === undefined ? "the whole cluster" : `the pods on node ${request.node}`}
Files:
${result.artifacts.map((a) => `  ${a.path}`).join("\n")}

The ${b.name} backend wrote no README of its own; see its documentation for how to load them.
`;
}

/** The one line the command prints: backend, scope, files and bytes, where. */
export function renderSummary(request: RenderRequest, files: number, bytes: number): string {
  const scope = request.node === undefined ? "whole cluster" : `node ${request.node}`;
  return `rendered ${request.backend.name} (${scope}): ${files} file${files === 1 ? "" : "s"}, ${bytes} bytes in ${request.out}\n`;
}
