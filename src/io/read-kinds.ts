import type * as z from "zod";
import type { WorkloadKind } from "../model/types.ts";
import { clusterPolicyNotes, type Note } from "./cluster-policy-notes.ts";
import { ANP_V1ALPHA1, BANP_V1ALPHA1, CNP_V1ALPHA2, type CRDValidation } from "./cluster-policy-read.ts";
import { clusterPolicySchema } from "./cluster-policy-schema.ts";
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

/**
 * A kind-less controller reference (decisions #56): the API requires `kind` (and `apiVersion`,
 * `uid`), but only the owner's name groups pods, so it is read, with a warning, as an owner shown
 * as `[Pod]` — as netpol-analyzer shows it.
 */
function ownerReferenceNotes(object: Record<string, unknown>): Note[] {
  const meta = object.metadata;
  if (meta === null || typeof meta !== "object") return [];
  const refs = (meta as Record<string, unknown>).ownerReferences;
  if (!Array.isArray(refs)) return [];
  const i = refs.findIndex((r) => r !== null && typeof r === "object" && r.controller === true);
  const ref = refs[i] as Record<string, unknown> | undefined;
  if (ref === undefined || (typeof ref.kind === "string" && ref.kind !== "")) return [];
  return [
    {
      severity: "warning",
      code: "incomplete-owner-reference",
      path: ["metadata", "ownerReferences", i, "kind"],
      message: `the controller reference to ${JSON.stringify(ref.name)} has no kind (the API requires kind, apiVersion and uid): its pods are grouped under that name, shown as [Pod] as netpol-analyzer shows an owner without a kind`,
    },
  ];
}

/** The kinds parseCluster reads, under a CRD validation (any other kind, or one of these at another apiVersion, is skipped). */
function readKinds(validation: CRDValidation): Readonly<Record<string, ReadKind>> {
  return {
    Namespace: { apiVersion: "v1", schema: namespaceSchema },
    Node: { apiVersion: "v1", schema: nodeSchema },
    Pod: { apiVersion: "v1", schema: podSchema, notes: ownerReferenceNotes },
    NetworkPolicy: {
      apiVersion: "networking.k8s.io/v1",
      schema: networkPolicySchema,
      notes: networkPolicyNotes,
    },
    ...Object.fromEntries(
      [CNP_V1ALPHA2, ANP_V1ALPHA1, BANP_V1ALPHA1].map((d) => [
        d.kind,
        {
          apiVersion: d.apiVersion,
          schema: clusterPolicySchema(d, validation),
          notes: (o: Record<string, unknown>) => clusterPolicyNotes(d, o, validation),
        },
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(WORKLOAD_API_VERSIONS).map(([kind, apiVersion]) => [
        kind,
        { apiVersion, schema: workloadSchema(kind as WorkloadKind), notes: ownerReferenceNotes },
      ]),
    ),
  };
}

/** The kinds parseCluster reads, validated as the API server does. */
export const READ: Readonly<Record<string, ReadKind>> = readKinds("strict");

/** The same, with the lenient CRD reading of decisions #57-#58 (`ParseOptions.crdValidation: "warn"`). */
export const READ_LENIENT: Readonly<Record<string, ReadKind>> = readKinds("warn");
