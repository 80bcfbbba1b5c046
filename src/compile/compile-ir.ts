import { EGRESS, INGRESS, IR_VERSION, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import type { Profile } from "../model/profile.ts";
import type { Cluster, Diagnostic } from "../model/types.ts";
import { parseIP } from "../net/ip.ts";
import { type AddressRange, buildAddressClasses } from "./address-classes.ts";
import { collectDirection, namedPortKey } from "./collect-rules.ts";
import { collectDiagnostics } from "./diagnostics.ts";
import { buildDirectionTable, type TableContext } from "./direction-table.ts";
import { layoutEndpoints } from "./layout-endpoints.ts";
import { buildPodUniverse } from "./pod-universe.ts";
import { buildPortClasses, type PortRange } from "./port-classes.ts";
import { createRowStore } from "./row-store.ts";

/** The compiled IR and what the compiler noticed on the way. */
export interface CompiledIR {
  readonly ir: PolicyTableIR;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Compile a cluster into the plain-data decision table, in named passes: intern labels, collect
 * and intern rules and peers, cut port and address classes, lay out endpoints, then per direction
 * group subjects, classify peers and fill the cells. The cluster must be canonically ordered (as
 * `parseCluster`/`makeCluster` produce it); the output is then a pure function of its content.
 */
export function compileIR(cluster: Cluster, profile: Profile): CompiledIR {
  const universe = buildPodUniverse(cluster);
  const egress = collectDirection(cluster, EGRESS, universe.namespaceOf);
  const ingress = collectDirection(cluster, INGRESS, universe.namespaceOf);

  // Port classes: every numeric range of every rule, and every number a used named port resolves to.
  const portRanges: PortRange[] = [];
  const namedUsed = new Set([...egress.namedPorts, ...ingress.namedPorts]);
  for (const r of [...egress.rules, ...ingress.rules])
    for (const p of r.ports ?? []) if (!("name" in p)) portRanges.push(p);
  for (const pod of cluster.pods)
    for (const p of pod.ports)
      if (p.name !== undefined && namedUsed.has(namedPortKey(p.name, p.protocol)))
        portRanges.push({ protocol: p.protocol, lo: p.containerPort, hi: p.containerPort });
  const ports = buildPortClasses(portRanges);

  // Address classes: ipBlock boundaries, and each node address as a class of its own.
  const addressRanges: AddressRange[] = [];
  for (const peer of [...egress.globalPeers, ...ingress.globalPeers]) {
    if (peer.kind !== "ipBlock") continue;
    addressRanges.push(peer.cidr, ...peer.except);
  }
  const nodes = new Set<string>();
  for (const pod of cluster.pods) {
    const node = pod.hostIP ?? (pod.hostNetwork ? pod.podIPs[0] : undefined);
    if (node !== undefined) nodes.add(node);
  }
  for (const node of nodes) {
    const ip = parseIP(node);
    if (ip !== undefined) addressRanges.push({ family: ip.family, first: ip.value, last: ip.value });
  }
  const addresses = buildAddressClasses(addressRanges);

  const layout = layoutEndpoints(cluster, universe.namespaceOf, addresses);
  const rows = createRowStore(ports);
  const ctx: TableContext = {
    cluster,
    ipBlockMatchesPodIPs: profile.ipBlockMatchesPodIPs,
    layout,
    addresses,
    ports,
    universe,
    rows,
  };
  const egressTable = buildDirectionTable(ctx, EGRESS, egress);
  const ingressTable = buildDirectionTable(ctx, INGRESS, ingress);

  const ir: PolicyTableIR = {
    version: IR_VERSION,
    profile,
    pods: cluster.pods.map((p) => `${p.namespace}/${p.name}`),
    podAddresses: layout.podAddresses,
    podNamedPorts: cluster.pods.map((pod) =>
      pod.ports
        .filter((p) => p.name !== undefined)
        .map((p) => [p.name!, p.protocol, p.containerPort] as const),
    ),
    namespaces: cluster.namespaces.map((n) => n.name),
    policies: cluster.networkPolicies.map((p) => `${p.namespace}/${p.name}`),
    addressClasses: addresses.classes.map((c) => ({
      family: c.family,
      first: c.first.toString(),
      last: c.last.toString(),
    })),
    kind: layout.kind,
    alias: layout.alias,
    namespace: layout.namespace,
    primaryVariant: layout.primaryVariant,
    variantMask: layout.variantMask,
    nodeEndpoint: layout.nodeEndpoint,
    portClassStarts: ports.starts,
    portClassOffset: ports.offset,
    portClassCount: ports.count,
    portRows: rows.finish(),
    egress: egressTable,
    ingress: ingressTable,
  };
  return { ir, diagnostics: collectDiagnostics(cluster, universe, [egress, ingress]) };
}
