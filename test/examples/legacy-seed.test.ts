// The seed's own examples (test/fixtures/legacy/, each naming its source) evaluated as their
// documents say: the 1.2 alpha API of the SIG-Networking blog and the 1.3 extensions/v1beta1 API
// of the NetworkPolicy proposal and the 1.4 user guide (docs/legacy-api.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile, evaluate, parseCluster } from "../../src/index.ts";
import type { Diagnostic, Protocol } from "../../src/model/types.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/legacy/${name}`, import.meta.url), "utf8");

let ip = 0;
/** A pod manifest (the tests' own, not the documents'). */
const pod = (ns: string, name: string, labels: Record<string, string>): string =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, labels },
    status: { podIP: `10.0.0.${++ip}` },
  });
const namespace = (name: string, labels: Record<string, string> = {}, annotations = {}): string =>
  JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels, annotations } });
const ISOLATED = { "net.beta.kubernetes.io/network-policy": '{"ingress": {"isolation": "DefaultDeny"}}' };

function load(...texts: string[]): {
  verdict: (f: string, t: string, port: number, p?: Protocol) => string;
  diagnostics: readonly Diagnostic[];
} {
  const { cluster, diagnostics } = parseCluster(texts.map((text, i) => ({ name: `${i}.yaml`, text })));
  const table = compile(cluster);
  return {
    diagnostics,
    verdict: (from, to, port, protocol = "TCP") => {
      const v = table.decide({ from, to, port, protocol }).verdict;
      expect(evaluate(cluster, { from, to, port, protocol }).verdict, `reference ${from} → ${to}`).toBe(v);
      return v;
    },
  };
}

describe("alpha (SIG-Networking blog, 2016-04): pol1 in tenant-a", () => {
  const pods = [
    pod("tenant-a", "frontend", { segment: "frontend" }),
    pod("tenant-a", "backend", { segment: "backend" }),
    pod("tenant-a", "other", { segment: "other" }),
    pod("tenant-b", "frontend", { segment: "frontend" }),
  ];
  const { verdict, diagnostics } = load(fixture("alpha-blog-2016-04.yaml"), ...pods);

  it('"pods with the segment label backend would allow TCP traffic on port 80 from pods with the segment label frontend"', () => {
    expect(verdict("tenant-a/frontend", "tenant-a/backend", 80)).toBe("allow");
    expect(verdict("tenant-a/frontend", "tenant-a/backend", 81)).toBe("deny");
    expect(verdict("tenant-a/frontend", "tenant-a/backend", 80, "UDP")).toBe("deny");
    expect(verdict("tenant-a/other", "tenant-a/backend", 80)).toBe("deny");
  });

  it("`pods` is a label map over the policy's namespace: a frontend of another namespace is denied", () => {
    expect(verdict("tenant-b/frontend", "tenant-a/backend", 80)).toBe("deny");
  });

  it('"once network isolation is enabled, explicit network policies must be applied to enable pod communication"', () => {
    expect(verdict("tenant-a/backend", "tenant-a/frontend", 80)).toBe("deny");
    expect(verdict("tenant-a/frontend", "tenant-a/other", 80)).toBe("deny");
  });

  it("egress is never isolated; a namespace without the annotation is open", () => {
    expect(verdict("tenant-a/backend", "tenant-b/frontend", 80)).toBe("allow");
  });

  it("reads the ThirdPartyResource as an ignored kind and the isolation as a default deny", () => {
    expect(diagnostics.map((d) => d.code).sort()).toEqual([
      "ignored-kind",
      "implicit-namespace",
      "legacy-isolation",
    ]);
  });

  it('with the annotation "off", the policy has no effect (a warning)', () => {
    const off = fixture("alpha-blog-2016-04.yaml").replace(
      'network-isolation: "on"',
      'network-isolation: "off"',
    );
    const r = load(off, ...pods);
    expect(r.verdict("tenant-a/other", "tenant-a/backend", 80)).toBe("allow");
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "legacy-no-effect",
        severity: "warning",
        object: "NetworkPolicy tenant-a/pol1",
      }),
    );
  });
});

describe("beta (NetworkPolicy proposal, example 1): allow-frontend in myns", () => {
  const { verdict } = load(
    fixture("beta-proposal-1-allow-frontend.yaml"),
    pod("myns", "frontend", { role: "frontend" }),
    pod("myns", "backend", { role: "backend" }),
    pod("myns", "other", {}),
  );
  it('"only allow traffic from frontend pods on TCP port 6379 to backend pods in the same namespace"', () => {
    expect(verdict("myns/frontend", "myns/backend", 6379)).toBe("allow");
    expect(verdict("myns/frontend", "myns/backend", 6380)).toBe("deny");
    expect(verdict("myns/frontend", "myns/backend", 6379, "UDP")).toBe("deny");
    expect(verdict("myns/other", "myns/backend", 6379)).toBe("deny");
    expect(verdict("myns/backend", "myns/frontend", 6379)).toBe("deny");
  });
});

describe("explain names the policies the legacy objects are evaluated as", () => {
  it("myns/legacy-default-deny isolates; myns/allow-frontend allows", () => {
    const { cluster } = parseCluster([
      { name: "1.yaml", text: fixture("beta-proposal-1-allow-frontend.yaml") },
      { name: "2.json", text: pod("myns", "frontend", { role: "frontend" }) },
      { name: "3.json", text: pod("myns", "backend", { role: "backend" }) },
    ]);
    const table = compile(cluster);
    expect(table.explain({ from: "myns/frontend", to: "myns/backend", port: 6379 }).ingress).toMatchObject({
      verdict: "allow",
      isolated: true,
      policies: ["myns/allow-frontend", "myns/legacy-default-deny"],
    });
    expect(table.explain({ from: "myns/backend", to: "myns/frontend", port: 6379 }).ingress).toMatchObject({
      verdict: "deny",
      policies: ["myns/legacy-default-deny"],
    });
  });
});

describe("beta (NetworkPolicy proposal, example 2): allow-tcp-443 in default", () => {
  const pods = [
    namespace("bob-1", { user: "bob" }),
    namespace("alice", { user: "alice" }),
    pod("default", "fe", { role: "frontend" }),
    pod("default", "be", { role: "backend" }),
    pod("bob-1", "x", {}),
    pod("alice", "y", {}),
  ];
  it('"allow TCP 443 from any source in Bob\'s namespaces" (default isolated)', () => {
    const { verdict } = load(
      fixture("beta-proposal-2-allow-tcp-443.yaml"),
      namespace("default", {}, ISOLATED),
      ...pods,
    );
    expect(verdict("bob-1/x", "default/fe", 443)).toBe("allow");
    expect(verdict("bob-1/x", "default/fe", 80)).toBe("deny");
    expect(verdict("alice/y", "default/fe", 443)).toBe("deny");
    expect(verdict("default/be", "default/fe", 443)).toBe("deny");
    expect(verdict("bob-1/x", "default/be", 443)).toBe("deny");
  });
  it("in a namespace that is not isolated it has no effect", () => {
    const { verdict, diagnostics } = load(
      fixture("beta-proposal-2-allow-tcp-443.yaml"),
      namespace("default"),
      ...pods,
    );
    expect(verdict("alice/y", "default/fe", 443)).toBe("allow");
    expect(diagnostics.filter((d) => d.code === "legacy-no-effect")).toHaveLength(1);
  });
});

describe("beta (NetworkPolicy proposal, example 3): allow-all", () => {
  it('"allow all traffic to all pods in this namespace" (podSelector null: every pod)', () => {
    const { verdict } = load(
      fixture("beta-proposal-3-allow-all.yaml"),
      namespace("default", {}, ISOLATED),
      pod("default", "a", { app: "a" }),
      pod("other", "b", {}),
    );
    expect(verdict("other/b", "default/a", 1)).toBe("allow");
    expect(verdict("other/b", "default/a", 53, "UDP")).toBe("allow");
  });
});

describe("beta (1.4 user guide): test-network-policy in default", () => {
  const { verdict, diagnostics } = load(
    fixture("beta-user-guide-1.4.yaml"),
    namespace("myproject", { project: "myproject" }),
    namespace("elsewhere"),
    pod("default", "db", { role: "db" }),
    pod("default", "frontend", { role: "frontend" }),
    pod("myproject", "p", {}),
    pod("elsewhere", "q", { role: "frontend" }),
  );
  it("role: frontend pods of default and every pod of namespaces labelled project: myproject reach role: db on TCP 6379", () => {
    expect(verdict("default/frontend", "default/db", 6379)).toBe("allow");
    expect(verdict("myproject/p", "default/db", 6379)).toBe("allow");
    expect(verdict("elsewhere/q", "default/db", 6379)).toBe("deny");
    expect(verdict("default/frontend", "default/db", 80)).toBe("deny");
    expect(verdict("default/db", "default/frontend", 6379)).toBe("deny");
  });
  it("reads `protocol: tcp` as TCP, with a note", () => {
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: "legacy-protocol-case", path: "spec.ingress[0].ports[0].protocol" }),
    );
  });
});
