// Which pods and workloads are endpoints (docs/decisions.md #53–#55): pods that finished are left
// out; a pod belongs to the top of its controller chain; a workload is an endpoint — its pod
// template, address-less — only when the input holds none of its pods.
import type { Diagnostic, Labels, Owner, Pod } from "../model/types.ts";
import { quote } from "./describe-value.ts";
import type { ReadPod, ReadWorkload } from "./read-types.ts";

/** Options of the endpoint pass. */
export interface EndpointOptions {
  /** Leave out pods in phase `Pending` that have no address yet (`--running-only`). */
  readonly runningOnly?: boolean;
  /** Keep pods in phase `Succeeded` or `Failed`, without their released addresses (decisions #59). */
  readonly keepFinishedPods?: boolean;
}

/** Labels a controller sets per pod or per revision: they differ between a workload's pods by design. */
const PER_POD_LABELS: ReadonlySet<string> = new Set([
  "pod-template-hash",
  "controller-revision-hash",
  "pod-template-generation",
  "statefulset.kubernetes.io/pod-name",
  "apps.kubernetes.io/pod-index",
  "batch.kubernetes.io/job-completion-index",
  "batch.kubernetes.io/controller-uid",
  "batch.kubernetes.io/job-name",
  "controller-uid",
  "job-name",
]);

/** How many controller links are followed (a cycle in hand-written owner references ends here). */
const MAX_OWNER_DEPTH = 8;

const key = (ns: string, kind: string, name: string): string => `${ns}\u0000${kind}\u0000${name}`;
const podName = (p: Pod): string => `${p.namespace}/${p.name}`;

/** At most `n` names, then `… and N more`. */
function some(names: readonly string[], n = 3): string {
  const more = names.length > n ? `, … and ${names.length - n} more` : "";
  return names.slice(0, n).join(", ") + more;
}

/** The labels of a pod that say what it is (not which pod or revision it is), as canonical text. */
function identityLabels(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .filter((k) => !PER_POD_LABELS.has(k))
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

/** The top of a controller chain through the workloads of the input, and the workloads passed. */
function topOwner(
  ns: string,
  first: Owner,
  workloads: ReadonlyMap<string, ReadWorkload>,
): { owner: Owner; via: string[]; cut: boolean } {
  let owner = first;
  const via = [key(ns, owner.kind, owner.name)];
  for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
    const next = workloads.get(key(ns, owner.kind, owner.name))?.controller;
    if (next === undefined) return { owner, via, cut: false };
    const k = key(ns, next.kind, next.name);
    if (via.includes(k)) return { owner, via, cut: true }; // a cycle of owner references
    owner = next;
    via.push(k);
  }
  return { owner, via, cut: workloads.get(key(ns, owner.kind, owner.name))?.controller !== undefined };
}

/**
 * A controller the input lacks, replaced by its own controller when the names say which one it is:
 * a ReplicaSet `<deployment>-<pod-template-hash>` of a Deployment in the input (a `kubectl get
 * deployments,pods` dump has no ReplicaSets), a Job `<cronjob>-<digits>` of a CronJob in the input.
 */
function inferredOwner(pod: Pod, first: Owner, workloads: ReadonlyMap<string, ReadWorkload>): Owner {
  if (workloads.has(key(pod.namespace, first.kind, first.name))) return first;
  const cut = first.name.lastIndexOf("-");
  if (cut <= 0) return first;
  const prefix = first.name.slice(0, cut);
  const suffix = first.name.slice(cut + 1);
  const hash = Object.hasOwn(pod.labels, "pod-template-hash") ? pod.labels["pod-template-hash"] : undefined;
  if (
    first.kind === "ReplicaSet" &&
    suffix === hash &&
    workloads.has(key(pod.namespace, "Deployment", prefix))
  )
    return { kind: "Deployment", name: prefix };
  if (first.kind === "Job" && /^\d+$/.test(suffix) && workloads.has(key(pod.namespace, "CronJob", prefix)))
    return { kind: "CronJob", name: prefix };
  return first;
}

/**
 * The endpoints of a dump or of manifests: kept pods (each with its top owner) and the pod
 * templates of workloads that have no pod in the input, with the diagnostics of the pass.
 */
export function resolveEndpoints(
  pods: readonly ReadPod[],
  workloadList: readonly ReadWorkload[],
  options: EndpointOptions = {},
): { pods: Pod[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const workloads = new Map(workloadList.map((w) => [key(w.namespace, w.workload, w.name), w]));
  const finished: string[] = [];
  const pending: string[] = [];
  const covered = new Set<string>();
  const byOwner = new Map<string, Pod[]>();
  const cutChains = new Set<string>();
  const out: Pod[] = [];
  for (const read of pods) {
    const { phase, ...asRead } = read;
    let pod: Pod = asRead;
    if (phase === "Succeeded" || phase === "Failed") {
      finished.push(podName(pod));
      if (options.keepFinishedPods !== true) continue;
      // Its addresses are released (and may be a running pod's by now): an address-less endpoint.
      pod = { ...pod, podIPs: [] };
    }
    if (options.runningOnly === true && phase === "Pending" && pod.podIPs.length === 0) {
      pending.push(podName(pod));
      continue;
    }
    // A static pod's mirror is "owned" by its Node (cluster-scoped): no workload controls it.
    if (pod.owner === undefined || pod.owner.kind === "Node") {
      const { owner: _, ...own } = pod;
      out.push(own);
      continue;
    }
    const { owner, via, cut } = topOwner(pod.namespace, inferredOwner(pod, pod.owner, workloads), workloads);
    if (cut) cutChains.add(`${owner.kind} ${pod.namespace}/${owner.name}`);
    for (const k of via) covered.add(k);
    const kept: Pod = { ...pod, owner };
    out.push(kept);
    const k = key(pod.namespace, owner.kind, owner.name);
    const members = byOwner.get(k);
    if (members === undefined) byOwner.set(k, [kept]);
    else members.push(kept);
  }
  for (const w of workloadList) {
    const k = key(w.namespace, w.workload, w.name);
    // A workload another workload of the input controls (a Deployment's ReplicaSet) is not an
    // endpoint: the top one is. One whose pods are here is represented by them.
    if (
      covered.has(k) ||
      (w.controller !== undefined && workloads.has(key(w.namespace, w.controller.kind, w.controller.name)))
    )
      continue;
    out.push(w.template);
  }
  if (finished.length > 0 && options.keepFinishedPods === true)
    diagnostics.push({
      severity: "info",
      code: "finished-pods-kept",
      object: `Pod ${finished[0]}`,
      message: `${finished.length} pod${finished.length > 1 ? "s" : ""} in phase Succeeded or Failed kept as endpoint${finished.length > 1 ? "s" : ""} without their addresses (released, and may belong to running pods): ${some(finished)}`,
    });
  else if (finished.length > 0)
    diagnostics.push({
      severity: "info",
      code: "finished-pods-skipped",
      object: `Pod ${finished[0]}`,
      message: `${finished.length} pod${finished.length > 1 ? "s" : ""} in phase Succeeded or Failed left out (their addresses are released and may belong to running pods): ${some(finished)}`,
    });
  if (pending.length > 0)
    diagnostics.push({
      severity: "info",
      code: "pending-pods-skipped",
      object: `Pod ${pending[0]}`,
      message: `${pending.length} Pending pod${pending.length > 1 ? "s" : ""} without an address left out (--running-only): ${some(pending)}`,
    });
  for (const object of [...cutChains].sort())
    diagnostics.push({
      severity: "warning",
      code: "owner-chain-cut",
      object,
      message: `its ownerReferences go on in a cycle or past ${MAX_OWNER_DEPTH} controllers: pods are grouped under it, where the chain was cut`,
    });
  for (const [k, members] of [...byOwner].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const distinct = new Map<string, Pod>();
    for (const p of members) {
      const labels = identityLabels(p.labels);
      if (!distinct.has(labels)) distinct.set(labels, p);
    }
    if (distinct.size < 2) continue;
    const [ns, kind, name] = k.split("\u0000") as [string, string, string];
    const [a, b] = [...distinct.values()];
    diagnostics.push({
      severity: "warning",
      code: "workload-labels-differ",
      object: `${kind} ${ns}/${name}`,
      message: `its ${members.length} pods carry ${distinct.size} different label sets (${quote(podName(a!))} and ${quote(podName(b!))} differ): a policy may select some of them only; ${ns}/${name}[${kind}] names the first`,
    });
  }
  return { pods: out, diagnostics };
}
