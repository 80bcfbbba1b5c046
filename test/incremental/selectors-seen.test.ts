// The label index of incremental updates: two label maps are alike when every selector naming a key
// where they differ answers them alike; pod events keep the index, policy events rebuild it.
import { describe, expect, it } from "vitest";
import { applyChange, compileState } from "../../src/incremental/compile-state.ts";
import { alike, selectorIndex } from "../../src/incremental/selectors-seen.ts";
import { makeCluster, withPod, withPolicy } from "../../src/model/cluster.ts";
import type { NetworkPolicy } from "../../src/model/types.ts";

const policy = (name: string, spec: Partial<NetworkPolicy["spec"]>): NetworkPolicy => ({
  namespace: "shop",
  name,
  spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [], egress: [], ...spec },
});

const cluster = makeCluster({
  namespaces: [{ name: "shop", labels: { team: "a" } }],
  pods: [
    {
      namespace: "shop",
      name: "web",
      labels: { app: "web" },
      ports: [],
      hostNetwork: false,
      podIPs: ["10.0.0.1"],
    },
  ],
  networkPolicies: [
    policy("p1", {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [
        {
          from: [{ podSelector: { matchExpressions: [{ key: "role", operator: "Exists" }] } }],
          ports: [{ protocol: "TCP", port: "http" }],
        },
      ],
    }),
    policy("p2", {
      podSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "a" } } }] }],
    }),
  ],
});

describe("selector index", () => {
  const index = selectorIndex(cluster);
  it("finds labels alike where only keys no selector names differ", () => {
    expect(alike(index.pods, { app: "web" }, { app: "web", "pod-template-hash": "x" })).toBe(true);
    expect(alike(index.pods, { app: "web", hash: "1" }, { app: "web", hash: "2" })).toBe(true);
    expect(alike(index.namespaces, { team: "a", env: "x" }, { team: "a" })).toBe(true);
  });
  it("finds labels apart where a selector answers differently", () => {
    expect(alike(index.pods, { app: "web" }, { app: "api" })).toBe(false); // matchLabels
    expect(alike(index.pods, { app: "web" }, { app: "web", role: "" })).toBe(false); // Exists
    expect(alike(index.pods, { tier: "web" }, { tier: "db" })).toBe(false); // NotIn
    expect(alike(index.namespaces, { team: "a" }, { team: "b" })).toBe(false);
  });
  it("finds labels alike where a named key changes but every selector naming it answers the same", () => {
    expect(alike(index.pods, { tier: "web" }, { tier: "cache" })).toBe(true); // NotIn db: both in
    expect(alike(index.pods, { app: "api" }, { app: "db" })).toBe(true); // app=web: both out
  });
  it("collects the named ports rules use", () => {
    expect([...index.portNames]).toEqual(["http"]);
  });
  it("is kept by pod events and rebuilt by policy events", () => {
    const pod = { ...cluster.pods[0]!, name: "web-2", podIPs: ["10.0.0.2"] };
    expect(selectorIndex(withPod(cluster, pod), index)).toBe(index);
    const changed = withPolicy(cluster, policy("p3", { podSelector: { matchLabels: { zone: "z" } } }));
    const rebuilt = selectorIndex(changed, index);
    expect(rebuilt).not.toBe(index);
    expect(alike(rebuilt.pods, {}, { zone: "z" })).toBe(false);
  });
  it("is held by the compile state across pod events, and dropped by a policy event", () => {
    const pod = (n: number) => ({
      ...cluster.pods[0]!,
      name: `web-${n}`,
      podIPs: [`10.0.0.${n}`],
      labels: { app: "web", h: `${n}` },
    });
    const one = applyChange(compileState(cluster), { type: "pod-put", pod: pod(2) });
    expect(one.applied).toBe("splice"); // labels no pod has, alike to web's
    expect(one.selectors).toBeDefined();
    const two = applyChange(one, { type: "pod-put", pod: pod(3) });
    expect(two.selectors).toBe(one.selectors);
    const three = applyChange(two, { type: "policy-remove", namespace: "shop", name: "p2" });
    expect(three.selectors).toBeUndefined();
  });
});
