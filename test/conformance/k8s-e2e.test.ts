// The Kubernetes e2e network-policy suite (test/e2e/network/netpol), as vendored data: 58 cases,
// 65 probes over the 9-pod model; every ordered pair of distinct pods is checked (self pairs are
// ignored upstream). See README.md in this folder for the source.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, evaluate, InputError, parseCluster } from "../../src/index.ts";

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
  probes: { port: number; protocol: "TCP" | "UDP" | "SCTP"; allowed: [string, string][] }[];
}
interface E2EData {
  model: { namespaces: { name: string; labels: Record<string, string> }[]; pods: E2EPod[] };
  cases: E2ECase[];
  apiValidation: { cases: { egressPort: Record<string, unknown>; valid: boolean; why: string }[] };
}

const data = JSON.parse(readFileSync(join(import.meta.dirname, "k8s-e2e-netpol.json"), "utf8")) as E2EData;

/** The manifests of one case, as `kubectl get -o json` would print them: one List. */
function manifest(c: E2ECase): string {
  const over = c.labelOverrides ?? {};
  const items: unknown[] = data.model.namespaces.map((ns) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: ns.name, labels: over.namespaces?.[ns.name] ?? ns.labels },
  }));
  for (const p of data.model.pods) {
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
  }
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: [...items, ...c.policies] });
}

const pods = data.model.pods.map((p) => `${p.namespace}/${p.name}`);

describe("kubernetes e2e network-policy suite", () => {
  it("has the 58 cases and 65 probes the README promises", () => {
    expect(data.cases).toHaveLength(58);
    expect(data.cases.reduce((n, c) => n + c.probes.length, 0)).toBe(65);
  });

  for (const c of data.cases) {
    it(`${c.id}: ${c.name}`, () => {
      const { cluster } = parseCluster([{ name: `${c.id}.json`, text: manifest(c) }]);
      const table = compile(cluster);
      const misses: string[] = [];
      for (const probe of c.probes) {
        const allowed = new Set(probe.allowed.map(([a, b]) => `${a}>${b}`));
        for (const from of pods)
          for (const to of pods) {
            if (from === to) continue;
            const flow = { from, to, port: probe.port, protocol: probe.protocol };
            const want = allowed.has(`${from}>${to}`) ? "allow" : "deny";
            const got = table.decide(flow).verdict;
            const ref = evaluate(cluster, flow).verdict;
            if (got !== want || ref !== want)
              misses.push(
                `${from} -> ${to} ${probe.protocol}/${probe.port}: want ${want}, table ${got}, reference ${ref}`,
              );
          }
      }
      expect(misses).toEqual([]);
    });
  }
});

describe("kubernetes e2e API validation (endPort)", () => {
  for (const v of data.apiValidation.cases) {
    it(`${v.valid ? "accepts" : "rejects"} ${JSON.stringify(v.egressPort)} (${v.why})`, () => {
      const policy = {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "endport", namespace: "x" },
        spec: {
          podSelector: { matchLabels: { "pod-name": "test-pod" } },
          policyTypes: ["Egress"],
          egress: [{ ports: [v.egressPort] }],
        },
      };
      const parse = () => parseCluster([{ name: "endport.json", text: JSON.stringify(policy) }]);
      if (v.valid) expect(parse().cluster.networkPolicies).toHaveLength(1);
      else {
        expect(parse).toThrow(InputError);
        try {
          parse();
        } catch (e) {
          const issue = (e as InputError).issues[0]!;
          expect(issue.file).toBe("endport.json");
          expect(issue.object).toBe("NetworkPolicy x/endport");
          expect(issue.path).toMatch(/^spec\.egress\[0\]\.ports\[0\]/);
        }
      }
    });
  }
});
