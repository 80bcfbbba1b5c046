// Address-less pods and the pod range (docs/decisions.md #46-#48): under `conformance` a verdict
// between two pods without addresses that depends on an ipBlock / networks CIDR is unknown,
// unless `podCIDRs` decides it. Engine and reference are held to the same answers.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  compile,
  deserializeTable,
  evaluate,
  InputError,
  parseCluster,
  serializeTable,
} from "../../src/index.ts";
import { netpol } from "../cli/netpol.ts";
import { ingressPolicy, namespace, pod, yaml } from "./helpers.ts";

const manifest = (from: string): string =>
  yaml(
    namespace("x"),
    pod("x/src", { labels: { app: "src" } }),
    pod("x/dst", { labels: { app: "dst" } }),
    ingressPolicy("dst", "dst", `[{from: ${from}}]`),
  );

const FLOW = { from: "x/src", to: "x/dst", port: 80 } as const;

function verdicts(text: string, podCIDRs?: readonly string[], profile = "conformance") {
  const { cluster } = parseCluster([{ name: "case.yaml", text }]);
  const options = podCIDRs === undefined ? {} : { podCIDRs };
  const table = compile(cluster, { profile, ...options });
  const engine = table.decide(FLOW);
  const reference = evaluate(cluster, FLOW, profile, options);
  expect(engine.verdict, `engine and reference: ${engine.reason ?? ""} / ${reference.reason ?? ""}`).toBe(
    reference.verdict,
  );
  expect(table.explain(FLOW).verdict).toBe(engine.verdict);
  const rows = table.matrixRows({ port: 80 });
  expect(rows.row(rows.pods.indexOf("x/src"))[rows.pods.indexOf("x/dst")]).toBe(engine.verdict);
  return engine;
}

describe("an ipBlock towards an address-less pod", () => {
  const ten = manifest("[{ipBlock: {cidr: 10.0.0.0/8}}]");
  it("is unknown without a pod range, naming the rule", () => {
    const d = verdicts(ten);
    expect(d.verdict).toBe("unknown");
    expect(d.reason).toMatch(/x\/dst spec\.ingress\[0\]/);
    expect(d.reason).toMatch(/--pod-cidr/);
  });
  it("matches when the CIDR contains the whole pod range", () => {
    expect(verdicts(ten, ["10.244.0.0/16"]).verdict).toBe("allow");
  });
  it("matches none when disjoint from it", () => {
    expect(verdicts(ten, ["192.168.0.0/16"]).verdict).toBe("deny");
  });
  it("stays unknown on a partial overlap", () => {
    const d = verdicts(ten, ["10.0.0.0/7"]);
    expect(d.verdict).toBe("unknown");
    expect(d.reason).toMatch(/10\.0\.0\.0\/7/);
  });
  it("with both families given, decides only if both agree", () => {
    expect(verdicts(ten, ["10.244.0.0/16", "fd00::/48"]).verdict).toBe("unknown");
    const both = manifest("[{ipBlock: {cidr: 10.0.0.0/8}}, {ipBlock: {cidr: 'fd00::/16'}}]");
    expect(verdicts(both, ["10.244.0.0/16", "fd00::/48"]).verdict).toBe("allow");
  });
  it("an except containing the whole range matches nothing; a partial one stays unknown", () => {
    const whole = manifest("[{ipBlock: {cidr: 10.0.0.0/8, except: [10.244.0.0/16]}}]");
    expect(verdicts(whole, ["10.244.0.0/16"]).verdict).toBe("deny");
    const part = manifest("[{ipBlock: {cidr: 10.0.0.0/8, except: [10.244.0.0/24]}}]");
    expect(verdicts(part, ["10.244.0.0/16"]).verdict).toBe("unknown");
  });
  it("a label peer that allows anyway decides", () => {
    const either = manifest("[{ipBlock: {cidr: 10.0.0.0/8}}, {podSelector: {}}]");
    expect(verdicts(either).verdict).toBe("allow");
  });
  it("is unchanged under ipblock-external (ipBlocks never match pods)", () => {
    expect(verdicts(ten, undefined, "ipblock-external").verdict).toBe("deny");
  });
  it("survives serialisation (IR v3: podCIDRs, joinClass)", () => {
    const { cluster } = parseCluster([{ name: "case.yaml", text: ten }]);
    for (const podCIDRs of [undefined, ["10.0.0.0/7"], ["10.244.0.0/16"]]) {
      const t = compile(cluster, podCIDRs === undefined ? {} : { podCIDRs });
      const copy = deserializeTable(serializeTable(t));
      expect(copy.decide(FLOW)).toEqual(t.decide(FLOW));
    }
  });
  it("allowsIndex allows only what is allowed wherever the pods are", () => {
    const { cluster } = parseCluster([{ name: "case.yaml", text: ten }]);
    const t = compile(cluster);
    const r = t.resolve(FLOW);
    expect(r.ok && t.allowsIndex(r.src, r.dst, r.portIndex)).toBe(false);
  });
});

describe("an admin Deny by networks towards an address-less pod", () => {
  const text = yaml(
    namespace("x"),
    pod("x/src", { labels: { app: "src" } }),
    pod("x/dst", { labels: { app: "dst" } }),
    `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-ten}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {}}
  egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}]}]
`,
  );
  it("is unknown without a pod range, decided with one", () => {
    expect(verdicts(text).verdict).toBe("unknown");
    expect(verdicts(text, ["10.244.0.0/16"]).verdict).toBe("deny");
    expect(verdicts(text, ["172.16.0.0/12"]).verdict).toBe("allow");
  });
  it("denied wherever the pods are: explain names one placement's walk and says so (#68)", () => {
    const isolated = yaml(
      text,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {namespace: x, name: no-egress}
spec: {podSelector: {}, policyTypes: [Egress]}
`,
    );
    expect(verdicts(isolated).verdict).toBe("deny");
    const { cluster } = parseCluster([{ name: "case.yaml", text: isolated }]);
    const x = compile(cluster).explain(FLOW);
    expect(x.egress.deniedBy).toEqual({ policy: "cnp/deny-ten", rule: "spec.egress[0]" });
    expect(x.reason).toMatch(
      /x\/dst has no address: denied wherever it is in the pod range; the walk is that of one placement/,
    );
    // Where the range decides, there is one placement and no note.
    const decided = compile(cluster, { podCIDRs: ["10.244.0.0/16"] }).explain(FLOW);
    expect(decided.reason).toBe("denied at egress from the source");
  });
});

describe("podCIDRs is validated", () => {
  it("a value that is not a CIDR is an InputError", () => {
    const { cluster } = parseCluster([{ name: "c.yaml", text: manifest("[{podSelector: {}}]") }]);
    expect(() => compile(cluster, { podCIDRs: ["10.244.0.0/33"] })).toThrow(InputError);
    expect(() => compile(cluster, { podCIDRs: ["10.244.0.0/33"] })).toThrow(/invalid-pod-cidr|not a CIDR/);
    expect(() => evaluate(cluster, FLOW, "conformance", { podCIDRs: ["nope"] })).toThrow(InputError);
  });
});

describe("netpol --pod-cidr", () => {
  const tmp = mkdtempSync(join(tmpdir(), "netpol-podcidr-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const path = join(tmp, "c.yaml");
  writeFileSync(path, manifest("[{ipBlock: {cidr: 10.0.0.0/8}}]"));
  const flow = ["--from", "x/src", "--to", "x/dst", "--port", "80"];
  it("check: unknown without it, decided with it", () => {
    expect(netpol(["check", path, ...flow]).stdout).toMatch(/unknown/);
    expect(netpol(["check", path, ...flow, "--pod-cidr", "10.244.0.0/16,fd00::/48"]).stdout).toMatch(
      /unknown/,
    );
    expect(netpol(["check", path, ...flow, "--pod-cidr", "10.244.0.0/16"]).stdout).toMatch(/allow/);
  });
  it("explain and matrix take it", () => {
    expect(netpol(["explain", path, ...flow, "--pod-cidr", "192.168.0.0/16"]).stdout).toMatch(/deny/);
    const m = netpol(["matrix", path, "--port", "80", "--format", "json"]);
    expect(m.stdout).toMatch(/"unknown"/);
    const decided = netpol([
      "matrix",
      path,
      "--port",
      "80",
      "--format",
      "json",
      "--pod-cidr",
      "10.244.0.0/16",
    ]);
    expect(decided.stdout).not.toMatch(/"unknown"/);
  });
  it("a bad CIDR is a usage error (exit 2); render does not take it", () => {
    const r = netpol(["check", path, ...flow, "--pod-cidr", "10.244.0.0/16,bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--pod-cidr/);
    expect(
      netpol(["render", path, "--backend", "nftables", "--out", tmp, "--pod-cidr", "10.0.0.0/8"]).code,
    ).toBe(2);
  });
});
