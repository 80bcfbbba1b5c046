// Scenarios from the vendored Kubernetes e2e network-policy vectors: every case, as the
// conformance test builds it (test/conformance/k8s-e2e.test.ts), probing the case's ports
// between every ordered pair of the 9 pods.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Protocol, parseCluster } from "../../../src/index.ts";
import type { Scenario } from "../plan.ts";

interface E2EPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ip: string;
  containerPorts: { name: string; containerPort: number; protocol: string }[];
}
interface E2ECase {
  id: string;
  name: string;
  policies: unknown[];
  labelOverrides?: {
    namespaces?: Record<string, Record<string, string>>;
    pods?: Record<string, Record<string, string>>;
  };
  probes: { port: number; protocol: Protocol }[];
}
interface E2EData {
  model: { namespaces: { name: string; labels: Record<string, string> }[]; pods: E2EPod[] };
  cases: E2ECase[];
}

const FILE = join(import.meta.dirname, "../../conformance/k8s-e2e-netpol.json");

function manifest(data: E2EData, c: E2ECase): string {
  const over = c.labelOverrides ?? {};
  const items: unknown[] = data.model.namespaces.map((ns) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: ns.name, labels: over.namespaces?.[ns.name] ?? ns.labels },
  }));
  for (const p of data.model.pods)
    items.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: p.name,
        namespace: p.namespace,
        labels: over.pods?.[`${p.namespace}/${p.name}`] ?? p.labels,
      },
      spec: { containers: [{ name: "c", image: "agnhost", ports: p.containerPorts }] },
      status: { podIP: p.ip, podIPs: [{ ip: p.ip }] },
    });
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: [...items, ...c.policies] });
}

/** Every case of the e2e vectors. */
export function k8sE2EScenarios(): Scenario[] {
  const data = JSON.parse(readFileSync(FILE, "utf8")) as E2EData;
  return data.cases.map((c) => {
    const { cluster } = parseCluster([{ name: `${c.id}.json`, text: manifest(data, c) }]);
    const ports = c.probes.map((p) => ({ port: p.port, protocol: p.protocol }));
    return { name: `e2e ${c.id}`, cluster, ports };
  });
}
