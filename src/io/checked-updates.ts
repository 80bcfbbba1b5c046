// The model updates as the library exports them: each validates what it takes as parseCluster
// validates a manifest (the same schemas: the object is written back as its manifest and read),
// so that `withPod(c, { …, podIPs: ["not-an-ip"] })` is an InputError naming the field, not a
// table that silently answers "deny".
import type { z } from "zod";
import * as model from "../model/cluster.ts";
import * as scoped from "../model/cluster-scoped.ts";
import { InputError } from "../model/input-error.ts";
import type {
  Cluster,
  ClusterNetworkPolicy,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  Namespace,
  NetworkPolicy,
  Node,
  Pod,
} from "../model/types.ts";
import { normalizeCIDR } from "../net/cidr.ts";
import { dns1123SubdomainError } from "./name-validation.ts";
import { namespaceSchema, networkPolicySchema, nodeSchema, podSchema } from "./object-schemas.ts";
import { toInputIssues } from "./zod-issues.ts";

const WHERE = "<update>";

function check<T>(schema: z.ZodType<T, unknown>, manifest: unknown, object: string): void {
  if (manifest === null || typeof manifest !== "object")
    throw new InputError([{ code: "invalid-type", file: WHERE, object, message: "expected an object" }]);
  const r = schema.safeParse(manifest);
  if (!r.success) throw new InputError(toInputIssues(r.error.issues, { file: WHERE, object }));
}

const str = (x: unknown): string => (typeof x === "string" ? x : String(x));

/** `withPod`, validated: names, labels, addresses, ports as for a manifest. */
export function withPod(cluster: Cluster, pod: Pod): Cluster {
  const p = pod as Partial<Pod>;
  check(
    podSchema,
    {
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: {
        hostNetwork: p.hostNetwork,
        nodeName: p.nodeName,
        containers: [
          { name: "c", ports: Array.isArray(p.ports) ? p.ports : p.ports === undefined ? [] : p.ports },
        ],
      },
      status: {
        podIPs: Array.isArray(p.podIPs) ? p.podIPs.map((ip) => ({ ip })) : p.podIPs,
        hostIP: p.hostIP,
        hostIPs: Array.isArray(p.hostIPs) ? p.hostIPs.map((ip) => ({ ip })) : p.hostIPs,
      },
    },
    `Pod ${str(p.namespace)}/${str(p.name)}`,
  );
  return model.withPod(cluster, pod);
}

/** `withNamespace`, validated. */
export function withNamespace(cluster: Cluster, namespace: Namespace): Cluster {
  check(
    namespaceSchema,
    { metadata: { name: namespace?.name, labels: namespace?.labels } },
    `Namespace ${str(namespace?.name)}`,
  );
  return model.withNamespace(cluster, namespace);
}

/** `withPolicy`, validated: selectors, peers, CIDRs, ports as for a manifest. */
export function withPolicy(cluster: Cluster, policy: NetworkPolicy): Cluster {
  check(
    networkPolicySchema,
    { metadata: { name: policy?.name, namespace: policy?.namespace }, spec: policy?.spec },
    `NetworkPolicy ${str(policy?.namespace)}/${str(policy?.name)}`,
  );
  return model.withPolicy(cluster, policy);
}

/** `withNode`, validated. */
export function withNode(cluster: Cluster, node: Node): Cluster {
  check(
    nodeSchema,
    {
      metadata: { name: node?.name, labels: node?.labels },
      status: {
        addresses: Array.isArray(node?.addresses)
          ? node.addresses.map((address) => ({ type: "InternalIP", address }))
          : node?.addresses,
      },
    },
    `Node ${str(node?.name)}`,
  );
  return scoped.withNode(cluster, node);
}

/** `withClusterPolicy`, validated: name, tier, priority, the rule limits, actions and CIDRs. */
export function withClusterPolicy(cluster: Cluster, policy: ClusterNetworkPolicy): Cluster {
  const object = `${str(policy?.kind)} ${str(policy?.name)}`;
  const issues: { code: string; path?: string; message: string }[] = [];
  const nameError =
    typeof policy?.name === "string" ? dns1123SubdomainError(policy.name) : "a name is required";
  if (nameError !== undefined)
    issues.push({ code: "invalid-name", path: "metadata.name", message: nameError });
  if (policy?.tier !== "Admin" && policy?.tier !== "Baseline")
    issues.push({ code: "invalid-tier", path: "spec.tier", message: "tier must be Admin or Baseline" });
  if (!Number.isInteger(policy?.priority) || policy.priority < 0 || policy.priority > 1000)
    issues.push({
      code: "invalid-priority",
      path: "spec.priority",
      message: "priority must be an integer 0-1000",
    });
  for (const d of ["ingress", "egress"] as const) {
    const rules = policy?.[d];
    if (!Array.isArray(rules)) {
      issues.push({ code: "invalid-type", path: `spec.${d}`, message: "expected an array of rules" });
      continue;
    }
    if (rules.length > 100)
      issues.push({
        code: "too-many-items",
        path: `spec.${d}`,
        message: `${rules.length} rules; at most 100`,
      });
    (rules as readonly ClusterPolicyRule[]).forEach((r, i) => {
      if (r?.action !== "Accept" && r?.action !== "Deny" && r?.action !== "Pass")
        issues.push({
          code: "invalid-action",
          path: `spec.${d}[${i}].action`,
          message: "action must be Accept, Deny or Pass",
        });
      (r?.peers ?? []).forEach((peer: ClusterPolicyPeer, j: number) => {
        (peer?.networks ?? []).forEach((n: string, k: number) => {
          if (normalizeCIDR(n) === undefined)
            issues.push({
              code: "invalid-cidr",
              path: `spec.${d}[${i}].peers[${j}].networks[${k}]`,
              message: `"${n}" is not a CIDR`,
            });
        });
      });
      (r?.ports ?? []).forEach((p: ClusterPolicyPort, j: number) => {
        if ("name" in p) return;
        if (
          !(
            Number.isInteger(p.start) &&
            Number.isInteger(p.end) &&
            0 <= p.start &&
            p.start <= p.end &&
            p.end <= 65535
          )
        )
          issues.push({
            code: "invalid-port",
            path: `spec.${d}[${i}].ports[${j}]`,
            message: "a port range is start ≤ end within 0-65535",
          });
      });
    });
  }
  if (issues.length > 0) throw new InputError(issues.map((x) => ({ ...x, file: WHERE, object })));
  return scoped.withClusterPolicy(cluster, policy);
}
