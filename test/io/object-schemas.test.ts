import { describe, expect, it } from "vitest";
import { NAMESPACE_NAME_LABEL } from "../../src/model/cluster.ts";
import { ok, oneIssue, pod } from "./helpers.ts";

const src = (o: unknown) => ({ name: "f.json", text: JSON.stringify(o) });
const podOf = (o: unknown) => ok(src(o)).cluster.pods[0]!;

describe("Pod", () => {
  it("reads labels, ports (protocol TCP by default), hostNetwork, nodeName, IPs", () => {
    const p = podOf(
      pod({
        metadata: { name: "a", namespace: "ns", labels: { app: "web" } },
        spec: {
          nodeName: "node-1",
          hostNetwork: true,
          containers: [
            {
              name: "c1",
              ports: [
                { name: "http", containerPort: 8080 },
                { containerPort: 53, protocol: "UDP" },
              ],
            },
            { name: "c2" },
          ],
        },
        status: { podIP: "10.0.0.7", hostIP: "192.168.0.010" },
      }),
    );
    expect(p).toEqual({
      namespace: "ns",
      name: "a",
      labels: { app: "web" },
      ports: [
        { name: "http", containerPort: 8080, protocol: "TCP" },
        { containerPort: 53, protocol: "UDP" },
      ],
      hostNetwork: true,
      nodeName: "node-1",
      podIPs: ["10.0.0.7"],
      hostIP: "192.168.0.10",
    });
  });

  it("podIPs: podIP first, then podIPs deduplicated and normalised", () => {
    const p = podOf(
      pod({
        status: {
          podIP: "fd00::1",
          podIPs: [{ ip: "10.0.0.1" }, { ip: "fd00:0::0001" }, { ip: "10.0.0.1" }],
        },
      }),
    );
    expect(p.podIPs).toEqual(["fd00::1", "10.0.0.1"]);
    expect(podOf(pod({ status: { podIPs: [{ ip: "10.0.0.2" }] } })).podIPs).toEqual(["10.0.0.2"]);
  });

  it("defaults: no spec, no status, no namespace → default, hostNetwork false, no ports, no IPs", () => {
    const p = podOf({ apiVersion: "v1", kind: "Pod", metadata: { name: "bare" } });
    expect(p).toEqual({
      namespace: "default",
      name: "bare",
      labels: {},
      ports: [],
      hostNetwork: false,
      podIPs: [],
    });
    expect(Object.getPrototypeOf(p.labels)).toBeNull();
  });

  it("sidecar init containers (restartPolicy: Always) contribute ports; plain init containers do not", () => {
    const p = podOf(
      pod({
        spec: {
          containers: [{ ports: [{ containerPort: 80 }] }],
          initContainers: [
            { restartPolicy: "Always", ports: [{ name: "metrics", containerPort: 9090 }] },
            { ports: [{ name: "setup", containerPort: 7000 }] },
          ],
        },
      }),
    );
    expect(p.ports.map((x) => x.containerPort)).toEqual([80, 9090]);
  });

  it.each([
    [
      "containerPort 0",
      { spec: { containers: [{ ports: [{ containerPort: 0 }] }] } },
      "invalid-port",
      "spec.containers[0].ports[0].containerPort",
      "0",
    ],
    [
      "containerPort 70000",
      { spec: { containers: [{ ports: [{ containerPort: 70000 }] }] } },
      "invalid-port",
      "spec.containers[0].ports[0].containerPort",
      "70000",
    ],
    [
      "containerPort string",
      { spec: { containers: [{ ports: [{ containerPort: "80" }] }] } },
      "invalid-type",
      "spec.containers[0].ports[0].containerPort",
      '"80"',
    ],
    [
      "containerPort missing",
      { spec: { containers: [{ ports: [{ name: "http" }] }] } },
      "missing-field",
      "spec.containers[0].ports[0].containerPort",
      "containerPort",
    ],
    [
      "port name invalid",
      { spec: { containers: [{ ports: [{ name: "Http", containerPort: 80 }] }] } },
      "invalid-port",
      "spec.containers[0].ports[0].name",
      '"Http"',
    ],
    [
      "port protocol invalid",
      { spec: { containers: [{ ports: [{ containerPort: 80, protocol: "udp" }] }] } },
      "invalid-protocol",
      "spec.containers[0].ports[0].protocol",
      '"udp"',
    ],
    [
      "init port invalid",
      { spec: { initContainers: [{ ports: [{ containerPort: -1 }] }] } },
      "invalid-port",
      "spec.initContainers[0].ports[0].containerPort",
      "-1",
    ],
    ["podIP invalid", { status: { podIP: "10.0.0.256" } }, "invalid-ip", "status.podIP", '"10.0.0.256"'],
    [
      "podIPs invalid",
      { status: { podIPs: [{ ip: "10.0.0.1" }, { ip: "zz::1" }] } },
      "invalid-ip",
      "status.podIPs[1].ip",
      '"zz::1"',
    ],
    ["hostIP invalid", { status: { hostIP: "node" } }, "invalid-ip", "status.hostIP", '"node"'],
    ["hostNetwork string", { spec: { hostNetwork: "true" } }, "invalid-type", "spec.hostNetwork", '"true"'],
    ["containers object", { spec: { containers: {} } }, "invalid-type", "spec.containers", "object"],
    [
      "label value number",
      { metadata: { name: "a", namespace: "ns", labels: { version: 1 } } },
      "invalid-type",
      "metadata.labels.version",
      "1",
    ],
    [
      "label key invalid",
      { metadata: { name: "a", namespace: "ns", labels: { "bad key": "x" } } },
      "invalid-label-key",
      'metadata.labels["bad key"]',
      '"bad key"',
    ],
    [
      "label value too long",
      { metadata: { name: "a", namespace: "ns", labels: { k: "v".repeat(64) } } },
      "invalid-label-value",
      "metadata.labels.k",
      "vvvv",
    ],
    [
      "labels array",
      { metadata: { name: "a", namespace: "ns", labels: ["x"] } },
      "invalid-type",
      "metadata.labels",
      "array",
    ],
  ])("%s", (_, extra, code, path, fragment) => {
    const issue = oneIssue(pod(extra));
    expect(issue).toMatchObject({ code, path, file: "f.json", object: "Pod ns/a" });
    expect(issue.message).toContain(fragment);
  });

  it.each([
    ["uppercase name", { name: "Web", namespace: "ns" }, "metadata.name", '"Web"'],
    ["name with _", { name: "a_b", namespace: "ns" }, "metadata.name", '"a_b"'],
    ["name too long", { name: "a".repeat(254), namespace: "ns" }, "metadata.name", "aaaa"],
    ["namespace with a dot", { name: "a", namespace: "a.b" }, "metadata.namespace", '"a.b"'],
  ])("invalid-name: %s", (_, metadata, path, fragment) => {
    const issue = oneIssue({ apiVersion: "v1", kind: "Pod", metadata });
    expect(issue).toMatchObject({ code: "invalid-name", path });
    expect(issue.message).toContain(fragment);
  });

  it("a DNS subdomain (dots) is a valid pod name", () => {
    expect(podOf(pod({}, "web.v1")).name).toBe("web.v1");
  });

  it("metadata.name missing / null / number", () => {
    expect(oneIssue({ apiVersion: "v1", kind: "Pod", metadata: {} })).toMatchObject({
      code: "missing-field",
      path: "metadata.name",
      object: "Pod in document 1",
    });
    expect(oneIssue({ apiVersion: "v1", kind: "Pod", metadata: { name: null } })).toMatchObject({
      code: "missing-field",
      path: "metadata.name",
    });
    expect(oneIssue({ apiVersion: "v1", kind: "Pod", metadata: { name: 7 } })).toMatchObject({
      code: "invalid-type",
      path: "metadata.name",
    });
    expect(oneIssue({ apiVersion: "v1", kind: "Pod" })).toMatchObject({
      code: "missing-field",
      path: "metadata",
    });
  });
});

describe("Namespace", () => {
  it("carries kubernetes.io/metadata.name and its labels", () => {
    const { cluster } = ok(
      src({ apiVersion: "v1", kind: "Namespace", metadata: { name: "prod", labels: { env: "prod" } } }),
    );
    expect(cluster.namespaces).toEqual([
      { name: "prod", labels: { env: "prod", [NAMESPACE_NAME_LABEL]: "prod" } },
    ]);
  });

  it("name must be a DNS-1123 label (no dots)", () => {
    const issue = oneIssue({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a.b" } });
    expect(issue).toMatchObject({ code: "invalid-name", path: "metadata.name", object: "Namespace a.b" });
    expect(issue.message).toContain('"a.b"');
  });

  it("name longer than 63 is rejected", () => {
    expect(oneIssue({ apiVersion: "v1", kind: "Namespace", metadata: { name: "n".repeat(64) } }).code).toBe(
      "invalid-name",
    );
  });
});
