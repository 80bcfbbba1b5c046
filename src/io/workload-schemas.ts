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
    const template: Pod = {
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      labels: t.metadata?.labels ?? labelMap({}),
      ports: [...podSpec.ports],
      hostNetwork: podSpec.hostNetwork,
      podIPs: [],
      workload: kind,
    };
    const base = { workload: kind, namespace: o.metadata.namespace, name: o.metadata.name, template };
    return o.metadata.controller === undefined ? base : { ...base, controller: o.metadata.controller };
  });
}
