import * as z from "zod";
import { labelMap } from "../model/cluster.ts";
import type { Pod, WorkloadKind } from "../model/types.ts";
import { metadataSchema, podSpecSchema } from "./object-schemas.ts";
import type { ReadWorkload } from "./read-types.ts";
import { labelsSchema } from "./selector-schema.ts";

export type { ReadWorkload } from "./read-types.ts";

/** The apiVersion each workload kind is read at (others are ignored, as for any kind). */
export const WORKLOAD_API_VERSIONS: Readonly<Record<WorkloadKind, string>> = {
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  ReplicaSet: "apps/v1",
  ReplicationController: "v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
};

const templateSchema = z.object({
  metadata: z.object({ labels: labelsSchema.optional() }).nullish(),
  spec: podSpecSchema.nullish(),
});

/**
 * The schema of one workload kind: `metadata` as for a Pod, and the pod template at
 * `spec.template` (`spec.jobTemplate.spec.template` for a CronJob), which is required — without
 * it the workload makes no pods the API would accept.
 *
 * @example
 * workloadSchema("Deployment").parse({ metadata: { name: "web" }, spec: { template: { metadata: { labels: { app: "web" } } } } })
 * // { workload: "Deployment", namespace: "default", name: "web", template: { …, labels: { app: "web" }, podIPs: [] } }
 */
export function workloadSchema(kind: WorkloadKind): z.ZodType<ReadWorkload, unknown> {
  const spec =
    kind === "CronJob"
      ? z.object({ jobTemplate: z.object({ spec: z.object({ template: templateSchema }) }) })
      : z.object({ template: templateSchema });
  return z.object({ metadata: metadataSchema("subdomain"), spec }).transform((o): ReadWorkload => {
    const t = "jobTemplate" in o.spec ? o.spec.jobTemplate.spec.template : o.spec.template;
    const podSpec = t.spec ?? { ports: [], hostNetwork: false };
    // The API server labels a Job's pods with the Job's name (`job-name` and, since 1.27,
    // `batch.kubernetes.io/job-name`); policies select Job pods by it. A CronJob's Jobs are named
    // by schedule time, so theirs cannot be known; other controllers' labels (pod-template-hash,
    // controller-revision-hash) carry hashes nothing outside the cluster knows.
    const given = t.metadata?.labels ?? labelMap({});
    const labels =
      kind === "Job"
        ? labelMap({ ...given, "job-name": o.metadata.name, "batch.kubernetes.io/job-name": o.metadata.name })
        : given;
    const template: Pod = {
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      labels,
      ports: [...podSpec.ports],
      hostNetwork: podSpec.hostNetwork,
      podIPs: [],
      workload: kind,
    };
    const base = { workload: kind, namespace: o.metadata.namespace, name: o.metadata.name, template };
    return o.metadata.controller === undefined ? base : { ...base, controller: o.metadata.controller };
  });
}
