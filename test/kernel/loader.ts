// Loading a backend's rendered artifacts into the node namespace with the real tools: a
// kernel-checked dry run first (`iptables-restore --test`, `nft -c -f`), then for real; and
// resetting the namespace between scenarios (rules, sets, tc programs, conntrack).
import { type Artifact, type ArtifactKind, artifactKind } from "./artifacts.ts";
import { loadEbpf } from "./ebpf-loader.ts";
import type { Topology } from "./topology.ts";

/** A way to put one backend's artifacts into the kernel. */
export interface Loader {
  /** Printed in the summary: `iptables-legacy`, `iptables-nft`, `nftables`, `ebpf`. */
  readonly name: string;
  /** The backend whose artifacts it loads. */
  readonly backend: string;
  /** Dry run, then for real; throws naming the tool and quoting its error. */
  load(topo: Topology, artifacts: readonly Artifact[]): Promise<void>;
  /** Shell commands (run in the node namespace) that remove what `load` put there. */
  unloadScript(topo: Topology): string;
}

export type { Artifact };

const ofKind = (artifacts: readonly Artifact[], kind: ArtifactKind): Artifact[] =>
  artifacts.filter((a) => artifactKind(a.path) === kind);

/** Names the artifacts as files of a shell script (`<kind>-<i>`), in order. */
function asFiles(artifacts: readonly Artifact[], kind: ArtifactKind): [string, string][] {
  return ofKind(artifacts, kind).map((a, i) => [`${kind}-${i}`, a.content]);
}

function iptablesLoader(variant: "legacy" | "nft"): Loader {
  return {
    name: `iptables-${variant}`,
    backend: "iptables",
    async load(topo, artifacts) {
      const sets = asFiles(artifacts, "ipset");
      const v4 = asFiles(artifacts, "iptables");
      const v6 = asFiles(artifacts, "ip6tables");
      if (v4.length + v6.length === 0)
        throw new Error("iptables: no iptables-restore input among the artifacts");
      const restore = (files: [string, string][], tool: string, flags: string): string[] =>
        files.map(([f]) => `step ${tool} ${flags}< ${f}`);
      const tools: [[string, string][], string][] = [
        [v4, `iptables-${variant}-restore`],
        [v6, `ip6tables-${variant}-restore`],
      ];
      const script = [
        // The ipsets first: `iptables-restore --test` resolves the sets the rules name.
        ...restore(sets, "ipset", "restore -exist "),
        ...tools.flatMap(([files, tool]) => restore(files, tool, "--test ")),
        ...tools.flatMap(([files, tool]) => restore(files, tool, "")),
      ];
      await topo.shell!.run(`${script.join("\n")}\n`, Object.fromEntries([...sets, ...v4, ...v6]));
    },
    // iptables-nft's tables are nftables tables: `nft flush ruleset` removes them.
    unloadScript: () => `${variant === "legacy" ? LEGACY_RESET : "nft flush ruleset\n"}ipset destroy\n`,
  };
}

const nftablesLoader: Loader = {
  name: "nftables",
  backend: "nftables",
  async load(topo, artifacts) {
    const scripts = asFiles(artifacts, "nft");
    if (scripts.length === 0) throw new Error("nftables: no .nft script among the artifacts");
    const lines = [
      ...scripts.map(([f]) => `step nft -c -f ${f}`),
      ...scripts.map(([f]) => `step nft -f ${f}`),
    ];
    await topo.shell!.run(`${lines.join("\n")}\n`, Object.fromEntries(scripts));
  },
  unloadScript: () => "nft flush ruleset\n",
};

/** Removes clsact (and the programs attached to it) from every pod veth; one `tc` for all. */
const tcReset = (topo: Topology): string =>
  `tc -force -batch - 2>/dev/null <<'NPEK' || true\n${topo.slots.map((s) => `qdisc del dev ${s.veth} clsact\n`).join("")}NPEK\n`;

const ebpfLoader: Loader = { name: "ebpf", backend: "ebpf", load: loadEbpf, unloadScript: tcReset };

/** The loaders of a backend: iptables runs under both its legacy and its nft variant. */
export function loadersFor(backend: string): Loader[] {
  if (backend === "iptables") return [iptablesLoader("legacy"), iptablesLoader("nft")];
  if (backend === "nftables") return [nftablesLoader];
  if (backend === "ebpf") return [ebpfLoader];
  throw new Error(`no kernel loader for backend "${backend}" (known: iptables, nftables, ebpf)`);
}

const EMPTY_TABLES = ["filter", "mangle", "raw"]
  .map((t) => `*${t}\n${t === "filter" ? ":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n" : ""}COMMIT\n`)
  .join("");
const LEGACY_RESET = `printf '${EMPTY_TABLES.replaceAll("\n", "\\n")}' | iptables-legacy-restore
printf '${EMPTY_TABLES.replaceAll("\n", "\\n")}' | ip6tables-legacy-restore
`;

/** Runs shell commands in the node namespace (its shell), then flushes conntrack. */
async function nodeShell(topo: Topology, script: string): Promise<void> {
  // `conntrack -F` on an empty table still exits 0.
  await topo.shell!.run(`set -e\n${script}conntrack -F 2>/dev/null\n`);
}

/** After a loader's scenario: its rules removed, conntrack flushed. */
export function unload(topo: Topology, loader: Loader): Promise<void> {
  return nodeShell(topo, loader.unloadScript(topo));
}

/**
 * Back to no policy whatever was loaded: both iptables variants emptied, the nftables ruleset
 * flushed, ipsets destroyed, tc clsact removed from the pod veths, conntrack flushed.
 */
export function resetNode(topo: Topology): Promise<void> {
  const legacy = `if cat /proc/net/ip_tables_names /proc/net/ip6_tables_names 2>/dev/null | grep -q .; then\n${LEGACY_RESET}fi\n`;
  return nodeShell(topo, `${legacy}nft flush ruleset\nipset destroy\n${tcReset(topo)}`);
}

export function flushConntrack(topo: Topology): Promise<void> {
  return nodeShell(topo, "");
}
