// The model updates as the library exports them: each validates what it takes as parseCluster
// validates a manifest (the same schemas: the object is written back as its manifest and read),
// so that `withPod(c, { …, podIPs: ["not-an-ip"] })` is an InputError naming the field, not a
// table that silently answers "deny".
import type { z } from "zod";
import * as model from "../model/cluster.ts";
import * as scoped from "../model/cluster-scoped.ts";
import { InputError, type InputIssue } from "../model/input-error.ts";
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
const MAKE = "<makeCluster>";

type Issue = { code: string; path?: string; message: string };
/** An object as checked: what it reads as, or its issues. */
type Checked<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

/** `manifest` checked against `schema`: what it reads as, or the issues (named after `object`). */
function check<T>(schema: z.ZodType<T, unknown>, manifest: unknown, object: string): Checked<T> {
  if (manifest === null || typeof manifest !== "object")
    return {
      ok: false,
      issues: [{ code: "invalid-type", file: WHERE, object, message: "expected an object" }],
    };
  const r = schema.safeParse(manifest);
  if (!r.success) return { ok: false, issues: toInputIssues(r.error.issues, { file: WHERE, object }) };
  return { ok: true, value: r.data };
}

/** The checked value, or the InputError of its issues. */
function checkedOrThrow<T>(r: Checked<T>): T {
  if (!r.ok) throw new InputError(r.issues);
  return r.value;
}

const str = (x: unknown): string => (typeof x === "string" ? x : String(x));

/**
 * A pod as a manifest would give it: validated (names, labels, addresses, ports), its defaults
 * filled in (no labels, no ports, not hostNetwork) and its addresses in canonical text
 * (`fd00:0::1` → `fd00::1`), so that two pods of one address are seen to share it.
 */
function checkedPod(pod: Pod): Checked<Pod> {
  if (pod === null || typeof pod !== "object") return check(podSchema, pod, "Pod"); // "expected an object"
  const p = pod as Partial<Pod>;
  const r = check(
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
  if (!r.ok) return r;
  const read = r.value;
  const out: { -readonly [K in keyof Pod]: Pod[K] } = {
    ...pod,
    namespace: read.namespace,
    name: read.name,
    labels: read.labels,
    ports: read.ports,
    hostNetwork: read.hostNetwork,
    podIPs: read.podIPs,
  };
  for (const k of ["nodeName", "hostIP", "hostIPs"] as const) {
    if (read[k] === undefined) delete out[k];
    else (out as Record<string, unknown>)[k] = read[k];
  }
  return { ok: true, value: out };
}

/** `withPod`, validated: names, labels, addresses, ports as for a manifest (see `checkedPod`). */
export function withPod(cluster: Cluster, pod: Pod): Cluster {
  return model.withPod(cluster, checkedOrThrow(checkedPod(pod)));
}

function checkedNamespace(namespace: Namespace): Checked<Namespace> {
  return check(
    namespaceSchema,
    { metadata: { name: namespace?.name, labels: namespace?.labels } },
    `Namespace ${str(namespace?.name)}`,
  );
}

/** `withNamespace`, validated. */
export function withNamespace(cluster: Cluster, namespace: Namespace): Cluster {
  return model.withNamespace(cluster, checkedOrThrow(checkedNamespace(namespace)));
}

/**
 * A policy as a manifest would give it: validated, its CIDRs normalised. Its `policyTypes` stay
 * as given when given: in the model `[]` isolates nothing, where a manifest's empty list is
 * defaulted as if it were absent.
 */
function checkedPolicy(policy: NetworkPolicy): Checked<NetworkPolicy> {
  const r = check(
    networkPolicySchema,
    { metadata: { name: policy?.name, namespace: policy?.namespace }, spec: policy?.spec },
    `NetworkPolicy ${str(policy?.namespace)}/${str(policy?.name)}`,
  );
  const given = policy?.spec?.policyTypes;
  if (!r.ok || !Array.isArray(given)) return r;
  return { ok: true, value: { ...r.value, spec: { ...r.value.spec, policyTypes: given } } };
}

/** `withPolicy`, validated: selectors, peers, CIDRs, ports as for a manifest. */
export function withPolicy(cluster: Cluster, policy: NetworkPolicy): Cluster {
  return model.withPolicy(cluster, checkedOrThrow(checkedPolicy(policy)));
}

function checkedNode(node: Node): Checked<Node> {
  return check(
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
}

/** `withNode`, validated, its addresses in canonical text. */
export function withNode(cluster: Cluster, node: Node): Cluster {
  return scoped.withNode(cluster, checkedOrThrow(checkedNode(node)));
}

/** `withClusterPolicy`, validated: name, tier, priority, the rule limits, actions and CIDRs. */
export function withClusterPolicy(cluster: Cluster, policy: ClusterNetworkPolicy): Cluster {
  return scoped.withClusterPolicy(cluster, checkedOrThrow(checkedClusterPolicy(policy)));
}

function checkedClusterPolicy(policy: ClusterNetworkPolicy): Checked<ClusterNetworkPolicy> {
  const object = `${str(policy?.kind)} ${str(policy?.name)}`;
  const issues: Issue[] = [];
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
    /** A list field: absent is empty; anything else but an array is an issue. */
    const list = <T>(x: readonly T[] | undefined | null, path: string): readonly T[] => {
      if (x === undefined || x === null) return [];
      if (Array.isArray(x)) return x;
      issues.push({ code: "invalid-type", path, message: "expected an array" });
      return [];
    };
    (rules as readonly ClusterPolicyRule[]).forEach((r, i) => {
      if (r?.action !== "Accept" && r?.action !== "Deny" && r?.action !== "Pass")
        issues.push({
          code: "invalid-action",
          path: `spec.${d}[${i}].action`,
          message: "action must be Accept, Deny or Pass",
        });
      list(r?.peers, `spec.${d}[${i}].peers`).forEach((peer: ClusterPolicyPeer, j: number) => {
        list(peer?.networks, `spec.${d}[${i}].peers[${j}].networks`).forEach((n: string, k: number) => {
          if (typeof n !== "string" || normalizeCIDR(n) === undefined)
            issues.push({
              code: "invalid-cidr",
              path: `spec.${d}[${i}].peers[${j}].networks[${k}]`,
              message: `"${n}" is not a CIDR`,
            });
        });
      });
      list(r?.ports, `spec.${d}[${i}].ports`).forEach((p: ClusterPolicyPort, j: number) => {
        if (p === null || typeof p !== "object") {
          issues.push({
            code: "invalid-port",
            path: `spec.${d}[${i}].ports[${j}]`,
            message: "expected a port",
          });
          return;
        }
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
  if (issues.length === 0) return { ok: true, value: policy };
  return { ok: false, issues: issues.map((x) => ({ ...x, file: WHERE, object })) };
}

/**
 * `makeCluster`, validated: every object as its `with…` update checks it, every issue of every
 * object in one `InputError`; pods and nodes stored as `checkedPod` / `withNode` store them
 * (defaults filled in, addresses canonical). A cluster built from unchecked objects can make
 * `compile` fail on a missing field; the model's own `makeCluster` does not check.
 */
export function makeCluster(input: model.ClusterInput): Cluster {
  if (input === null || typeof input !== "object" || Array.isArray(input))
    throw new InputError([
      { code: "invalid-type", file: MAKE, object: "Cluster", message: "expected an object of lists" },
    ]);
  const issues: InputIssue[] = [];
  /** A list's checked objects; an absent list is empty, as the model reads it. */
  const take = <T>(list: readonly T[] | undefined, what: string, f: (x: T) => Checked<T>): T[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      issues.push({
        code: "invalid-type",
        file: MAKE,
        object: "Cluster",
        path: what,
        message: "expected an array",
      });
      return [];
    }
    const out: T[] = [];
    for (const x of list) {
      const r = f(x);
      if (r.ok) out.push(r.value);
      else for (const x of r.issues) issues.push({ ...x, file: MAKE });
    }
    return out;
  };
  const checked: model.ClusterInput = {
    namespaces: take(input.namespaces, "namespaces", checkedNamespace),
    pods: take(input.pods, "pods", checkedPod),
    networkPolicies: take(input.networkPolicies, "networkPolicies", checkedPolicy),
    nodes: take(input.nodes, "nodes", checkedNode),
    clusterNetworkPolicies: take(
      input.clusterNetworkPolicies,
      "clusterNetworkPolicies",
      checkedClusterPolicy,
    ),
  };
  if (issues.length > 0) throw new InputError(issues);
  return model.makeCluster(checked);
}
