// The third-party backend of docs/backends.md (examples/third-party-backend.ts), written only
// against the public API, run through render() and its output read back the way a datapath would:
// for every ordered pair of pods (and a few addresses) on several ports, the allowlist's answer
// equals table.decide().
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allowlistBackend } from "../../examples/third-party-backend.ts";
import {
  compile,
  type Flow,
  type PolicyTable,
  type Protocol,
  parseCluster,
  render,
  UnsupportedFeatureError,
} from "../../src/index.ts";
import { parseIP } from "../../src/net/ip.ts";

const SHOP = join(import.meta.dirname, "..", "..", "examples", "shop");

/** The shop example plus a dual-stack namespace, an admin Deny and a baseline Accept. */
const EXTRA = `
apiVersion: v1
kind: Namespace
metadata: { name: lab, labels: { team: lab } }
---
apiVersion: v1
kind: Pod
metadata: { name: a, namespace: lab, labels: { app: a } }
spec: { nodeName: node-1, containers: [{ name: c, image: x, ports: [{ name: http, containerPort: 8080 }] }] }
status: { podIP: fd00::a, podIPs: [{ ip: fd00::a }, { ip: 10.244.1.30 }], hostIP: 172.18.0.2 }
---
apiVersion: v1
kind: Pod
metadata: { name: b, namespace: lab, labels: { app: b } }
spec: { nodeName: node-2, containers: [{ name: c, image: x }] }
status: { podIP: 10.244.2.31, podIPs: [{ ip: 10.244.2.31 }, { ip: fd00::b }], hostIP: 172.18.0.3 }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: b-from-a, namespace: lab }
spec:
  podSelector: { matchLabels: { app: b } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: a } } }], ports: [{ port: 8000, endPort: 8100 }, { protocol: UDP, port: 53 }] }]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: no-lab-to-db }
spec:
  tier: Admin
  priority: 10
  subject: { namespaces: { matchLabels: { team: lab } } }
  egress:
    - action: Deny
      to: [{ pods: { namespaceSelector: { matchLabels: { team: shop } }, podSelector: { matchLabels: { app: db } } } }]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: baseline-lab }
spec:
  tier: Baseline
  priority: 10
  subject: { namespaces: { matchLabels: { team: lab } } }
  ingress:
    - action: Deny
      from: [{ namespaces: { matchLabels: { team: platform } } }]
`;

function shopTable(): PolicyTable {
  const sources = ["namespaces.yaml", "pods.yaml", "policies.yaml"].map((f) => ({
    name: f,
    text: readFileSync(join(SHOP, f), "utf8"),
  }));
  return compile(parseCluster([...sources, { name: "extra.yaml", text: EXTRA }]).cluster);
}

interface Allowlist {
  allows(src: string, dst: string, protocol: Protocol, port: number): boolean;
}

/** Read allowlist.tsv back: the datapath the example's README describes, as a function. */
function loadAllowlist(text: string): Allowlist {
  const value = (a: string): bigint => parseIP(a)!.value;
  const fam = (a: string): 4 | 6 => (a.includes(":") ? 6 : 4);
  type Seg = { protocol: string; first: number; last: number; verdict: string };
  const segs = (t: string): Seg[] =>
    t === "-"
      ? []
      : t.split(" ").map((s) => {
          const m = /^(TCP|UDP|SCTP):(\d+)-(\d+)(?:=(allow|local))?$/.exec(s)!;
          return { protocol: m[1]!, first: Number(m[2]), last: Number(m[3]), verdict: m[4] ?? "allow" };
        });
  let self = false;
  let ownNode = false;
  const selfSets = new Map<string, string>();
  const nodes = new Map<string, { f: 4 | 6; first: bigint; last: bigint }[]>();
  const dirs = new Map<
    string,
    {
      subject: Map<string, { group: string; node: string }>;
      peer: { f: 4 | 6; first: bigint; last: bigint; cls: string }[];
      local: Map<string, string>; // namespace \t address → local class
      groups: Map<string, { ns: string; def: Seg[]; cells: Map<string, Seg[]>; local: Map<string, Seg[]> }>;
    }
  >();
  const dir = (d: string) => {
    let x = dirs.get(d);
    if (x === undefined)
      dirs.set(d, (x = { subject: new Map(), peer: [], local: new Map(), groups: new Map() }));
    return x;
  };
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split("\t");
    switch (f[0]) {
      case "profile":
        self = f[2] === "self=1";
        ownNode = f[3] === "own-node=1";
        break;
      case "self":
        for (const a of f[1]!.split(",")) selfSets.set(a, f[1]!);
        break;
      case "node":
        nodes.set(f[1]!, [
          ...(nodes.get(f[1]!) ?? []),
          { f: fam(f[2]!), first: value(f[2]!), last: value(f[3]!) },
        ]);
        break;
      case "subject":
        dir(f[1]!).subject.set(f[2]!, { group: f[3]!, node: f[4]! });
        break;
      case "peer":
        dir(f[1]!).peer.push({ f: fam(f[2]!), first: value(f[2]!), last: value(f[3]!), cls: f[4]! });
        break;
      case "local":
        dir(f[1]!).local.set(`${f[2]}\t${f[3]}`, f[4]!);
        break;
      case "default":
        dir(f[1]!).groups.set(f[2]!, { ns: f[3]!, def: segs(f[4]!), cells: new Map(), local: new Map() });
        break;
      case "cell":
        dir(f[1]!).groups.get(f[2]!)!.cells.set(f[3]!, segs(f[4]!));
        break;
      case "localcell":
        dir(f[1]!).groups.get(f[2]!)!.local.set(f[3]!, segs(f[4]!));
        break;
      default:
        throw new Error(`unknown record ${f[0]}`);
    }
  }
  const hit = (list: readonly Seg[], protocol: string, port: number): Seg | undefined =>
    list.find((s) => s.protocol === protocol && s.first <= port && port <= s.last);
  const one = (d: string, subject: string, peer: string, protocol: string, port: number): boolean => {
    const x = dirs.get(d);
    const s = x?.subject.get(subject);
    if (x === undefined || s === undefined) return true; // not policed in this direction
    const v = value(peer);
    if (
      d === "ingress" &&
      ownNode &&
      nodes.get(s.node)?.some((n) => n.f === fam(peer) && n.first <= v && v <= n.last)
    )
      return true;
    const cls = x.peer.find((i) => i.f === fam(peer) && i.first <= v && v <= i.last)!.cls;
    const g = x.groups.get(s.group)!;
    const seg = hit(g.cells.get(cls) ?? g.def, protocol, port);
    if (seg === undefined) return false;
    if (seg.verdict === "allow") return true;
    const lc = x.local.get(`${g.ns}\t${peer}`);
    return lc !== undefined && hit(g.local.get(lc) ?? [], protocol, port) !== undefined;
  };
  return {
    allows(src, dst, protocol, port) {
      if (self && selfSets.has(src) && selfSets.get(src) === selfSets.get(dst)) return true;
      return one("egress", src, dst, protocol, port) && one("ingress", dst, src, protocol, port);
    },
  };
}

const PORTS: readonly [Protocol, number][] = [
  ["TCP", 53],
  ["UDP", 53],
  ["TCP", 80],
  ["TCP", 5432],
  ["TCP", 8000],
  ["TCP", 8080],
  ["TCP", 8100],
  ["TCP", 8101],
  ["TCP", 9090],
  ["UDP", 9090],
  ["SCTP", 8080],
];

describe("a third-party backend through the public API (examples/third-party-backend.ts)", () => {
  const table = shopTable();
  const result = render(table, allowlistBackend);
  const file = result.artifacts.find((a) => a.path === "allowlist.tsv")!;
  const allowlist = loadAllowlist(file.content);
  // The pods with their addresses, from the table's own endpoint list (the IR's pods and addresses).
  const pods = table.ir.pods.map((name, i) => ({ name, addresses: table.ir.podAddresses[i]! }));

  it("renders sorted artifacts with no warnings", () => {
    expect(result.backend).toBe("allowlist");
    expect(result.artifacts.map((a) => a.path)).toEqual(["README", "allowlist.tsv"]);
    expect(result.warnings).toEqual([]);
  });

  it("agrees with decide() for every ordered pair of pods on every probed port", () => {
    let checked = 0;
    let allowed = 0;
    for (const from of pods)
      for (const to of pods)
        for (const [protocol, port] of PORTS) {
          const flow: Flow = { from: from.name, to: to.name, port, protocol };
          const d = table.decide(flow);
          if (d.verdict === "unknown") continue;
          // The flow's family: the destination's primary address; the source's address of that family.
          const dst = to.addresses[0]!;
          const src = from.addresses.find((a) => a.includes(":") === dst.includes(":"))!;
          const got = allowlist.allows(src, dst, protocol, port) ? "allow" : "deny";
          expect(got, `${from.name} → ${to.name} ${protocol}/${port}`).toBe(d.verdict);
          checked++;
          if (got === "allow") allowed++;
        }
    // Both answers occur, and nearly every pair was decidable.
    expect(checked).toBeGreaterThan(pods.length * pods.length * PORTS.length * 0.9);
    expect(allowed).toBeGreaterThan(checked * 0.1);
    expect(allowed).toBeLessThan(checked * 0.9);
  });

  it("agrees with decide() for node and external addresses to and from pods", () => {
    const addresses = ["172.18.0.2", "172.18.0.3", "8.8.8.8", "10.244.3.3", "2001:db8::1"];
    for (const ip of addresses)
      for (const pod of pods)
        for (const [protocol, port] of PORTS) {
          const podAddress = pod.addresses.find((a) => a.includes(":") === ip.includes(":"));
          if (podAddress === undefined) continue;
          for (const [from, to, src, dst] of [
            [ip, pod.name, ip, podAddress],
            [pod.name, ip, podAddress, ip],
          ] as const) {
            const d = table.decide({ from, to, port, protocol });
            if (d.verdict === "unknown") continue;
            const got = allowlist.allows(src, dst, protocol, port) ? "allow" : "deny";
            expect(got, `${from} → ${to} ${protocol}/${port}`).toBe(d.verdict);
          }
        }
  });

  it("is deterministic, and a node's render keeps only that node's pods as subjects", () => {
    expect(render(shopTable(), allowlistBackend).artifacts).toEqual(result.artifacts);
    const node = render(table, allowlistBackend, { node: "node-2" }).artifacts[1]!.content;
    const subjects = (t: string) => t.split("\n").filter((l) => l.startsWith("subject\t"));
    expect(subjects(node).length).toBeGreaterThan(0);
    expect(subjects(node).length).toBeLessThan(subjects(file.content).length);
    for (const l of subjects(node)) expect(l.split("\t")[4]).toBe("node-2");
  });

  it("docs/backends.md shows the example's code as it is", () => {
    const root = join(import.meta.dirname, "..", "..");
    const code = readFileSync(join(root, "examples", "third-party-backend.ts"), "utf8");
    expect(readFileSync(join(root, "docs", "backends.md"), "utf8")).toContain(`\`\`\`ts\n${code}\`\`\``);
  });

  it("a feature it lacks is refused by render(), or rendered with a warning", () => {
    const withNames = compile(
      parseCluster([
        {
          name: "dn.yaml",
          text: `${EXTRA}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: names }
spec:
  tier: Admin
  priority: 20
  subject: { namespaces: {} }
  egress: [{ action: Accept, to: [{ domainNames: ["*.example.com"] }] }]
`,
        },
      ]).cluster,
    );
    expect(() => render(withNames, allowlistBackend)).toThrow(UnsupportedFeatureError);
    const warned = render(withNames, allowlistBackend, { unsupported: "warn" });
    expect(warned.warnings.join("\n")).toMatch(/domain-names/);
  });
});
