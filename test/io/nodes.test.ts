// Node objects and pod status.hostIPs (decisions #23): labels and IP addresses, both families.
import { describe, expect, it } from "vitest";
import { issues, jsonList, ok, pod } from "./helpers.ts";

const node = (name: string, addresses: unknown, labels: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels },
  status: { addresses },
});

describe("Node objects", () => {
  it("keeps InternalIP and ExternalIP addresses, normalised, in order, without repeats; skips names", () => {
    const { cluster, diagnostics } = ok(
      jsonList([
        node(
          "kind-worker",
          [
            { type: "Hostname", address: "kind-worker" },
            { type: "InternalIP", address: "172.18.0.3" },
            { type: "InternalIP", address: "FD00:0::3" },
            { type: "ExternalIP", address: "203.0.113.9" },
            { type: "InternalDNS", address: "kind-worker.local" },
            { type: "ExternalIP", address: "172.18.0.3" },
          ],
          { zone: "a" },
        ),
      ]),
    );
    expect(cluster.nodes).toEqual([
      { name: "kind-worker", labels: { zone: "a" }, addresses: ["172.18.0.3", "fd00::3", "203.0.113.9"] },
    ]);
    expect(diagnostics.filter((d) => d.code === "ignored-kind")).toEqual([]);
  });

  it("a node without status has no addresses; nodes come out sorted by name", () => {
    const { cluster } = ok(
      jsonList([node("b", []), { apiVersion: "v1", kind: "Node", metadata: { name: "a" } }]),
    );
    expect(cluster.nodes.map((n) => [n.name, n.addresses])).toEqual([
      ["a", []],
      ["b", []],
    ]);
  });

  it("a bad address names the file, `Node name` (no namespace) and the field path", () => {
    const found = issues(
      jsonList([node("n1", [{ type: "InternalIP", address: "300.1.1.1" }])], "nodes.json"),
    );
    expect(found).toEqual([
      expect.objectContaining({
        code: "invalid-ip",
        file: "nodes.json",
        object: "Node n1",
        path: "status.addresses[0].address",
      }),
    ]);
  });

  it("a NodeList's items inherit the kind; two different copies of one node are an error naming it", () => {
    const list = {
      name: "l.json",
      text: JSON.stringify({ apiVersion: "v1", kind: "NodeList", items: [{ metadata: { name: "n" } }] }),
    };
    expect(ok(list).cluster.nodes.map((n) => n.name)).toEqual(["n"]);
    const found = issues(jsonList([node("n", []), node("n", [{ type: "InternalIP", address: "10.0.0.1" }])]));
    expect(found[0]).toMatchObject({ code: "duplicate-object", object: "Node n" });
  });
});

describe("pod status.hostIPs", () => {
  it("are read with hostIP first, normalised and deduplicated", () => {
    const { cluster } = ok(
      jsonList([
        pod({
          status: {
            hostIP: "172.18.0.3",
            hostIPs: [{ ip: "172.18.0.3" }, { ip: "fd00:0:0::3" }],
            podIP: "10.244.1.5",
          },
        }),
      ]),
    );
    expect(cluster.pods[0]).toMatchObject({ hostIP: "172.18.0.3", hostIPs: ["172.18.0.3", "fd00::3"] });
  });

  it("a pod with only hostIP carries no hostIPs field; a bad entry names its path", () => {
    expect(
      ok(jsonList([pod({ status: { hostIP: "172.18.0.3" } })])).cluster.pods[0]?.hostIPs,
    ).toBeUndefined();
    const found = issues(jsonList([pod({ status: { hostIPs: [{ ip: "nope" }] } })]));
    expect(found[0]).toMatchObject({ code: "invalid-ip", object: "Pod ns/a", path: "status.hostIPs[0].ip" });
  });
});
