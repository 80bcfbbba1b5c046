import type { InputIssue } from "../model/input-error.ts";
import { isLegacyNamespaces, LEGACY_NAMESPACES_FIELDS, PEER_FIELDS } from "./cluster-policy-peers.ts";
import { type CRDValidation, type Dialect, isRecord, setFields } from "./cluster-policy-read.ts";
import { quote } from "./describe-value.ts";
import { SELECTOR, type Shape, unknownFields, unknownFieldText } from "./unknown-fields.ts";
import { formatPath } from "./zod-issues.ts";

// The legal oddities of a cluster policy that has been read without error, found on the raw
// object (the schema has checked its types): unknown fields (errors, as for NetworkPolicy: a typo
// there changes the meaning silently), peers that fail closed and v0.1.1-era peers (warnings).

/** A diagnostic about one field of the object; path from the object's root. */
export interface Note {
  /** `error`: the object is refused (an issue, not a diagnostic). */
  readonly severity: "info" | "warning" | "error";
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type P = readonly (string | number)[];

/** A note of an object as an input issue (its path formatted), for the notes that are errors. */
export const noteIssue = (n: Note, object: string, file: string): InputIssue => ({
  code: n.code,
  file,
  object,
  path: formatPath(n.path),
  message: n.message,
});

const PODS: Shape = { namespaceSelector: SELECTOR, podSelector: SELECTOR };
const RANGE: Shape = { start: null, end: null };
const L4: Shape = { destinationPort: { number: null, range: RANGE } };
const PROTOCOL: Shape = { tcp: L4, udp: L4, sctp: L4, destinationNamedPort: null };
const V1ALPHA1_PORT: Shape = {
  portNumber: { protocol: null, port: null },
  portRange: { protocol: null, start: null, end: null },
  namedPort: null,
};

/**
 * The notes of one cluster policy object of dialect `d`.
 *
 * @example
 * // a v1alpha1 peer { sameLabels: ["ns"] } → a fail-closed-peer warning at spec.ingress[0].from[0]
 */
export function clusterPolicyNotes(
  d: Dialect,
  object: unknown,
  validation: CRDValidation = "strict",
): Note[] {
  const notes: Note[] = [];
  const version = d.apiVersion.slice(d.apiVersion.indexOf("/") + 1);
  const report = (path: P, known: readonly string[]): void => {
    const field = String(path[path.length - 1]);
    const other = d.portsField === "protocols" ? "ports" : "protocols";
    const why =
      field === other
        ? `; ${version} writes a rule's ports as ${d.portsField}, so this rule would match every port`
        : "";
    const message = `${unknownFieldText({ path, known })}: no such field in ${d.kind} ${version}${why}`;
    notes.push({ severity: "error", code: "unknown-field", path, message });
  };
  const unknown = (value: unknown, shape: Shape, path: P): void => {
    for (const f of unknownFields(value, shape)) report([...path, ...f.path], f.known);
  };
  const spec = isRecord(object) ? object.spec : undefined;
  if (!isRecord(spec)) return notes;
  const specShape: Record<string, Shape | null> = { subject: null, ingress: null, egress: null };
  if (d.kind !== "BaselineAdminNetworkPolicy") specShape.priority = null;
  if (d.kind === "ClusterNetworkPolicy") specShape.tier = null;
  unknown(spec, specShape, ["spec"]);
  unknown(spec.subject, { namespaces: SELECTOR, pods: PODS }, ["spec", "subject"]);
  if (isRecord(spec.subject)) lenientPods(spec.subject.pods, ["spec", "subject", "pods"], false);
  for (const dir of ["ingress", "egress"] as const) {
    const rules = Array.isArray(spec[dir]) ? spec[dir] : [];
    const peersKey = dir === "ingress" ? "from" : "to";
    rules.forEach((rule: unknown, i) => {
      if (!isRecord(rule)) return;
      const path = ["spec", dir, i];
      unknown(rule, { name: null, action: null, [peersKey]: null, [d.portsField]: null }, path);
      const ports = rule[d.portsField];
      if (Array.isArray(ports))
        ports.forEach((p, j) => {
          unknown(p, d.portsField === "protocols" ? PROTOCOL : V1ALPHA1_PORT, [...path, d.portsField, j]);
        });
      const written = String(rule.action);
      const action = Object.hasOwn(d.actions, written) ? d.actions[written] : undefined;
      const peers = rule[peersKey];
      if (Array.isArray(peers))
        peers.forEach((peer, j) => {
          peerNotes(peer, [...path, peersKey, j], written, action === "Accept");
        });
      if (validation === "warn" && Array.isArray(peers) && Array.isArray(ports))
        lenientNamedPorts(peers, ports, path);
    });
  }
  return notes;

  function failClosed(path: P, what: string, action: string, accept: boolean): void {
    const effect = accept ? "matches nothing" : "matches every peer";
    const message = `${what}: the peer fails closed (in this ${action} rule it ${effect})`;
    notes.push({ severity: "warning", code: "fail-closed-peer", path, message });
  }

  function peerNotes(peer: unknown, path: P, action: string, accept: boolean): void {
    if (!isRecord(peer)) return;
    const [field] = setFields(peer, PEER_FIELDS);
    if (field === undefined) {
      const keys = Object.keys(peer).map((k) => quote(k));
      failClosed(
        path,
        `peer sets only ${keys.join(", ")}, no field ${d.kind} ${version} reads`,
        action,
        accept,
      );
      return;
    }
    for (const k of Object.keys(peer)) if (!PEER_FIELDS.includes(k)) report([...path, k], PEER_FIELDS);
    const value = peer[field];
    const at = [...path, field];
    if (field === "namespaces" || field === "nodes") {
      if (field === "namespaces" && d.legacyPeers && isLegacyNamespaces(value))
        legacyNotes(value, at, "namespaces", action, accept);
      else unknown(value, SELECTOR, at);
    } else if (field === "pods" && isRecord(value)) {
      const legacy = d.legacyPeers && value.namespaces !== undefined && value.namespaces !== null;
      unknown(value, legacy ? { namespaces: null, podSelector: SELECTOR } : PODS, at);
      if (legacy)
        legacyNotes(value.namespaces, [...at, "namespaces"], "pods.namespaceSelector", action, accept);
      lenientPods(value, at, legacy);
    }
  }

  /** Lenient reading (decisions #57): a `pods` without a selector the CRD requires, read as `{}`. */
  function lenientPods(value: unknown, path: P, legacy: boolean): void {
    if (validation !== "warn" || !isRecord(value)) return;
    const absent = (k: string): boolean => value[k] === undefined || value[k] === null;
    if (!legacy && d.podsNeedNamespaceSelector && absent("namespaceSelector"))
      notes.push({
        severity: "warning",
        code: "missing-selector",
        path: [...path, "namespaceSelector"],
        message: `required field "namespaceSelector" is missing (the ${d.kind} ${version} CRD requires it): read as {}, every namespace, as ClusterNetworkPolicy v1alpha2 defines an absent one`,
      });
    if (absent("podSelector"))
      notes.push({
        severity: "warning",
        code: "missing-selector",
        path: [...path, "podSelector"],
        message: `required field "podSelector" is missing (the ${d.kind} ${version} CRD requires it): read as {}, every pod, as a Go client decodes it`,
      });
  }

  /** Lenient reading (decisions #58): named ports beside nodes/networks/domainNames peers. */
  function lenientNamedPorts(peers: readonly unknown[], ports: readonly unknown[], path: P): void {
    const address = peers.find(
      (p) => isRecord(p) && setFields(p, ["nodes", "networks", "domainNames"]).length > 0,
    );
    if (address === undefined) return;
    const kind = setFields(address as Record<string, unknown>, ["nodes", "networks", "domainNames"])[0];
    ports.forEach((p, j) => {
      if (!isRecord(p)) return;
      const named = d.portsField === "ports" ? "namedPort" : "destinationNamedPort";
      if (p[named] === undefined || p[named] === null) return;
      notes.push({
        severity: "warning",
        code: "named-port-ip-peer",
        path: [...path, d.portsField, j],
        message: `a named port in a rule whose peers include ${kind} (the CRD's CEL rule refuses it): it matches the rule's pod peers only, addresses have no named ports`,
      });
    });
  }

  /** A v0.1.1 `NamespacedPeer`; `modern` is what v0.1.3+ writes instead of its `namespaceSelector`. */
  function legacyNotes(value: unknown, path: P, modern: string, action: string, accept: boolean): void {
    if (!isRecord(value)) return;
    unknown(value, { namespaceSelector: SELECTOR, sameLabels: null, notSameLabels: null }, path);
    const [key] = setFields(value, LEGACY_NAMESPACES_FIELDS);
    if (key === "namespaceSelector") {
      const message = `read in the network-policy-api v0.1.1/v0.1.2 form (namespaceSelector inside a NamespacedPeer); since v0.1.3 write ${modern} as the selector itself: a newer CRD prunes namespaceSelector here, leaving {} (every namespace)`;
      notes.push({ severity: "warning", code: "legacy-peer-form", path: [...path, key], message });
    } else if (key !== undefined)
      failClosed(
        [...path, key],
        `${key} was removed in network-policy-api v0.1.3 and is not evaluated`,
        action,
        accept,
      );
  }
}
