// The admin and baseline tiers folded into the compiled table: each rule of the walk (DESIGN §1)
// decided by compile() in both the folded and the split same-namespace layout.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { PolicyTable } from "../../src/engine/policy-table.ts";
import { makeCluster } from "../../src/model/cluster.ts";
import type { ClusterPolicyRule, NetworkPolicy } from "../../src/model/types.ts";
import { cnp, ns, pod } from "./builders.ts";

const pods = [
  pod("x/a", "10.0.0.1"),
  pod("x/b", "10.0.0.2"),
  pod("y/c", "10.0.1.1"),
  pod("y/d", "10.0.1.2", { ports: [{ name: "web", containerPort: 8080, protocol: "TCP" }] }),
];
/** NetworkPolicy in x selecting x/b: ingress from x/a (a local podSelector peer) on any port. */
const localAllow: NetworkPolicy = {
  namespace: "x",
  name: "allow-a",
  spec: {
    podSelector: { matchLabels: { app: "b" } },
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: "a" } } }] }],
    egress: [],
  },
};

function both(cluster: ReturnType<typeof makeCluster>) {
  const table = compile(cluster);
  return [
    table,
    new PolicyTable(table.ir, [], { foldBudget: () => 0 }),
    new PolicyTable(table.ir, [], { packLimit: 0 }), // unpacked: answers through the IR reader
  ];
}
function verdicts(cluster: ReturnType<typeof makeCluster>, from: string, to: string, port: number | string) {
  return both(cluster).map((t) => t.decide({ from, to, port }).verdict);
}

describe("admin and baseline tiers in the compiled table", () => {
  it("an admin Deny is final: a same-namespace NetworkPolicy rule cannot undo it", () => {
    const c = makeCluster({
      pods,
      networkPolicies: [localAllow],
      clusterNetworkPolicies: [
        cnp("deny-a-b", "Admin", 10, ns("x"), {
          ingress: [
            {
              action: "Deny",
              peers: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "a" } } } }],
              ports: [{ protocol: "TCP", start: 80, end: 80 }],
            },
          ],
        }),
      ],
    });
    expect(verdicts(c, "x/a", "x/b", 80)).toEqual(["deny", "deny", "deny"]);
    expect(verdicts(c, "x/a", "x/b", 81)).toEqual(["allow", "allow", "allow"]); // the NetworkPolicy allows
    expect(verdicts(c, "y/c", "x/b", 81)).toEqual(["deny", "deny", "deny"]); // isolated, no rule
    const e = compile(c).explain({ from: "x/a", to: "x/b", port: 80 });
    expect(e.ingress.decidedBy).toBe("admin");
    expect(e.ingress.walk).toEqual([
      { tier: "Admin", action: "Deny", policy: "cnp/deny-a-b", priority: 10, rule: "spec.ingress[0]" },
    ]);
  });

  it("Pass skips the rest of the admin tier; NetworkPolicy isolation then decides, baseline is not reached", () => {
    const c = makeCluster({
      pods,
      networkPolicies: [localAllow],
      clusterNetworkPolicies: [
        cnp("pass", "Admin", 1, ns("x"), { ingress: [{ name: "pass-x", action: "Pass", peers: [ns("x")] }] }),
        cnp("deny-later", "Admin", 2, ns("x"), { ingress: [{ action: "Deny", peers: [ns("x")] }] }),
        cnp("base-accept", "Baseline", 1000, ns("x"), { ingress: [{ action: "Accept", peers: [ns("y")] }] }),
      ],
    });
    expect(verdicts(c, "x/a", "x/b", 80)).toEqual(["allow", "allow", "allow"]); // Pass → NetworkPolicy allows a
    expect(verdicts(c, "y/c", "x/b", 80)).toEqual(["deny", "deny", "deny"]); // isolated: baseline Accept not reached
    expect(verdicts(c, "y/c", "x/a", 80)).toEqual(["allow", "allow", "allow"]); // x/a not isolated: baseline Accept
    expect(verdicts(c, "x/b", "x/a", 80)).toEqual(["allow", "allow", "allow"]); // Pass, not isolated, default
    const e = compile(c).explain({ from: "x/a", to: "x/b", port: 80 });
    expect(e.ingress.walk?.map((s) => `${s.tier} ${s.action} ${s.policy}`)).toEqual([
      "Admin Pass cnp/pass",
      "NetworkPolicy Allow x/allow-a",
    ]);
    expect(e.ingress.reason).toContain('[Admin] Pass by cnp/pass priority 1 rule "pass-x"');
  });

  it("a Deny after a Pass of the same policy is skipped; an unmatched admin tier goes on", () => {
    const c = makeCluster({
      pods,
      clusterNetworkPolicies: [
        cnp("p", "Admin", 5, ns("y"), {
          egress: [
            { action: "Pass", peers: [ns("x")], ports: [{ protocol: "TCP", start: 80, end: 90 }] },
            { action: "Deny", peers: [ns("x")] },
          ],
        }),
        cnp("base", "Baseline", 1000, ns("y"), {
          egress: [{ action: "Deny", peers: [ns("x")], ports: [{ protocol: "TCP", start: 85, end: 85 }] }],
        }),
      ],
    });
    expect(verdicts(c, "y/c", "x/a", 80)).toEqual(["allow", "allow", "allow"]); // Pass → default
    expect(verdicts(c, "y/c", "x/a", 85)).toEqual(["deny", "deny", "deny"]); // Pass → baseline Deny
    expect(verdicts(c, "y/c", "x/a", 91)).toEqual(["deny", "deny", "deny"]); // admin Deny
    expect(verdicts(c, "y/c", "y/d", 91)).toEqual(["allow", "allow", "allow"]); // nothing matches
  });

  it("named ports resolve on the destination, on any protocol it declares", () => {
    const c = makeCluster({
      pods,
      clusterNetworkPolicies: [
        cnp("web", "Admin", 1, ns("y"), {
          ingress: [
            { action: "Accept", peers: [ns("x")], ports: [{ name: "web" }] },
            { action: "Deny", peers: [ns("x")] },
          ],
        }),
      ],
    });
    expect(verdicts(c, "x/a", "y/d", 8080)).toEqual(["allow", "allow", "allow"]);
    expect(verdicts(c, "x/a", "y/d", "web")).toEqual(["allow", "allow", "allow"]);
    expect(verdicts(c, "x/a", "y/c", 8080)).toEqual(["deny", "deny", "deny"]); // y/c declares no "web"
  });

  it("fail-closed peers: an empty Accept peer matches nothing, an empty Deny peer everything (addresses too)", () => {
    const accept = makeCluster({
      pods,
      clusterNetworkPolicies: [
        cnp("a", "Admin", 1, ns("x"), { egress: [{ action: "Accept", peers: [{}] }] }),
        cnp("b", "Baseline", 1000, ns("x"), { egress: [{ action: "Deny", peers: [ns("y")] }] }),
      ],
    });
    expect(verdicts(accept, "x/a", "y/c", 80)).toEqual(["deny", "deny", "deny"]);
    const deny = makeCluster({
      pods,
      clusterNetworkPolicies: [cnp("d", "Admin", 1, ns("x"), { egress: [{ action: "Deny", peers: [{}] }] })],
    });
    expect(verdicts(deny, "x/a", "y/c", 80)).toEqual(["deny", "deny", "deny"]);
    expect(verdicts(deny, "x/a", "192.168.9.9", 80)).toEqual(["deny", "deny", "deny"]);
    expect(verdicts(deny, "x/a", "x/a", 80)).toEqual(["allow", "allow", "allow"]); // a pod reaching itself
  });

  it("networks match addresses, and pod IPs under conformance only", () => {
    const c = makeCluster({
      pods,
      clusterNetworkPolicies: [
        cnp("n", "Admin", 1, ns("x"), {
          egress: [{ action: "Deny", peers: [{ networks: ["10.0.1.0/31", "192.168.0.0/16"] }] }],
        }),
      ],
    });
    expect(verdicts(c, "x/a", "y/c", 80)).toEqual(["deny", "deny", "deny"]); // 10.0.1.1 ∈ 10.0.1.0/31
    expect(verdicts(c, "x/a", "y/d", 80)).toEqual(["allow", "allow", "allow"]); // 10.0.1.2 ∉
    expect(verdicts(c, "x/a", "192.168.1.1", 80)).toEqual(["deny", "deny", "deny"]);
    const external = compile(c, { profile: "ipblock-external" });
    expect(external.decide({ from: "x/a", to: "y/c", port: 80 }).verdict).toBe("allow");
    expect(external.decide({ from: "x/a", to: "192.168.1.1", port: 80 }).verdict).toBe("deny");
  });

  it("nodes peers match every address of the matching nodes, and hostNetwork pods on them", () => {
    const c = makeCluster({
      pods: [
        ...pods,
        pod("kube/agent", "172.18.0.3", { hostNetwork: true, nodeName: "n1", hostIP: "172.18.0.3" }),
        pod("x/e", "10.0.0.5", { nodeName: "n2", hostIP: "172.18.0.4" }),
      ],
      nodes: [
        { name: "n1", labels: { role: "worker" }, addresses: ["172.18.0.3", "fd00::3"] },
        { name: "n2", labels: { role: "infra" }, addresses: ["172.18.0.4"] },
      ],
      clusterNetworkPolicies: [
        cnp("n", "Admin", 1, ns("x"), {
          egress: [{ action: "Deny", peers: [{ nodes: { matchLabels: { role: "worker" } } }] }],
        }),
      ],
    });
    expect(verdicts(c, "x/a", "172.18.0.3", 10250)).toEqual(["deny", "deny", "deny"]);
    expect(verdicts(c, "x/a", "kube/agent", 10250)).toEqual(["deny", "deny", "deny"]);
    expect(verdicts(c, "x/a", "172.18.0.4", 10250)).toEqual(["allow", "allow", "allow"]);
  });
});

describe("domainNames peers cannot be decided offline", () => {
  const c = makeCluster({
    pods,
    clusterNetworkPolicies: [
      cnp("dns", "Admin", 1, ns("x"), {
        egress: [
          { action: "Deny", peers: [{ networks: ["192.0.2.0/24"] }] },
          {
            name: "api",
            action: "Accept",
            peers: [{ domainNames: ["*.example.com"] }],
            ports: [{ protocol: "TCP", start: 443, end: 443 }],
          },
          { action: "Deny", peers: [{ networks: ["0.0.0.0/0"] }] },
        ],
      }),
    ],
  });
  it("a flow whose walk reaches one is unknown, naming the rule", () => {
    for (const t of both(c)) {
      const d = t.decide({ from: "x/a", to: "203.0.113.9", port: 443 });
      expect(d.verdict).toBe("unknown");
      expect(d.reason).toContain("ClusterNetworkPolicy dns spec.egress[1]");
    }
  });
  it("an earlier rule that decides, another port, or a pod destination is not affected", () => {
    for (const t of both(c)) {
      expect(t.decide({ from: "x/a", to: "192.0.2.7", port: 443 }).verdict).toBe("deny"); // rule 0 first
      expect(t.decide({ from: "x/a", to: "203.0.113.9", port: 80 }).verdict).toBe("deny"); // not its port
      // Names are for addresses: towards a pod the walk goes on (0.0.0.0/0 covers pod IPs too).
      expect(t.decide({ from: "x/a", to: "y/c", port: 443 }).verdict).toBe("deny");
      expect(t.decide({ from: "y/c", to: "203.0.113.9", port: 443 }).verdict).toBe("allow"); // not a subject
    }
  });
});

describe("domainNames after a Pass in a later tier", () => {
  // The differential property's counterexample (seed 974609117): an admin Pass, then a baseline
  // Pass that matches everything (a peer with no field: Pass fails closed), then a baseline
  // domainNames rule. The walk leaves the baseline tier at its Pass, so the domainNames rule is
  // never reached: the default allows. The table's outcome keeps only the first Pass (the admin
  // one), so the reader must find the second rule by rule.
  const c = makeCluster({
    pods,
    clusterNetworkPolicies: [
      cnp("pass-all", "Admin", 0, ns("x"), {
        egress: [{ action: "Pass", peers: [{ networks: ["0.0.0.0/0"] }] }],
      }),
      cnp("base", "Baseline", 0, ns("x"), {
        egress: [
          { action: "Pass", peers: [{}] },
          { action: "Accept", peers: [{ domainNames: ["*.example.com"] }] },
        ],
      }),
    ],
  });
  it("is not reached: the default decides, not unknown", () => {
    for (const t of both(c)) {
      const d = t.decide({ from: "x/a", to: "203.0.113.9", port: 443 });
      expect(d.verdict, d.reason).toBe("allow");
      // explain walks both Passes before the default.
      const walk = t.explain({ from: "x/a", to: "203.0.113.9", port: 443 }).egress.walk ?? [];
      expect(walk.map((w) => `${w.tier} ${w.action}`)).toEqual([
        "Admin Pass",
        "Baseline Pass",
        "Default Allow",
      ]);
    }
  });
  it("without the baseline Pass it is reached (unknown)", () => {
    const reached = makeCluster({
      pods,
      clusterNetworkPolicies: [
        c.clusterNetworkPolicies.find((p) => p.name === "pass-all")!,
        cnp("base", "Baseline", 0, ns("x"), {
          egress: [{ action: "Accept", peers: [{ domainNames: ["*.example.com"] }] }],
        }),
      ],
    });
    for (const t of both(reached))
      expect(t.decide({ from: "x/a", to: "203.0.113.9", port: 443 }).verdict).toBe("unknown");
  });
});

describe("explain names the near misses of a denied flow", () => {
  const web: NetworkPolicy = {
    namespace: "y",
    name: "web",
    spec: {
      podSelector: { matchLabels: { app: "d" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "x" } } }],
          ports: [{ protocol: "TCP", port: "web" }],
        },
        {
          from: [{ podSelector: { matchLabels: { app: "c" } } }],
          ports: [{ protocol: "TCP", port: 9000, endPort: 9100 }],
        },
      ],
      egress: [],
    },
  };
  const c = makeCluster({ pods, networkPolicies: [web] });
  it("peer matched but not the port: the ports it allows, named ports resolved", () => {
    const e = compile(c).explain({ from: "x/a", to: "y/d", port: 9050 });
    expect(e.verdict).toBe("deny");
    expect(e.ingress.nearMisses).toEqual([
      {
        tier: "NetworkPolicy",
        policy: "y/web",
        rule: "spec.ingress[0]",
        missed: "port",
        ports: "named web→8080",
      },
      {
        tier: "NetworkPolicy",
        policy: "y/web",
        rule: "spec.ingress[1]",
        missed: "peer",
        ports: "TCP 9000-9100",
      },
    ]);
    expect(e.ingress.reason).toContain(
      "near misses: y/web spec.ingress[0] (peer matched, port did not; allows named web→8080)",
    );
  });
  it("an allowed flow has none", () => {
    expect(compile(c).explain({ from: "x/a", to: "y/d", port: 8080 }).ingress.nearMisses).toBeUndefined();
  });
  it("a rule in a tier the walk left by a Pass is not a near miss", () => {
    const accept80: ClusterPolicyRule = {
      action: "Accept",
      peers: [{ namespaces: {} }],
      ports: [{ protocol: "TCP", start: 80, end: 80 }],
    };
    const tiered = (first: ClusterPolicyRule[]) =>
      makeCluster({
        pods,
        networkPolicies: [web],
        clusterNetworkPolicies: [cnp("gate", "Admin", 0, ns("y"), { ingress: [...first, accept80] })],
      });
    const misses = (cl: ReturnType<typeof makeCluster>) =>
      (compile(cl).explain({ from: "x/a", to: "y/d", port: 9050 }).ingress.nearMisses ?? []).map(
        (m) => `${m.tier} ${m.rule}`,
      );
    // Without a Pass the admin Accept on port 80 is reached and missed by its port.
    expect(misses(tiered([]))).toContain("Admin spec.ingress[0]");
    // After a Pass from every namespace it is not reached: only the NetworkPolicy misses remain.
    const passed = misses(tiered([{ action: "Pass", peers: [{ namespaces: {} }] }]));
    expect(passed.filter((m) => m.startsWith("Admin"))).toEqual([]);
    expect(passed).toContain("NetworkPolicy spec.ingress[0]");
  });
});
