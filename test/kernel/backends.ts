// The rendering backends the kernel suite proves, found through the library's public API
// (src/index.ts): a `render(table, backend)` function and backend values `{ name, render }` named
// iptables / nftables / ebpf. What render returns is normalised to artifacts ({path, content}[]):
// an array of them, an object holding one as `files` or `artifacts`, or a record path → content.
import type { PolicyTable } from "../../src/index.ts";
import type { Artifact } from "./artifacts.ts";

export const KERNEL_BACKENDS = ["iptables", "nftables", "ebpf"] as const;

export interface KernelBackend {
  readonly name: string;
  render(table: PolicyTable): readonly Artifact[];
}

const isArtifact = (x: unknown): x is Artifact =>
  typeof x === "object" &&
  x !== null &&
  typeof (x as Artifact).path === "string" &&
  typeof (x as Artifact).content === "string";

/** The artifacts in what a backend's render returned; throws naming the shapes it understands. */
export function toArtifacts(backend: string, out: unknown): Artifact[] {
  const o = out as Record<string, unknown> | null;
  const list = Array.isArray(out)
    ? out
    : Array.isArray(o?.files)
      ? o.files
      : Array.isArray(o?.artifacts)
        ? o.artifacts
        : undefined;
  if (list?.every(isArtifact)) return list.map((a) => ({ path: a.path, content: a.content }));
  if (o !== null && typeof o === "object" && Object.values(o).every((v) => typeof v === "string"))
    return Object.entries(o).map(([path, content]) => ({ path, content: content as string }));
  throw new Error(
    `backend ${backend}: render returned neither {path, content}[] nor {files: {path, content}[]} nor a record path → content`,
  );
}

/** The built-in backends the library exports today, and what is missing if none. */
export async function discoverBackends(): Promise<{ backends: KernelBackend[]; missing: string[] }> {
  const lib = (await import("../../src/index.ts")) as unknown as Record<string, unknown>;
  const render = lib.render;
  const values = Object.values(lib).flatMap((v) => (Array.isArray(v) ? v : [v]));
  const backends: KernelBackend[] = [];
  const missing: string[] = [];
  for (const name of KERNEL_BACKENDS) {
    const b = values.find(
      (v) =>
        typeof v === "object" &&
        v !== null &&
        (v as { name?: unknown }).name === name &&
        typeof (v as { render?: unknown }).render === "function",
    );
    if (b === undefined || typeof render !== "function") {
      missing.push(name);
      continue;
    }
    backends.push({
      name,
      // domainNames rules match nothing in a datapath (the table answers those flows unknown, and
      // the harness skips unknown probes): render them with the backends' documented fallback.
      render: (table) =>
        toArtifacts(
          name,
          (render as (t: unknown, b: unknown, o: unknown) => unknown)(table, b, { unsupported: "warn" }),
        ),
    });
  }
  return { backends, missing };
}
