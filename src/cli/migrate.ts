// `netpol migrate <inputs...>` (docs/legacy-api.md): the whole input with the seed's legacy API
// (net.alpha.kubernetes.io/v1alpha1, extensions/v1beta1 with namespace isolation) replaced by
// networking.k8s.io/v1 NetworkPolicies, as YAML that netpol reads back.
import type { MigrateResult } from "../io/migrate-legacy.ts";

/** Where migrate writes (the CLI's environment, structurally: run.ts imports this file). */
export interface MigrateOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Print the migrated input on stdout; the diagnostics of reading it and a one-line summary on
 * stderr (unless quiet). Bad input has already thrown (`InputError`, exit 2): nothing is printed
 * then, so a partial migration never looks complete. Returns the exit code.
 */
export function migrate(
  out: MigrateOutput,
  result: MigrateResult,
  diagnosticLines: readonly string[],
  quiet: boolean,
): number {
  if (!quiet) {
    for (const line of diagnosticLines) out.stderr(line);
    const { translated, dropped, isolated } = result.counts;
    out.stderr(
      translated + dropped + isolated === 0
        ? "netpol: info: the input has no legacy network policy API to migrate; written back as read\n"
        : `netpol: info: migrated ${plural(translated, "legacy policy", "legacy policies")} and ${plural(isolated, "isolated namespace", "isolated namespaces")}${dropped === 0 ? "" : `; left out ${plural(dropped, "policy", "policies")} that had no effect`}\n`,
    );
  }
  out.stdout(result.yaml);
  return 0;
}
