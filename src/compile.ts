// The facade: `compile()` sits above both `compile/` (which produces the IR and nothing else) and
// `engine/` (which reads it), so neither folder imports the other.

import { compileIR } from "./compile/compile-ir.ts";
import { PolicyTable } from "./engine/policy-table.ts";
import type { DomainNameResolver } from "./model/flow.ts";
import { type Profile, resolveProfile } from "./model/profile.ts";
import type { Cluster } from "./model/types.ts";

/** Options of `compile`. */
export interface CompileOptions {
  /** A profile or the name of a built-in one (`conformance`, `ipblock-external`); default `conformance`. */
  readonly profile?: Profile | string;
  /**
   * The DNS names of an address, for ClusterNetworkPolicy `domainNames` peers: `decide`, `explain`
   * and `check` ask it where an egress walk reaches such a rule; without it those flows are
   * `unknown`. `allowsIndex` never calls it (domainNames match nothing in the cells).
   */
  readonly domainNames?: DomainNameResolver;
  /**
   * Cells the compiled table may hold (default 2²⁵): an input whose rules single out more
   * (subject, peer) pairs is refused with an `InputError` (`table-too-large`) naming a policy.
   */
  readonly cellBudget?: number;
  /**
   * Where pods without an address (no `status.podIPs`: manifests from git) live, per family, e.g.
   * `["10.244.0.0/16", "fd00::/48"]` (docs/decisions.md #46-#48). Under `conformance` a verdict
   * between two such pods that depends on whether an ipBlock / `networks` CIDR covers one of them
   * is `unknown`, unless these decide it: a CIDR containing the whole range matches every such pod,
   * one disjoint from it none. A value that is not a CIDR is an `InputError` (`invalid-pod-cidr`).
   */
  readonly podCIDRs?: readonly string[];
}

/**
 * Compile a cluster into a `PolicyTable`: the label-index decision table that answers flows in O(1).
 *
 * @example
 * const { cluster } = parseCluster([{ name: "c.yaml", text }]);
 * const table = compile(cluster, { profile: "conformance" });
 * table.decide({ from: "x/a", to: "y/b", port: 80, protocol: "TCP" }); // { verdict: "allow", family: 4 }
 */
export function compile(cluster: Cluster, options: CompileOptions = {}): PolicyTable {
  const { ir, diagnostics } = compileIR(cluster, resolveProfile(options.profile), {
    ...(options.cellBudget === undefined ? {} : { cellBudget: options.cellBudget }),
    ...(options.podCIDRs === undefined ? {} : { podCIDRs: options.podCIDRs }),
  });
  return new PolicyTable(ir, diagnostics, {}, options.domainNames);
}
