import { EGRESS, INGRESS, IR_VERSION, type PolicyTableIR } from "../ir/policy-table-ir.ts";
import { endpointAliases, endpointKind, endpointNames, ownerText } from "../model/endpoint-names.ts";
import type { Profile } from "../model/profile.ts";
import { clusterUnderProfile } from "../model/profile-cluster.ts";
import type { Cluster, Diagnostic, Protocol } from "../model/types.ts";
import { formatCIDR } from "../net/cidr.ts";
import { type AddressRange, buildAddressClasses } from "./address-classes.ts";
import { createCellBudget } from "./cell-budget.ts";
import { collectDirection, protocolIndex } from "./collect-rules.ts";
import { collectDiagnostics } from "./diagnostics.ts";
import { buildDirectionTable } from "./direction-table.ts";
import { IntSeqInterner } from "./int-seq-interner.ts";
import { createSelectorKeys } from "./label-index.ts";
import { layoutEndpoints } from "./layout-endpoints.ts";
import { buildNamedVectors } from "./named-ports.ts";
import { buildNodes } from "./nodes.ts";
import { parsePodCIDRs } from "./pod-range.ts";
import { buildPodUniverse } from "./pod-universe.ts";
import { buildPortClasses, type PortRange } from "./port-classes.ts";
import { createRowStore } from "./row-store.ts";
import { buildSubjects } from "./subjects.ts";
import type { TableContext } from "./table-context.ts";

type NamedPortList = readonly (readonly [string, Protocol, number])[];
const NO_NAMED_PORTS: NamedPortList = Object.freeze([]);

/**
 * Per pod, its named container ports `[name, protocol, number]`. Pods of one template declare the
 * same list, so equal lists are built once and shared (hash-consed on (name, protocol, number)):
 * the IR is read-only, and this keeps ~10⁴ small arrays out of the heap.
 */
function sharedNamedPorts(cluster: Cluster): NamedPortList[] {
  const names = new Map<string, number>();
  const lists = new IntSeqInterner();
  const shared: NamedPortList[] = [];
  return cluster.pods.map((pod) => {
    let n = 0;
    for (let j = 0; j < pod.ports.length; j++) {
      const p = pod.ports[j]!;
      if (p.name === undefined) continue;
      let id = names.get(p.name);
      if (id === undefined) names.set(p.name, (id = names.size));
      lists.push(id);
      lists.push(protocolIndex(p.protocol));
      lists.push(p.containerPort);
      n++;
    }
    if (n === 0) return NO_NAMED_PORTS;
    const id = lists.commit();
    if (id < shared.length) return shared[id]!;
    const out = new Array<readonly [string, Protocol, number]>(n);
    n = 0;
    for (let j = 0; j < pod.ports.length; j++) {
      const p = pod.ports[j]!;
      if (p.name !== undefined) out[n++] = [p.name, p.protocol, p.containerPort];
    }
    shared.push(out);
    return out;
  });
}

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
/** Options of `compileIR`. */
export interface CompileIROptions {
  /** Cells the table may hold before the input is refused (`table-too-large`); default `DEFAULT_CELL_BUDGET`. */
  readonly cellBudget?: number;
  /** Where address-less pods live (docs/decisions.md #46-#48): CIDRs, e.g. `["10.244.0.0/16", "fd00::/48"]`. */
  readonly podCIDRs?: readonly string[];
}

export function compileIR(input: Cluster, profile: Profile, options: CompileIROptions = {}): CompiledIR {
  const cluster = clusterUnderProfile(input, profile);
  const selectorKeys = createSelectorKeys();
  const universe = buildPodUniverse(cluster, selectorKeys);
  const subjects = buildSubjects(cluster, universe);
  const nodes = buildNodes(cluster);
  const ruleKeys = new IntSeqInterner(); // shared: equal ports get one id in both directions
  const egress = collectDirection(cluster, EGRESS, universe, ruleKeys, selectorKeys);
  const ingress = collectDirection(cluster, INGRESS, universe, ruleKeys, selectorKeys);

  // Port classes: every numeric range of every distinct rule port list, and every number a used
  // named port resolves to on some pod (collected while building the named-port vectors).
  const portRanges: PortRange[] = [];
  const cutSeen = new Set<number>();
  const cut = (protocol: Protocol, port: number): void => {
    const key = protocolIndex(protocol) * 65536 + port;
    if (cutSeen.has(key)) return;
    cutSeen.add(key);
    portRanges.push({ protocol, lo: port, hi: port });
  };
  const egressNamed = buildNamedVectors(cluster, egress.namedPorts, cut);
  const ingressNamed = buildNamedVectors(cluster, ingress.namedPorts, cut);
  const seenPorts = new Set<number>();
  for (const rules of [egress.rules, ingress.rules])
    for (const r of rules) {
      if (r.ports === undefined || seenPorts.has(r.portsId)) continue;
      seenPorts.add(r.portsId);
      for (const p of r.ports) if (!("name" in p)) portRanges.push(p);
    }
  const ports = buildPortClasses(portRanges);

  // Address classes: ipBlock / networks boundaries, and each node address as a class of its own.
  const addressRanges: AddressRange[] = [];
  for (const peer of [...egress.globalPeers, ...ingress.globalPeers]) {
    if (peer.kind !== "ipBlock") continue;
    addressRanges.push(peer.cidr, ...peer.except);
  }
  for (const list of nodes.addresses)
    for (const ip of list) addressRanges.push({ family: ip.family, first: ip.value, last: ip.value });
  const podRanges = parsePodCIDRs(options.podCIDRs);
  addressRanges.push(...podRanges);
  const addresses = buildAddressClasses(addressRanges);

  const layout = layoutEndpoints(
    cluster,
    universe.podNamespace,
    addresses,
    nodes,
    !profile.ipBlockMatchesPodIPs,
  );
  const rows = createRowStore(ports);
  const ctx: TableContext = {
    ipBlockMatchesPodIPs: profile.ipBlockMatchesPodIPs,
    layout,
    addresses,
    podRanges,
    ports,
    universe,
    subjects,
    rows,
    nodes,
    budget: createCellBudget(cluster, options.cellBudget),
  };
  const egressTable = buildDirectionTable(ctx, EGRESS, egress, egressNamed);
  const ingressTable = buildDirectionTable(ctx, INGRESS, ingress, ingressNamed);

  const podNamedPorts = sharedNamedPorts(cluster);
  const names = endpointNames(cluster.pods);
  const ir: PolicyTableIR = {
    version: IR_VERSION,
    profile,
    pods: names,
    endpointKinds: cluster.pods.map(endpointKind),
    podOwners: cluster.pods.map(ownerText),
    aliases: endpointAliases(cluster.pods, names),
    podAddresses: layout.podAddresses,
    podNamedPorts,
    namespaces: cluster.namespaces.map((n) => n.name),
    policies: cluster.networkPolicies.map((p) => `${p.namespace}/${p.name}`),
    clusterPolicies: cluster.clusterNetworkPolicies.map((p) => ({
      kind: p.kind,
      name: p.name,
      tier: p.tier,
      priority: p.priority,
    })),
    outcomes: rows.outcomes(),
    podCIDRs: podRanges.map(formatCIDR),
    undecidable: egress.rules.some((r) => r.domainNames.length > 0) ? 1 : 0,
    addressClasses: addresses.classes.map((c) => ({
      family: c.family,
      first: c.first.toString(),
      last: c.last.toString(),
    })),
    kind: layout.kind,
    namespace: layout.namespace,
    primaryVariant: layout.primaryVariant,
    variantMask: layout.variantMask,
    nodes: nodes.names.map((n) => (n.startsWith("\u0000") ? `?${n.slice(1)}` : n)),
    node: layout.node,
    portClassStarts: ports.starts,
    portClassOffset: ports.offset,
    portClassCount: ports.count,
    ...rows.finish(),
    egress: egressTable.table,
    ingress: ingressTable.table,
  };
  const diagnostics = collectDiagnostics(cluster, universe, subjects, [
    { collected: egress, peers: egressTable.peers, named: egressNamed },
    { collected: ingress, peers: ingressTable.peers, named: ingressNamed },
  ]);
  return { ir, diagnostics };
}
