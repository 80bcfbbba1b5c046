// DESIGN §1 "Peers" (ipBlock), "CIDRs", "Dual-stack", the conformance / ipblock-external
// profiles, external endpoints; docs/decisions.md #2, #4-#8.
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/index.ts";
import {
  denyAll,
  expectVerdict,
  ingressPolicy,
  lazy,
  load,
  namespace,
  pod,
  scenario,
  underProfile,
  yaml,
} from "./helpers.ts";

const base = [
  namespace("x"),
  pod("x/a", { labels: { app: "a" }, ips: ["10.0.0.1"] }),
  pod("x/b", { labels: { app: "b" }, ips: ["10.0.1.5"] }),
  pod("x/c", { labels: { app: "c" }, ips: ["10.0.2.7"] }),
  // Dual-stack targets: d is IPv4-primary, e is IPv6-primary.
  pod("x/d", { labels: { app: "d" }, ips: ["10.0.0.4", "fd00::4"] }),
  pod("x/e", { labels: { app: "e" }, ips: ["fd00::5", "10.0.0.5"] }),
];

/** A policy in x selecting `app: target` with one ingress rule, `from` given inline (flow-style YAML). */
const ingress = (name: string, target: string, from: string): string =>
  ingressPolicy(name, target, `[{from: ${from}}]`);

describe("ipBlock: cidr matches the addresses inside it", () => {
  scenario(
    "from: [ipBlock 192.168.1.0/24]",
    yaml(...base, ingress("cidr", "a", "[{ipBlock: {cidr: 192.168.1.0/24}}]")),
    [
      { from: "192.168.1.0", to: "x/a", port: 80, verdict: "allow", why: "first address" },
      { from: "192.168.1.200", to: "x/a", port: 80, verdict: "allow" },
      { from: "192.168.1.255", to: "x/a", port: 80, verdict: "allow", why: "last address" },
      { from: "192.168.2.0", to: "x/a", port: 80, verdict: "deny" },
      { from: "192.168.0.255", to: "x/a", port: 80, verdict: "deny" },
    ],
  );
});

describe("ipBlock: except subtracts only inside its own ipBlock", () => {
  scenario(
    "from: [ipBlock 192.168.0.0/16 except 192.168.1.0/24]",
    yaml(...base, ingress("except", "a", "[{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}}]")),
    [
      { from: "192.168.2.1", to: "x/a", port: 80, verdict: "allow" },
      { from: "192.168.1.1", to: "x/a", port: 80, verdict: "deny", why: "excepted" },
      { from: "192.168.1.255", to: "x/a", port: 80, verdict: "deny", why: "excepted, last address" },
      { from: "192.168.0.255", to: "x/a", port: 80, verdict: "allow", why: "just below the except" },
    ],
  );
  scenario(
    "a second peer re-allows part of an excepted range",
    yaml(
      ...base,
      ingress(
        "except-readd",
        "a",
        "[{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}}, {ipBlock: {cidr: 192.168.1.128/25}}]",
      ),
    ),
    [
      { from: "192.168.1.200", to: "x/a", port: 80, verdict: "allow", why: "second ipBlock" },
      {
        from: "192.168.1.1",
        to: "x/a",
        port: 80,
        verdict: "deny",
        why: "excepted by the first, not in the second",
      },
    ],
  );
  scenario(
    "an except in one policy does not subtract from another policy's ipBlock",
    yaml(
      ...base,
      ingress("p1-except", "a", "[{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}}]"),
      ingress("p2-plain", "a", "[{ipBlock: {cidr: 192.168.1.0/28}}]"),
    ),
    [
      { from: "192.168.1.3", to: "x/a", port: 80, verdict: "allow" },
      { from: "192.168.1.20", to: "x/a", port: 80, verdict: "deny" },
    ],
  );
});

describe("ipBlock: IPv4 and IPv6 blocks never match the other family", () => {
  scenario(
    "0.0.0.0/0 matches no IPv6 address, ::/0 no IPv4 address",
    yaml(
      ...base,
      ingress("all-v4", "d", "[{ipBlock: {cidr: 0.0.0.0/0}}]"),
      ingress("all-v6", "e", "[{ipBlock: {cidr: ::/0}}]"),
    ),
    [
      { from: "203.0.113.1", to: "x/d", port: 80, verdict: "allow" },
      { from: "2001:db8::1", to: "x/d", port: 80, verdict: "deny", why: "IPv6 flow, IPv4 block" },
      { from: "2001:db8::1", to: "x/e", port: 80, verdict: "allow" },
      { from: "203.0.113.1", to: "x/e", port: 80, verdict: "deny", why: "IPv4 flow, IPv6 block" },
    ],
  );
});

describe("CIDRs: legacy forms are normalised (10.0.0.1/24 means 10.0.0.0/24)", () => {
  const get = scenario(
    "cidr 172.16.5.9/24 and fd00:1::1/64",
    yaml(
      ...base,
      ingress(
        "legacy",
        "d",
        "[{ipBlock: {cidr: 172.16.5.9/24}}, {ipBlock: {cidr: 'fd00:1::1/64', except: ['fd00:1::ff/120']}}]",
      ),
    ),
    [
      { from: "172.16.5.1", to: "x/d", port: 80, verdict: "allow", why: "not only the written host" },
      { from: "172.16.5.9", to: "x/d", port: 80, verdict: "allow" },
      { from: "172.16.5.254", to: "x/d", port: 80, verdict: "allow" },
      { from: "172.16.6.9", to: "x/d", port: 80, verdict: "deny" },
      { from: "fd00:1::ffff:1", to: "x/d", port: 80, verdict: "allow" },
      {
        from: "fd00:1::1",
        to: "x/d",
        port: 80,
        verdict: "deny",
        why: "in the normalised except fd00:1::/120",
      },
      { from: "fd00:2::1", to: "x/d", port: 80, verdict: "deny" },
    ],
  );
  it("the parsed ipBlocks are canonical", () => {
    const from = get().cluster.networkPolicies[0]!.spec.ingress[0]!.from!;
    expect(from.map((p) => p.ipBlock)).toEqual([
      { cidr: "172.16.5.0/24" },
      { cidr: "fd00:1::/64", except: ["fd00:1::/120"] },
    ]);
  });
});

describe("ipBlock: matches pod IPs under profile conformance, not under ipblock-external", () => {
  const m = yaml(
    ...base,
    pod("x/b2", { labels: { app: "b" }, ips: ["10.0.2.8"] }), // x/b's labels, inside the except
    ingress("pod-range", "a", "[{ipBlock: {cidr: 10.0.0.0/16, except: [10.0.2.0/24]}}]"),
    `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: b-egress-range, namespace: x}
    spec:
      podSelector: {matchLabels: {app: b}}
      policyTypes: [Egress]
      egress:
        - to: [{ipBlock: {cidr: 10.0.0.0/16}}]
    `,
  );
  scenario("conformance: ipBlocks see pod addresses", m, [
    { from: "x/b", to: "x/a", port: 80, verdict: "allow", why: "10.0.1.5 is in 10.0.0.0/16" },
    { from: "10.0.1.5", to: "x/a", port: 80, verdict: "allow", why: "that IP is x/b" },
    { from: "x/c", to: "x/a", port: 80, verdict: "deny", why: "10.0.2.7 is excepted" },
    { from: "x/b2", to: "x/a", port: 80, verdict: "deny", why: "same labels as x/b, excepted address" },
    { from: "x/b2", to: "10.1.0.1", port: 80, verdict: "deny", why: "b2 shares b's egress policy" },
    {
      from: "x/b2",
      to: "x/b",
      port: 80,
      verdict: "allow",
      why: "b2 is egress-isolated too; 10.0.1.5 in the block",
    },
    { from: "10.0.99.1", to: "x/a", port: 80, verdict: "allow", why: "external address in the block" },
    { from: "x/b", to: "x/c", port: 80, verdict: "allow", why: "egress ipBlock over a pod" },
    { from: "x/b", to: "10.0.99.1", port: 80, verdict: "allow" },
    { from: "x/b", to: "10.1.0.1", port: 80, verdict: "deny" },
  ]);
  scenario(
    "ipblock-external: ipBlocks see only addresses that are not pods",
    m,
    underProfile("ipblock-external", [
      { from: "x/b", to: "x/a", port: 80, verdict: "deny", why: "a pod address is not matched" },
      { from: "10.0.1.5", to: "x/a", port: 80, verdict: "deny", why: "that IP is x/b" },
      { from: "10.0.99.1", to: "x/a", port: 80, verdict: "allow", why: "external address in the block" },
      { from: "x/b", to: "x/c", port: 80, verdict: "deny", why: "egress ipBlock over a pod" },
      { from: "x/b", to: "10.0.99.1", port: 80, verdict: "allow" },
    ]),
  );
});

describe("external IP endpoints have no policies of their own (their direction is allowed)", () => {
  const get = scenario(
    "deny-all in x; flows to, from and between external addresses",
    yaml(...base, namespace("open"), pod("open/o", { labels: {}, ips: ["10.0.9.9"] }), denyAll("x")),
    [
      {
        from: "open/o",
        to: "203.0.113.1",
        port: 443,
        verdict: "allow",
        why: "no egress policy; the IP has no ingress",
      },
      { from: "203.0.113.1", to: "open/o", port: 443, verdict: "allow", why: "the IP has no egress policy" },
      { from: "203.0.113.1", to: "198.51.100.1", port: 443, verdict: "allow", why: "neither end is a pod" },
      { from: "x/a", to: "203.0.113.1", port: 443, verdict: "deny", why: "x/a's egress is isolated" },
      { from: "203.0.113.1", to: "x/a", port: 443, verdict: "deny", why: "x/a's ingress is isolated" },
    ],
  );
  it("explain says not-a-pod for the address's direction", () => {
    const e = get().table().explain({ from: "203.0.113.1", to: "open/o", port: 443 });
    expect(e.egress).toMatchObject({
      endpoint: "203.0.113.1",
      decidedBy: "not-a-pod",
      isolated: false,
      policies: [],
    });
    expect(e.ingress).toMatchObject({ endpoint: "open/o", decidedBy: "default" });
  });
});

// ---------------------------------------------------------------------------------------------
// Dual-stack (docs/decisions.md #5-#8).

const stacks = [
  namespace("x"),
  pod("x/d46", { labels: { app: "d46" }, ips: ["10.0.0.4", "fd00::4"] }),
  pod("x/d64", { labels: { app: "d64" }, ips: ["fd00::6", "10.0.0.6"] }),
  pod("x/v4", { labels: { app: "v4" }, ips: ["10.0.0.7"] }),
  pod("x/v6", { labels: { app: "v6" }, ips: ["fd00::8"] }),
];

describe("dual-stack: a pod→pod flow has the family of the destination's primary address", () => {
  const get = lazy(() => load(yaml(...stacks)));
  it.each([
    ["x/d46", "x/d64", 6],
    ["x/d64", "x/d46", 4],
    ["x/v4", "x/d46", 4],
    ["x/v6", "x/d64", 6],
    ["x/d46", "x/v6", 6],
    ["x/d64", "x/v4", 4],
  ] as const)("%s → %s is IPv%i", (from, to, family) => {
    const { engine, reference } = expectVerdict(get(), { from, to, port: 80 }, "allow");
    expect({ engine: engine.family, reference: reference.family }).toEqual({
      engine: family,
      reference: family,
    });
  });
  it("an IP endpoint fixes the family (decisions #5)", () => {
    const { engine, reference } = expectVerdict(
      get(),
      { from: "2001:db8::1", to: "x/d46", port: 80 },
      "allow",
    );
    expect({ engine: engine.family, reference: reference.family }).toEqual({ engine: 6, reference: 6 });
  });
});

describe("dual-stack: a pod with no address of the flow's family → unknown, with the reason", () => {
  scenario("single-stack pods against the other family", yaml(...stacks), [
    { from: "x/v4", to: "x/d64", port: 80, verdict: "unknown", reason: /x\/v4 has no IPv6 address/ },
    { from: "x/v6", to: "x/d46", port: 80, verdict: "unknown", reason: /x\/v6 has no IPv4 address/ },
    { from: "x/v4", to: "x/v6", port: 80, verdict: "unknown", reason: /x\/v4 has no IPv6 address/ },
    { from: "2001:db8::1", to: "x/v4", port: 80, verdict: "unknown", reason: /x\/v4 has no IPv6 address/ },
    { from: "x/v6", to: "203.0.113.1", port: 80, verdict: "unknown", reason: /x\/v6 has no IPv4 address/ },
    {
      from: "203.0.113.1",
      to: "2001:db8::1",
      port: 80,
      verdict: "unknown",
      why: "two addresses of different families",
    },
  ]);
});

describe("dual-stack: ipBlocks are matched against the pod's address of the flow's family", () => {
  const m = yaml(
    namespace("x"),
    pod("x/s1", { labels: { app: "s1" }, ips: ["10.0.1.1", "fd00:0:0:1::1"] }),
    pod("x/s2", { labels: { app: "s2" }, ips: ["10.0.2.2", "fd00:0:0:2::2"] }),
    pod("x/t6", { labels: { app: "t6" }, ips: ["fd00::20", "10.0.0.20"] }),
    pod("x/t4", { labels: { app: "t4" }, ips: ["10.0.0.21", "fd00::21"] }),
    pod("x/t6v4", { labels: { app: "t6v4" }, ips: ["fd00::22", "10.0.0.22"] }),
    ingress("t6-v6-block", "t6", "[{ipBlock: {cidr: 'fd00:0:0:1::/64'}}]"),
    ingress("t4-v6-block", "t4", "[{ipBlock: {cidr: 'fd00:0:0:1::/64'}}]"),
    ingress("t6v4-v4-block", "t6v4", "[{ipBlock: {cidr: 10.0.1.0/24}}]"),
  );
  const get = scenario("IPv6 blocks, IPv4 blocks, primary families", m, [
    {
      from: "x/s1",
      to: "x/t6",
      port: 80,
      verdict: "allow",
      why: "IPv6 flow; s1's IPv6 address is in the block",
    },
    { from: "x/s2", to: "x/t6", port: 80, verdict: "deny" },
    { from: "fd00:0:0:1::99", to: "x/t6", port: 80, verdict: "allow", why: "external IPv6 address" },
    { from: "x/s1", to: "x/t4", port: 80, verdict: "deny", why: "IPv4 flow: s1's IPv6 address is not used" },
    {
      from: "x/s1",
      to: "x/t6v4",
      port: 80,
      verdict: "deny",
      why: "IPv6 flow: s1's IPv4 address is not used",
    },
    {
      from: "x/s1",
      to: "x/t6",
      port: 80,
      verdict: "deny",
      profile: "ipblock-external",
      why: "a pod address",
    },
  ]);
  scenario("decisions #2 + #5: a pod named by one of its addresses takes part with that address", m, [
    { from: "10.0.1.1", to: "x/t6v4", port: 80, verdict: "allow", why: "IPv4 flow from s1's IPv4 address" },
    {
      from: "fd00:0:0:1::1",
      to: "x/t4",
      port: 80,
      verdict: "allow",
      why: "IPv6 flow from s1's IPv6 address",
    },
    {
      from: "fd00:0:0:1::1",
      to: "x/t6",
      port: 80,
      verdict: "allow",
      why: "control: same family as t6's primary",
    },
  ]);
  it("decisions #5: the family of a flow from a pod's address is that address's", () => {
    const l = get();
    const f = { from: "fd00:0:0:1::1", to: "x/t4", port: 80 };
    expect({ engine: l.table().decide(f).family, reference: evaluate(l.cluster, f).family }).toEqual({
      engine: 6,
      reference: 6,
    });
  });
});

describe("address-less pods: decided on labels, never silently on a CIDR (decisions #8, #46)", () => {
  scenario(
    "pods without status.podIP(s)",
    yaml(
      namespace("x"),
      pod("x/n1", { labels: { app: "n1" } }),
      pod("x/n2", { labels: { app: "n2" } }),
      pod("x/n3", { labels: { app: "n3" } }),
      pod("x/v4", { labels: { app: "v4" }, ips: ["10.0.0.7"] }),
      ingress("n2-from-n1", "n2", "[{podSelector: {matchLabels: {app: n1}}}]"),
      ingress("n3-from-all-v4", "n3", "[{ipBlock: {cidr: 0.0.0.0/0}}, {ipBlock: {cidr: ::/0}}]"),
      ingress("n2-from-ten", "n2", "[{ipBlock: {cidr: 10.0.0.0/8}}]"),
    ),
    [
      { from: "x/n1", to: "x/n2", port: 80, verdict: "allow", why: "labels" },
      {
        from: "x/n3",
        to: "x/n2",
        port: 80,
        verdict: "unknown",
        reason: /10\.0\.0\.0\/8|n2-from-ten|pod range/,
      },
      // Until #46 this was deny ("an address-less pod is in no CIDR"); the two blocks cover every
      // address of both families, so wherever x/n1 is, it is inside one.
      { from: "x/n1", to: "x/n3", port: 80, verdict: "allow", why: "0.0.0.0/0 and ::/0 cover every address" },
      { from: "x/n1", to: "x/v4", port: 80, verdict: "unknown", reason: /x\/n1/ },
      { from: "x/v4", to: "x/n1", port: 80, verdict: "unknown", reason: /x\/n1/ },
    ],
  );
});
