import * as z from "zod";
import { labelMap } from "../model/cluster.ts";
import type {
  ContainerPort,
  Labels,
  Namespace,
  NetworkPolicy,
  Node,
  Owner,
  Protocol,
} from "../model/types.ts";
import { normalizeIP } from "../net/ip.ts";
import { quote } from "./describe-value.ts";
import {
  dns1123LabelError,
  dns1123SubdomainError,
  portNameError,
  portNumberError,
} from "./name-validation.ts";
import { checkProtocol, networkPolicySpecSchema } from "./network-policy-schema.ts";
import type { ReadPod } from "./read-types.ts";
import { labelsSchema } from "./selector-schema.ts";
import { fail, type RefineContext } from "./zod-issues.ts";

/** Namespace of objects that do not name one (kubectl's default). */
export const DEFAULT_NAMESPACE = "default";

/**
 * `metadata`, checked on its own (so that a bad name is reported even when `spec` is broken too):
 * `name` a DNS-1123 label (Namespace) or subdomain (Pod, NetworkPolicy); `namespace` a DNS-1123
 * label, absent or empty meaning `default`.
 */
export function metadataSchema(rule: "label" | "subdomain"): z.ZodType<Metadata, unknown> {
  return z
    .object({
      name: z.string(),
      namespace: z.string().nullish(),
      labels: labelsSchema.optional(),
      ownerReferences: z
        .array(z.object({ kind: z.string().nullish(), name: z.string(), controller: z.boolean().nullish() }))
        .nullish(),
    })
    .transform((m, ctx): Metadata => {
      const bad = rule === "label" ? dns1123LabelError(m.name) : dns1123SubdomainError(m.name);
      if (bad !== undefined) fail(ctx, "invalid-name", `invalid name ${quote(m.name)}: ${bad}`, ["name"]);
      let namespace = m.namespace ?? "";
      if (namespace === "") namespace = DEFAULT_NAMESPACE;
      else if (rule === "subdomain") {
        const badNs = dns1123LabelError(namespace);
        if (badNs !== undefined)
          fail(ctx, "invalid-name", `invalid namespace ${quote(namespace)}: ${badNs}`, ["namespace"]);
      }
      const out = { name: m.name, namespace, labels: m.labels ?? labelMap({}) };
      // The controller: the one reference with `controller: true` (the API allows at most one).
      // Without a kind (hand-written fixtures; the API requires one) it is shown as `[Pod]`, as
      // netpol-analyzer shows it (decisions #56; read-kinds.ts warns).
      const ref = (m.ownerReferences ?? []).find((r) => r.controller === true);
      if (ref === undefined) return out;
      const kind = ref.kind === undefined || ref.kind === null || ref.kind === "" ? "Pod" : ref.kind;
      return { ...out, controller: { kind, name: ref.name } };
    });
}
export interface Metadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** `ownerReferences[]` with `controller: true`. */
  readonly controller?: Owner;
}

/**
 * A `v1` Namespace: name a DNS-1123 label, labels validated (`kubernetes.io/metadata.name` is added
 * by `makeCluster`).
 *
 * @example
 * namespaceSchema.parse({ metadata: { name: "prod", labels: { env: "prod" } } })
 */
export const namespaceSchema: z.ZodType<Namespace, unknown> = z
  .object({ metadata: metadataSchema("label") })
  .transform((o): Namespace => ({ name: o.metadata.name, labels: o.metadata.labels }));

const containerPortSchema = z
  .object({ name: z.string().nullish(), containerPort: z.number(), protocol: z.string().nullish() })
  .transform((p, ctx): ContainerPort => {
    const protocol: Protocol = checkProtocol(ctx, p.protocol);
    const bad = Number.isInteger(p.containerPort) ? portNumberError(p.containerPort) : "must be an integer";
    if (bad !== undefined)
      fail(ctx, "invalid-port", `invalid containerPort ${p.containerPort}: ${bad}`, ["containerPort"]);
    const name = p.name ?? undefined;
    if (name !== undefined) {
      const badName = portNameError(name);
      if (badName !== undefined)
        fail(ctx, "invalid-port", `invalid port name ${quote(name)}: ${badName}`, ["name"]);
      return { name, containerPort: p.containerPort, protocol };
    }
    return { containerPort: p.containerPort, protocol };
  });

/** A container; its port names are unique, as `validateContainerPorts` requires (a named port must name one port). */
const containerSchema = z
  .object({ ports: z.array(containerPortSchema).nullish(), restartPolicy: z.string().nullish() })
  .transform((c, ctx) => {
    const names = new Set<string>();
    (c.ports ?? []).forEach((p, i) => {
      if (p.name === undefined) return;
      if (names.has(p.name))
        fail(ctx, "invalid-port", `duplicate port name ${quote(p.name)} in one container`, [
          "ports",
          i,
          "name",
        ]);
      names.add(p.name);
    });
    return c;
  });

/** What network policy reads of a PodSpec: ports (containers', then sidecars'), hostNetwork, nodeName. */
export interface PodSpecFields {
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  readonly nodeName?: string;
}

/**
 * A PodSpec (also a workload's pod template spec). Ports come from `containers` and from sidecars
 * (`initContainers` with `restartPolicy: Always`, which keep running and serve traffic); ordinary
 * init containers have exited before the pod is ready, so theirs are validated but not kept.
 */
export const podSpecSchema: z.ZodType<PodSpecFields, unknown> = z
  .object({
    containers: z.array(containerSchema).nullish(),
    initContainers: z.array(containerSchema).nullish(),
    hostNetwork: z.boolean().nullish(),
    nodeName: z.string().nullish(),
  })
  .transform((spec): PodSpecFields => {
    const ports: ContainerPort[] = [];
    for (const c of spec.containers ?? []) ports.push(...(c.ports ?? []));
    for (const c of spec.initContainers ?? [])
      if (c.restartPolicy === "Always") ports.push(...(c.ports ?? []));
    const hostNetwork = spec.hostNetwork ?? false;
    const nodeName = spec.nodeName ?? "";
    return nodeName === "" ? { ports, hostNetwork } : { ports, hostNetwork, nodeName };
  });

export type { ReadPod } from "./read-types.ts";

/** Check an address field and normalise it; reports `invalid-ip` at `path`. */
function checkIP(ctx: RefineContext, text: string, path: readonly PropertyKey[]): string | undefined {
  const ip = normalizeIP(text);
  if (ip === undefined) fail(ctx, "invalid-ip", `invalid IP address ${quote(text)}`, path);
  return ip;
}

/**
 * A `v1` Pod, reduced to what network policy reads. Container ports come from `spec.containers`
 * and from sidecars (`spec.initContainers` with `restartPolicy: Always`, which keep running and
 * serve traffic); ordinary init containers have exited before the pod is ready, so theirs are
 * validated but not kept. `podIPs`: `status.podIP` first, then `status.podIPs[].ip`, normalised
 * and deduplicated.
 *
 * @example
 * podSchema.parse({ metadata: { name: "web", namespace: "shop" }, status: { podIP: "10.0.0.7" } })
 */
export const podSchema: z.ZodType<ReadPod, unknown> = z
  .object({
    metadata: metadataSchema("subdomain"),
    spec: podSpecSchema.nullish(),
    status: z
      .object({
        podIP: z.string().nullish(),
        podIPs: z.array(z.object({ ip: z.string() })).nullish(),
        hostIP: z.string().nullish(),
        hostIPs: z.array(z.object({ ip: z.string() })).nullish(),
        phase: z.string().nullish(),
      })
      .nullish(),
  })
  .transform((o, ctx): ReadPod => {
    const namespace = o.metadata.namespace;
    const spec: PodSpecFields = o.spec ?? { ports: [], hostNetwork: false };
    const status = o.status ?? {};
    const podIPs: string[] = [];
    const add = (ip: string | undefined): void => {
      if (ip !== undefined && !podIPs.includes(ip)) podIPs.push(ip);
    };
    const primary =
      status.podIP !== undefined && status.podIP !== null && status.podIP !== ""
        ? checkIP(ctx, status.podIP, ["status", "podIP"])
        : undefined;
    add(primary);
    // As the API server: one address per family. The engine matches one address per family, so a
    // second IPv4 would silently never be a flow's address nor an ipBlock match.
    (status.podIPs ?? []).forEach((p, i) => {
      const path = ["status", "podIPs", i, "ip"];
      const ip = checkIP(ctx, p.ip, path);
      if (ip === undefined || podIPs.includes(ip)) return;
      const v6 = ip.includes(":");
      const other = podIPs.find((q) => q.includes(":") === v6);
      if (other === undefined) add(ip);
      else
        fail(
          ctx,
          "invalid-ip",
          `${quote(p.ip)} is a second IPv${v6 ? 6 : 4} address (after ${quote(other)}): a pod has at most one address per family`,
          path,
        );
    });
    const pod: {
      -readonly [K in keyof ReadPod]: ReadPod[K];
    } = {
      namespace,
      name: o.metadata.name,
      labels: o.metadata.labels,
      ports: [...spec.ports],
      hostNetwork: spec.hostNetwork,
      podIPs,
    };
    if (spec.nodeName !== undefined) pod.nodeName = spec.nodeName;
    if (status.hostIP !== undefined && status.hostIP !== null && status.hostIP !== "") {
      const hostIP = checkIP(ctx, status.hostIP, ["status", "hostIP"]);
      if (hostIP !== undefined) pod.hostIP = hostIP;
    }
    // status.hostIPs (dual-stack nodes): hostIP first, then the rest, deduplicated (decisions #23).
    const hostIPs: string[] = pod.hostIP === undefined ? [] : [pod.hostIP];
    (status.hostIPs ?? []).forEach((h, i) => {
      const ip = checkIP(ctx, h.ip, ["status", "hostIPs", i, "ip"]);
      if (ip !== undefined && !hostIPs.includes(ip)) hostIPs.push(ip);
    });
    if (hostIPs.length > (pod.hostIP === undefined ? 0 : 1)) pod.hostIPs = hostIPs;
    if (o.metadata.controller !== undefined) pod.owner = o.metadata.controller;
    if (status.phase !== undefined && status.phase !== null && status.phase !== "") pod.phase = status.phase;
    return pod;
  });

/**
 * A `networking.k8s.io/v1` NetworkPolicy: name a DNS-1123 subdomain, `spec` required and defaulted.
 *
 * @example
 * networkPolicySchema.parse({ metadata: { name: "deny" }, spec: { podSelector: {} } }).namespace // "default"
 */
export const networkPolicySchema: z.ZodType<NetworkPolicy, unknown> = z
  .object({ metadata: metadataSchema("subdomain"), spec: networkPolicySpecSchema })
  .transform((o): NetworkPolicy => {
    return { namespace: o.metadata.namespace, name: o.metadata.name, spec: o.spec };
  });

/** `status.addresses[].type` values that are IP addresses a packet can come from (not DNS names). */
const NODE_ADDRESS_TYPES = new Set(["InternalIP", "ExternalIP"]);

/**
 * A `v1` Node: name a DNS-1123 subdomain, labels validated, and its IP addresses —
 * `status.addresses` of type `InternalIP` and `ExternalIP`, normalised, in written order, without
 * repeats (`Hostname`, `InternalDNS`, `ExternalDNS` entries are names, not addresses, and skipped).
 *
 * @example
 * nodeSchema.parse({ metadata: { name: "n1" }, status: { addresses: [{ type: "InternalIP", address: "172.18.0.2" }] } })
 * // { name: "n1", labels: {}, addresses: ["172.18.0.2"] }
 */
export const nodeSchema: z.ZodType<Node, unknown> = z
  .object({
    metadata: metadataSchema("subdomain"),
    status: z
      .object({ addresses: z.array(z.object({ type: z.string(), address: z.string() })).nullish() })
      .nullish(),
  })
  .transform((o, ctx): Node => {
    const addresses: string[] = [];
    (o.status?.addresses ?? []).forEach((a, i) => {
      if (!NODE_ADDRESS_TYPES.has(a.type)) return;
      const ip = checkIP(ctx, a.address, ["status", "addresses", i, "address"]);
      if (ip !== undefined && !addresses.includes(ip)) addresses.push(ip);
    });
    return { name: o.metadata.name, labels: o.metadata.labels, addresses };
  });
