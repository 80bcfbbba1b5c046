// Workloads as endpoints, pods' owners and phases (docs/decisions.md #53–#55).
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { parseCluster } from "../../src/io/parse-cluster.ts";
import { evaluate } from "../../src/reference/evaluate.ts";
import { issues, jsonList, ok, pod, policy } from "./helpers.ts";

const template = (labels: Record<string, string>, ports: unknown[] = []) => ({
  metadata: { labels },
  spec: { containers: [{ name: "c", ports }] },
});
const workload = (kind: string, name: string, spec: unknown, extra: Record<string, unknown> = {}) => ({
  apiVersion:
    kind === "ReplicationController" ? "v1" : kind === "Job" || kind === "CronJob" ? "batch/v1" : "apps/v1",
  kind,
  metadata: { name, namespace: "ns", ...extra },
  spec,
});
const controlledBy = (kind: string, name: string) => ({
  ownerReferences: [
    { apiVersion: "apps/v1", kind: "Other", name: "not-the-controller" },
    { apiVersion: "apps/v1", kind, name, controller: true },
  ],
});
const running = (name: string, labels: Record<string, string>, owner?: [string, string], ip?: string) =>
  pod(
    {
      metadata: { name, namespace: "ns", labels, ...(owner ? controlledBy(...owner) : {}) },
      status: { phase: "Running", ...(ip ? { podIP: ip } : {}) },
    },
    name,
  );

describe("workloads as endpoints", () => {
  it.each([
    ["Deployment", { template: template({ app: "w" }) }],
    ["StatefulSet", { template: template({ app: "w" }) }],
    ["DaemonSet", { template: template({ app: "w" }) }],
    ["ReplicaSet", { template: template({ app: "w" }) }],
    ["ReplicationController", { template: template({ app: "w" }) }],
    ["Job", { template: template({ app: "w" }) }],
    ["CronJob", { schedule: "* * * * *", jobTemplate: { spec: { template: template({ app: "w" }) } } }],
  ])(
    "a %s without pods in the input is an address-less endpoint with its template's labels and ports",
    (kind, spec) => {
      const withPorts = JSON.parse(
        JSON.stringify(spec).replace('"ports":[]', '"ports":[{"name":"http","containerPort":8080}]'),
      );
      const { cluster } = ok(jsonList([workload(kind, "w", withPorts)]));
      expect(cluster.pods).toEqual([
        expect.objectContaining({
          namespace: "ns",
          name: "w",
          workload: kind,
          labels:
            kind === "Job"
              ? { app: "w", "job-name": "w", "batch.kubernetes.io/job-name": "w" }
              : { app: "w" },
          podIPs: [],
          ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
        }),
      ]);
      expect(compile(cluster).ir.pods).toEqual(["ns/w"]);
    },
  );

  it("a pod belongs to the top of its controller chain; the owners with pods are not endpoints", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        workload("Deployment", "web", { template: template({ app: "web" }) }),
        workload(
          "ReplicaSet",
          "web-7d9f8c6b5",
          { template: template({ app: "web" }) },
          controlledBy("Deployment", "web"),
        ),
        running("web-7d9f8c6b5-abcde", { app: "web", "pod-template-hash": "7d9f8c6b5" }, [
          "ReplicaSet",
          "web-7d9f8c6b5",
        ]),
        running("web-7d9f8c6b5-fghij", { app: "web", "pod-template-hash": "7d9f8c6b5" }, [
          "ReplicaSet",
          "web-7d9f8c6b5",
        ]),
        // Its ReplicaSet is not in the input: the chain stops at the ReplicaSet.
        running("api-5c6d-xyz", { app: "api" }, ["ReplicaSet", "api-5c6d"]),
      ]),
    );
    expect(cluster.pods.map((p) => [p.name, p.workload, p.owner])).toEqual([
      ["api-5c6d-xyz", undefined, { kind: "ReplicaSet", name: "api-5c6d" }],
      ["web-7d9f8c6b5-abcde", undefined, { kind: "Deployment", name: "web" }],
      ["web-7d9f8c6b5-fghij", undefined, { kind: "Deployment", name: "web" }],
    ]);
    // Labels that differ per revision (pod-template-hash) are not a difference.
    expect(diagnostics.filter((d) => d.code === "workload-labels-differ")).toEqual([]);
    const t = compile(cluster);
    expect(t.ir.podOwners).toEqual(["ReplicaSet/api-5c6d", "Deployment/web", "Deployment/web"]);
    // The owner's name stands for its first pod, bare or with its kind (any case).
    for (const ref of ["ns/web", "ns/web[Deployment]", "ns/web[deployment]"])
      expect(t.decide({ from: ref, to: "ns/api-5c6d", port: 80 }).verdict).toBe("allow");
    expect(t.explain({ from: "ns/web", to: "ns/api-5c6d-xyz", port: 80 }).from).toBe(
      "ns/web-7d9f8c6b5-abcde",
    );
  });

  it("a Job's template carries the job-name labels the API server adds to its pods", () => {
    const { cluster } = ok(jsonList([workload("Job", "migrate", { template: template({ app: "m" }) })]));
    expect(cluster.pods[0]!.labels).toEqual({
      app: "m",
      "job-name": "migrate",
      "batch.kubernetes.io/job-name": "migrate",
    });
  });

  it("a missing ReplicaSet (Job) between a pod and its Deployment (CronJob) is inferred from the names", () => {
    const { cluster } = ok(
      jsonList([
        workload("Deployment", "web", { template: template({ app: "web" }) }),
        running("web-5d9c7b-x1", { app: "web", "pod-template-hash": "5d9c7b" }, ["ReplicaSet", "web-5d9c7b"]),
        workload("CronJob", "report", { jobTemplate: { spec: { template: template({ app: "r" }) } } }),
        running("report-29012345-abcde", { app: "r" }, ["Job", "report-29012345"]),
        // The hash does not match the pod's: not inferred, the ReplicaSet stays its owner.
        running("api-77-x", { app: "api", "pod-template-hash": "66" }, ["ReplicaSet", "api-77"]),
        workload("Deployment", "api", { template: template({ app: "api" }) }),
      ]),
    );
    expect(cluster.pods.map((p) => [p.name, p.workload, p.owner])).toEqual([
      ["api", "Deployment", undefined],
      ["api-77-x", undefined, { kind: "ReplicaSet", name: "api-77" }],
      ["report-29012345-abcde", undefined, { kind: "CronJob", name: "report" }],
      ["web-5d9c7b-x1", undefined, { kind: "Deployment", name: "web" }],
    ]);
  });

  it("a static pod's Node owner is no workload: the pod stands alone", () => {
    const mirror = pod(
      {
        metadata: {
          name: "etcd-cp1",
          namespace: "kube-system",
          labels: { component: "etcd" },
          ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "cp1", controller: true }],
        },
        spec: { hostNetwork: true, nodeName: "cp1" },
        status: { phase: "Running", podIP: "172.18.0.2" },
      },
      "etcd-cp1",
    );
    const { cluster, diagnostics } = ok(jsonList([mirror]));
    expect(cluster.pods[0]!.owner).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).not.toContain("workload-labels-differ");
    expect(compile(cluster).matrixRowsByOwner({ port: 80 }).pods).toEqual(["kube-system/etcd-cp1"]);
  });

  it("a workload's pair with itself is replica to replica (policy decides), a Pod's is self (allowed)", () => {
    const denyAll = policy({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const { cluster } = ok(
      jsonList([
        workload("Deployment", "web", { replicas: 3, template: template({ app: "web" }) }),
        pod({ metadata: { name: "solo", namespace: "ns" } }, "solo"),
        denyAll,
      ]),
    );
    const t = compile(cluster);
    for (const [ref, verdict] of [
      ["ns/web", "deny"],
      ["ns/solo", "allow"],
    ] as const) {
      const flow = { from: ref, to: ref, port: 80 };
      expect(t.decide(flow).verdict).toBe(verdict);
      expect(evaluate(cluster, flow).verdict).toBe(verdict);
      const i = t.ir.pods.indexOf(ref);
      expect(t.allowsIndex(i, i, t.portIndex("TCP", 80))).toBe(verdict === "allow");
    }
    expect(t.explain({ from: "ns/solo", to: "ns/solo", port: 80 }).egress.decidedBy).toBe("self");
  });

  it("an owner cycle is cut with a warning, not followed forever", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        workload("ReplicaSet", "a", { template: template({ app: "x" }) }, controlledBy("ReplicaSet", "b")),
        workload("ReplicaSet", "b", { template: template({ app: "x" }) }, controlledBy("ReplicaSet", "a")),
        running("p", { app: "x" }, ["ReplicaSet", "a"]),
      ]),
    );
    expect(cluster.pods.map((p) => p.name)).toEqual(["p"]);
    expect(diagnostics.filter((d) => d.code === "owner-chain-cut")).toEqual([
      expect.objectContaining({ severity: "warning", object: "ReplicaSet ns/b" }),
    ]);
  });

  it("a workload's pods that differ in labels get a warning", () => {
    const { diagnostics } = ok(
      jsonList([
        running("db-0", { app: "db", role: "primary" }, ["StatefulSet", "db"]),
        running("db-1", { app: "db", role: "replica" }, ["StatefulSet", "db"]),
      ]),
    );
    expect(diagnostics.filter((d) => d.code === "workload-labels-differ")).toEqual([
      expect.objectContaining({
        severity: "warning",
        object: "StatefulSet ns/db",
        message: expect.stringMatching(
          /2 pods carry 2 different label sets .*ns\/db\[StatefulSet\] names the first/,
        ),
      }),
    ]);
  });

  it("a name shared by a pod and a workload is ns/name[Kind] for both; the bare name is ambiguous", () => {
    const np = policy({
      podSelector: { matchLabels: { app: "web" } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: "job" } } }] }],
    });
    const { cluster } = ok(
      jsonList([
        workload("Deployment", "web", { template: template({ app: "web" }) }),
        pod({ metadata: { name: "web", namespace: "ns", labels: { app: "debug" } } }, "web"),
        workload("Job", "load", { template: template({ app: "job" }) }),
        np,
      ]),
    );
    const t = compile(cluster);
    expect(t.ir.pods).toEqual(["ns/load", "ns/web[Pod]", "ns/web[Deployment]"]);
    const flow = { from: "ns/load", to: "ns/web[Deployment]", port: 80 };
    expect(t.decide(flow).verdict).toBe("allow");
    expect(evaluate(cluster, flow).verdict).toBe("allow");
    expect(t.decide({ ...flow, to: "ns/web[Pod]" }).verdict).toBe("allow"); // not selected: not isolated
    expect(t.decide({ from: "ns/web[pod]", to: "ns/web[Deployment]", port: 80 }).verdict).toBe("deny");
    expect(() => t.decide({ ...flow, to: "ns/web" })).toThrow(
      /"ns\/web" names more than one endpoint \(ns\/web\[Pod\], ns\/web\[Deployment\]\)/,
    );
    expect(() => evaluate(cluster, { ...flow, to: "ns/web" })).toThrow(/more than one endpoint/);
    expect(() => t.decide({ ...flow, to: "ns/nope" })).toThrow(/no pod or workload "ns\/nope"/);
  });

  it("a workload without a pod template is an input error naming the field", () => {
    expect(issues(jsonList([workload("Deployment", "w", { replicas: 1 })]))).toEqual([
      expect.objectContaining({ object: "Deployment ns/w", path: "spec.template" }),
    ]);
    expect(issues(jsonList([workload("CronJob", "c", { jobTemplate: { spec: {} } })]))).toEqual([
      expect.objectContaining({ object: "CronJob ns/c", path: "spec.jobTemplate.spec.template" }),
    ]);
  });

  it("a workload at an apiVersion we do not read (extensions/v1beta1 Deployment) is ignored with an info", () => {
    const old = {
      ...workload("Deployment", "w", { template: template({}) }),
      apiVersion: "extensions/v1beta1",
    };
    const { cluster, diagnostics } = ok(jsonList([old]));
    expect(cluster.pods).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: "ignored-kind", severity: "info" })]);
  });
});

describe("pod phases", () => {
  it("pods in phase Succeeded or Failed are not endpoints (their IPs are reused): one info line counts them", () => {
    const done = (name: string, phase: string) =>
      pod({ metadata: { name, namespace: "ns" }, status: { phase, podIP: "10.0.0.5" } }, name);
    const { cluster, diagnostics } = ok(
      jsonList([
        done("job-a", "Succeeded"),
        done("job-b", "Failed"),
        done("job-c", "Succeeded"),
        running("web", {}, undefined, "10.0.0.5"),
      ]),
    );
    expect(cluster.pods.map((p) => p.name)).toEqual(["web"]);
    expect(diagnostics.filter((d) => d.code === "finished-pods-skipped")).toEqual([
      expect.objectContaining({
        severity: "info",
        message: expect.stringMatching(
          /^3 pods in phase Succeeded or Failed left out .*: ns\/job-a, ns\/job-b, ns\/job-c$/,
        ),
      }),
    ]);
    // The reused address is the running pod's alone, not a shared one.
    expect(compile(cluster).explain({ from: "10.0.0.5", to: "ns/web", port: 80 }).from).toBe("ns/web");
  });

  it("Pending pods without an address stay, unless runningOnly leaves them out", () => {
    const pending = pod({ metadata: { name: "p", namespace: "ns" }, status: { phase: "Pending" } }, "p");
    const scheduled = pod(
      { metadata: { name: "q", namespace: "ns" }, status: { phase: "Pending", podIP: "10.0.0.9" } },
      "q",
    );
    expect(ok(jsonList([pending, scheduled])).cluster.pods).toHaveLength(2);
    const r = parseCluster([jsonList([pending, scheduled])], { runningOnly: true });
    expect(r.cluster.pods.map((p) => p.name)).toEqual(["q"]);
    expect(r.diagnostics.map((d) => d.code)).toContain("pending-pods-skipped");
  });
});
