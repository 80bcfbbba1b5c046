// Whether the kernel tests can run here, and why not. On CI (`NETPOL_KERNEL_REQUIRED=1`, set by
// .ci/run) a missing prerequisite fails the suite instead of skipping it.
import { AGENT_COMPILERS } from "./agent-client.ts";
import { hasCommand } from "./exec.ts";

const TOOLS: Record<string, readonly string[]> = {
  topology: ["ip", "conntrack", "tc", "sysctl"],
  iptables: [
    "ipset",
    "iptables-legacy-restore",
    "ip6tables-legacy-restore",
    "iptables-nft-restore",
    "ip6tables-nft-restore",
  ],
  nftables: ["nft"],
  ebpf: ["clang", "bpftool", "llvm-objdump"],
};

export const REQUIRED: boolean = process.env.NETPOL_KERNEL_REQUIRED === "1";

/** Why the kernel tests (with these loaders' tools) cannot run, or undefined when they can. */
export function kernelSkipReason(parts: readonly string[] = Object.keys(TOOLS)): string | undefined {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return "not root (network namespaces and eBPF need real root)";
  const missing = ["topology", ...parts].flatMap((p) => TOOLS[p] ?? []).filter((t) => !hasCommand(t));
  // The agents (agent.c) are compiled by the first C compiler found.
  if (!AGENT_COMPILERS.some((c) => hasCommand(c)))
    missing.push(`a C compiler (${AGENT_COMPILERS.join(" or ")})`);
  if (missing.length > 0)
    return `missing tools: ${[...new Set(missing)].join(", ")} (install: see README.md, "Kernel tests")`;
  return undefined;
}

/** Prints why the suite is skipped; throws instead when it is required to run (CI). */
export function reportSkip(suite: string, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  if (REQUIRED)
    throw new Error(
      `kernel tests (${suite}) are required here (NETPOL_KERNEL_REQUIRED=1) but cannot run: ${reason}`,
    );
  console.log(`kernel tests (${suite}) skipped: ${reason}`);
  return true;
}
