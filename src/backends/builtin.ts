// The built-in backends by name, for the CLI and for tools that let a user pick one by name. The
// library itself keeps no registry (render takes a Backend value); this is just the list of the
// backends this package ships. A backend is listed here once its folder has landed.
import type { Backend } from "./contract.ts";
import { ebpfBackend } from "./ebpf/index.ts";
import { iptablesBackend } from "./iptables/index.ts";
import { nftablesBackend } from "./nftables/index.ts";

/** Every built-in backend, by its `name`, in name order. */
export const BUILTIN_BACKENDS: Readonly<Record<string, Backend>> = Object.freeze({
  [ebpfBackend.name]: ebpfBackend,
  [iptablesBackend.name]: iptablesBackend,
  [nftablesBackend.name]: nftablesBackend,
});

/** The built-in backend called `name`, or undefined (own keys only: `constructor` is no backend). */
export function builtinBackend(name: string): Backend | undefined {
  return Object.hasOwn(BUILTIN_BACKENDS, name) ? BUILTIN_BACKENDS[name] : undefined;
}

/** The names of the built-in backends, sorted. */
export function builtinBackendNames(): string[] {
  return Object.keys(BUILTIN_BACKENDS).sort();
}
