import type * as z from "zod";
import type { WorkloadKind } from "../model/types.ts";
import { clusterPolicyNotes, type Note } from "./cluster-policy-notes.ts";
import { ANP_V1ALPHA1, BANP_V1ALPHA1, CNP_V1ALPHA2 } from "./cluster-policy-read.ts";
import {
  adminNetworkPolicySchema,
  baselineAdminNetworkPolicySchema,
  clusterNetworkPolicySchema,
} from "./cluster-policy-schema.ts";
import { namespaceSchema, networkPolicySchema, nodeSchema, podSchema } from "./object-schemas.ts";
import type { ReadValue } from "./read-types.ts";
import { unknownFieldText, unknownNetworkPolicyFields } from "./unknown-fields.ts";
import { WORKLOAD_API_VERSIONS, workloadSchema } from "./workload-schemas.ts";

export type { ReadValue };

/** How one kind is read: the one apiVersion, its schema, and the notes found on a valid raw object. */
export interface ReadKind {
  readonly apiVersion: string;
  readonly schema: z.ZodType<ReadValue, unknown>;
  readonly notes?: (object: Record<string, unknown>) => Note[];
}

/**
 * A NetworkPolicy's unknown fields (errors: a typo under `spec` changes the meaning silently, and
 * kubectl's strict field validation refuses them) and a `podSelector: null` (read as `{}`).
 */
function networkPolicyNotes(object: Record<string, unknown>): Note[] {
  const notes: Note[] = unknownNetworkPolicyFields(object).map((f) => ({
    severity: "error",
    code: "unknown-field",
    path: f.path,
    message: `${unknownFieldText(f)}: no such field in NetworkPolicy networking.k8s.io/v1`,
  }));
  const spec = object.spec;
  if (spec !== null && typeof spec === "object" && (spec as Record<string, unknown>).podSelector === null)
    notes.push({
      severity: "info",
      code: "null-pod-selector",
      path: ["spec", "podSelector"],
      message: "podSelector: null read as {} (every pod of the namespace), as the API server stores it",
    });
  return notes;
}

/** The kinds parseCluster reads (any other kind, or one of these at another apiVersion, is skipped). */
export const READ: Readonly<Record<string, ReadKind>> = {
  Namespace: { apiVersion: "v1", schema: namespaceSchema },
  Node: { apiVersion: "v1", schema: nodeSchema },
  Pod: { apiVersion: "v1", schema: podSchema },
  NetworkPolicy: {
    apiVersion: "networking.k8s.io/v1",
    schema: networkPolicySchema,
    notes: networkPolicyNotes,
  },
  ClusterNetworkPolicy: {
    apiVersion: CNP_V1ALPHA2.apiVersion,
    schema: clusterNetworkPolicySchema,
    notes: (o) => clusterPolicyNotes(CNP_V1ALPHA2, o),
  },
  AdminNetworkPolicy: {
    apiVersion: ANP_V1ALPHA1.apiVersion,
    schema: adminNetworkPolicySchema,
    notes: (o) => clusterPolicyNotes(ANP_V1ALPHA1, o),
  },
  BaselineAdminNetworkPolicy: {
    apiVersion: BANP_V1ALPHA1.apiVersion,
    schema: baselineAdminNetworkPolicySchema,
    notes: (o) => clusterPolicyNotes(BANP_V1ALPHA1, o),
  },
  ...Object.fromEntries(
    Object.entries(WORKLOAD_API_VERSIONS).map(([kind, apiVersion]) => [
      kind,
      { apiVersion, schema: workloadSchema(kind as WorkloadKind) },
    ]),
  ),
};
