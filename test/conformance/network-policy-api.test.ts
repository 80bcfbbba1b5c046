// The kubernetes-sigs/network-policy-api conformance suites (AdminNetworkPolicy /
// BaselineAdminNetworkPolicy v1alpha1, ClusterNetworkPolicy v1alpha2) and policy-assistant's
// truth tables, as vendored data (cluster-network-policy.json; source in README.md), checked
// through the CLI contract: the model and the case's policies as one manifest, every probe as a
// `netpol check --flows` entry with its `expect` — by destination pod, and by its IP when given.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { netpol } from "../cli/netpol.ts";

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
interface Probe {
  from: string;
  to: string;
  to_ip?: string;
  port: number;
  protocol: "TCP" | "UDP" | "SCTP";
  expect: "allow" | "deny";
}
interface Case {
  name: string;
  policies: unknown[];
  model?: Model;
  model_overrides?: { namespaceLabels?: Record<string, Record<string, string>> };
  probes: Probe[];
  uses_removed_fields?: boolean;
}
interface Section {
  id: string;
  model?: Model;
  cases: Case[];
  counts: { probes: number };
}

const data = JSON.parse(readFileSync(join(import.meta.dirname, "cluster-network-policy.json"), "utf8")) as {
  sections: Section[];
};
const tmp = mkdtempSync(join(tmpdir(), "netpol-npapi-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The model and the policies as `kubectl get -o json` would print them: one List. */
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
    ...model.pods.map((p) => {
      const hostIP = p.node === undefined ? undefined : nodeIP.get(p.node);
      return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
        spec: {
          ...(p.node === undefined ? {} : { nodeName: p.node }),
          ...(p.hostNetwork ? { hostNetwork: true } : {}),
          containers: [
            {
              name: "c",
              image: "agnhost",
              ports: (p.containerPorts ?? []).map((cp) => ({
                ...(cp.name === undefined ? {} : { name: cp.name }),
                containerPort: cp.containerPort,
                protocol: cp.protocol,
              })),
            },
          ],
        },
        status: { podIP: p.ip, podIPs: [{ ip: p.ip }], ...(hostIP === undefined ? {} : { hostIP }) },
      };
    }),
    ...c.policies,
  ];
  return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}

function check(model: Model, c: Case, flows: unknown[]): { code: number; stdout: string; stderr: string } {
  const slug = c.name.replace(/[^a-zA-Z0-9]+/g, "-").slice(0, 80);
  const input = join(tmp, `${slug}.json`);
  const flowFile = join(tmp, `${slug}.flows.json`);
  writeFileSync(input, manifest(model, c));
  writeFileSync(flowFile, JSON.stringify(flows));
  return netpol(["check", input, "--flows", flowFile, "--format", "json"]);
}

const SECTIONS = [
  "cnp_v1alpha2",
  "anp_banp_v1alpha1",
  "policy_assistant_walkthrough",
  "policy_assistant_v0.1.1",
];

describe("network-policy-api conformance, through netpol check --flows", () => {
  for (const id of SECTIONS) {
    const section = data.sections.find((s) => s.id === id)!;
    const skipped = section.cases.filter((c) => c.uses_removed_fields);
    if (skipped.length > 0)
      console.log(
        `${id}: ${skipped.length} case(s) skipped: they use fields removed from the API (sameLabels/notSameLabels), whose meaning no current CRD defines`,
      );
    const cases = section.cases.filter((c) => !c.uses_removed_fields);
    describe(id, () => {
      it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const model = c.model ?? section.model!;
        const flows: unknown[] = [];
        for (const p of c.probes) {
          flows.push({ from: p.from, to: p.to, port: p.port, protocol: p.protocol, expect: p.expect });
          if (p.to_ip !== undefined)
            flows.push({ from: p.from, to: p.to_ip, port: p.port, protocol: p.protocol, expect: p.expect });
        }
        const r = check(model, c, flows);
        expect(
          r.stderr.split("\n").filter((l) => l.includes("expected")),
          r.stderr,
        ).toEqual([]);
        expect(r.code).toBe(0);
      });
      it("covers the section's probes", () => {
        const n = cases.reduce((k, c) => k + c.probes.length, 0);
        if (skipped.length === 0) expect(n).toBe(section.counts.probes);
        else expect(n).toBeLessThan(section.counts.probes);
      });
    });
  }
});
