// Scenarios from the vendored network-policy-api conformance suites (ClusterNetworkPolicy
// v1alpha2, ANP/BANP v1alpha1, policy-assistant's truth tables), built as the conformance test
// builds them (test/conformance/network-policy-api.test.ts). Each case probes its own ports
// between every ordered pair of pods, and from the node addresses.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Protocol, parseCluster } from "../../../src/index.ts";
import type { Scenario } from "../plan.ts";

interface ModelPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ip: string;
  node?: string;
  hostNetwork?: boolean;
  containerPorts?: { name?: string; containerPort: number; protocol: string }[];
}
interface Model {
  nodes: { name: string; ip: string; labels: Record<string, string> }[];
  namespaces: { name: string; labels: Record<string, string> }[];
  pods: ModelPod[];
}
interface Case {
  name: string;
  policies: unknown[];
  model?: Model;
  model_overrides?: { namespaceLabels?: Record<string, Record<string, string>> };
  probes: { port: number; protocol: Protocol }[];
  uses_removed_fields?: boolean;
}
interface Section {
  id: string;
  model?: Model;
  cases: Case[];
}

const FILE = join(import.meta.dirname, "../../conformance/cluster-network-policy.json");

const podItem = (p: ModelPod, nodeIP: Map<string, string>): unknown => {
  const hostIP = p.node === undefined ? undefined : nodeIP.get(p.node);
  const ports = (p.containerPorts ?? []).map((cp) => ({
    ...(cp.name === undefined ? {} : { name: cp.name }),
    containerPort: cp.containerPort,
    protocol: cp.protocol,
  }));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
    spec: {
      ...(p.node === undefined ? {} : { nodeName: p.node }),
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      containers: [{ name: "c", image: "agnhost", ports }],
    },
    status: { podIP: p.ip, podIPs: [{ ip: p.ip }], ...(hostIP === undefined ? {} : { hostIP }) },
  };
};

function manifest(model: Model, c: Case): string {
  const over = c.model_overrides?.namespaceLabels ?? {};
  const nodeIP = new Map(model.nodes.map((n) => [n.name, n.ip]));
  const items: unknown[] = [
    ...model.namespaces.map((ns) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns.name, labels: over[ns.name] ?? ns.labels },
    })),
    ...model.nodes.map((n) => ({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: n.name, labels: n.labels },
      status: { addresses: [{ type: "InternalIP", address: n.ip }] },
    })),
    ...model.pods.map((p) => podItem(p, nodeIP)),
    ...c.policies,
  ];
  return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}

/**
 * Cases of the suites (those without fields removed from the API), `every`-th of each section
 * (1: all of them), so that a sample spreads over every section.
 */
export function networkPolicyAPIScenarios(every = 1): Scenario[] {
  const data = JSON.parse(readFileSync(FILE, "utf8")) as { sections: Section[] };
  const out: Scenario[] = [];
  for (const section of data.sections) {
    const cases = section.cases.filter((c) => !c.uses_removed_fields);
    cases.forEach((c, i) => {
      if (i % every !== 0) return;
      const { cluster } = parseCluster([
        { name: `${section.id}-${i}.json`, text: manifest(c.model ?? section.model!, c) },
      ]);
      const seen = new Set<string>();
      const ports = c.probes
        .map((p) => ({ port: p.port, protocol: p.protocol }))
        .filter((p) => !seen.has(`${p.protocol}/${p.port}`) && seen.add(`${p.protocol}/${p.port}`));
      out.push({ name: `${section.id} #${i} ${c.name}`, cluster, ports });
    });
  }
  return out;
}
