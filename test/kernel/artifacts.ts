// Rendered artifacts: what a backend emits ({path, content}) and what each file is to the loaders.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/** One rendered file, as a backend emits it. */
export interface Artifact {
  readonly path: string;
  readonly content: string;
}

/** What a file is to the loader, from its name (first matching row wins; see README.md, "Kernel tests"). */
export type ArtifactKind = "ipset" | "iptables" | "ip6tables" | "nft" | "bpf-c" | "bpftool" | "ignored";

const KINDS: readonly [RegExp, ArtifactKind][] = [
  [/(^|[./_-])ipsets?([./_-]|$)/i, "ipset"],
  [/(^|[./_-])ip6tables([./_-]|$)|(^|[./_-])rules\.v6$|\.v6\.rules$/i, "ip6tables"],
  [/(^|[./_-])ip4?tables([./_-]|$)|(^|[./_-])rules\.v4$|\.v4\.rules$/i, "iptables"],
  [/\.nft$/i, "nft"],
  [/\.c$/i, "bpf-c"],
  [/\.bpftool$|(^|[./_-])bpftool[._-]?batch/i, "bpftool"],
];

export function artifactKind(path: string): ArtifactKind {
  const name = basename(path);
  for (const [re, kind] of KINDS) if (re.test(name)) return kind;
  return "ignored";
}

/** Writes the artifacts to a private temporary directory for the tools; removed by `done`. */
export function stage(artifacts: readonly Artifact[]): {
  dir: string;
  file: (a: Artifact) => string;
  done: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), "npek-artifacts-"));
  const names = new Map<Artifact, string>();
  artifacts.forEach((a, i) => {
    const f = join(dir, `${i}-${basename(a.path)}`);
    writeFileSync(f, a.content);
    names.set(a, f);
  });
  return { dir, file: (a) => names.get(a)!, done: () => rmSync(dir, { recursive: true, force: true }) };
}
