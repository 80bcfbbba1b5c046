// `netpol convert <inputs...>`: AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1 (and
// ClusterNetworkPolicy v1alpha2, passed through) as v1alpha2 ClusterNetworkPolicy YAML.
import { type Cluster, InputError } from "../index.ts";
import { manifestsToYaml, toClusterNetworkPolicies } from "../io/convert-cluster-policies.ts";

/** Where convert writes (the CLI's environment, structurally: run.ts imports this file). */
export interface ConvertOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Print the cluster's admin and baseline policies as `policy.networking.k8s.io/v1alpha2`
 * ClusterNetworkPolicy documents, in evaluation order (YAML 1.1, `manifestsToYaml`). Anything
 * v1alpha2 cannot express is an `InputError` and nothing is printed: a partial migration must
 * not look complete. Returns the exit code.
 */
export function convert(
  out: ConvertOutput,
  cluster: Cluster,
  diagnosticLines: readonly string[],
  quiet: boolean,
): number {
  const { manifests, issues } = toClusterNetworkPolicies(cluster.clusterNetworkPolicies);
  if (issues.length > 0) throw new InputError(issues);
  if (!quiet) {
    for (const line of diagnosticLines) out.stderr(line);
    const others = [
      plural(cluster.networkPolicies.length, "NetworkPolicy").replace(/Policys$/, "Policies"),
      plural(cluster.pods.length, "Pod"),
      plural(cluster.nodes.length, "Node"),
    ].filter((s) => !s.startsWith("0 "));
    if (others.length > 0)
      out.stderr(
        `netpol: info: convert prints admin and baseline policies only; left out: ${others.join(", ")}\n`,
      );
    if (manifests.length === 0)
      out.stderr("netpol: info: the input has no admin or baseline policy to convert\n");
  }
  out.stdout(manifestsToYaml(manifests));
  return 0;
}
