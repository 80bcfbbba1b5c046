// Render deltas on the real kernel: random clusters, each changed by a pod added into an identity
// it has (the incremental splice) or by that pod removed again; the first table's rules are loaded,
// then the backend's delta applied (`nft -f`, `ipset restore`, `iptables-restore --noflush`), and
// the kernel's verdict on every probe of the changed cluster must be the changed table's.
import { describe, expect, it } from "vitest";
import { applyChange, type ClusterChange, compileState } from "../../src/incremental/compile-state.ts";
import { iptablesBackend, nftablesBackend, renderDelta } from "../../src/index.ts";
import type { Pod } from "../../src/model/types.ts";
import { type Artifact, artifactKind, stage } from "./artifacts.ts";
import { kernelSkipReason, reportSkip } from "./env.ts";
import { inNs } from "./exec.ts";
import { type Loader, loadersFor } from "./loader.ts";
import { planScenario } from "./plan.ts";
import { randomScenarios } from "./sources/random.ts";
import { formatSummary, type PreparedScenario, runLoader } from "./suite.ts";

const COUNT = Number(process.env.NETPOL_KERNEL_DELTAS ?? 30);
const DELTA = "delta/";
const skip = reportSkip("render deltas", kernelSkipReason(["iptables", "nftables"]));

/** A copy of `pod` under a new name with fresh addresses beside its own (the same /24 or /120). */
function cloneOf(pod: Pod, used: Set<string>): Pod {
  const fresh = (ip: string): string => {
    for (let h = 150; h < 255; h++) {
      const c = ip.includes(":") ? ip.replace(/[0-9a-f]+$/, h.toString(16)) : ip.replace(/\d+$/, String(h));
      if (!used.has(c)) return c;
    }
    return ip;
  };
  return { ...pod, name: `${pod.name}-delta`, podIPs: pod.podIPs.map(fresh) };
}

/** Loads the first render, then applies the delta (artifacts under `delta/`) with the real tools. */
function withDelta(inner: Loader): Loader {
  return {
    ...inner,
    name: `${inner.name} + delta`,
    async load(topo, artifacts) {
      await inner.load(
        topo,
        artifacts.filter((a) => !a.path.startsWith(DELTA)),
      );
      const delta = artifacts.filter((a) => a.path.startsWith(DELTA));
      const files = stage(delta);
      try {
        for (const a of delta) {
          const kind = artifactKind(a.path);
          if (kind === "nft") await inNs(topo.nodeNs, "nft", ["-f", files.file(a)]);
          else if (kind === "ipset")
            await inNs(topo.nodeNs, "ipset", ["restore", "-exist"], { input: a.content });
        }
        const variant = inner.name.endsWith("legacy") ? "legacy" : "nft";
        for (const a of delta) {
          const kind = artifactKind(a.path);
          const tool = kind === "iptables" ? "iptables" : kind === "ip6tables" ? "ip6tables" : undefined;
          if (tool !== undefined)
            await inNs(topo.nodeNs, `${tool}-${variant}-restore`, ["--noflush"], { input: a.content });
        }
      } finally {
        files.done();
      }
    },
  };
}

describe.skipIf(skip)("kernel: render deltas", () => {
  it("the first rules plus the delta answer as the changed table on every probe", async () => {
    const backends = [nftablesBackend, iptablesBackend];
    const reloads: string[] = [];
    const prepared: PreparedScenario[] = [];
    randomScenarios(COUNT, 20261204).forEach((scenario, i) => {
      const pods = scenario.cluster.pods.filter(
        (p) => p.workload === undefined && !p.hostNetwork && p.podIPs.length > 0,
      );
      if (pods.length === 0) return;
      const pod = pods[i % pods.length]!;
      const used = new Set(scenario.cluster.pods.flatMap((p) => p.podIPs));
      let state = compileState(scenario.cluster);
      let change: ClusterChange = { type: "pod-put", pod: cloneOf(pod, used) };
      if (i % 3 === 2) {
        state = applyChange(state, change);
        change = { type: "pod-remove", namespace: pod.namespace, name: `${pod.name}-delta` };
      }
      const next = applyChange(state, change);
      const plan = planScenario(
        { ...scenario, name: `${scenario.name}, ${change.type}`, cluster: next.cluster },
        next.table,
      );
      const artifacts = new Map<string, readonly Artifact[]>();
      for (const backend of backends) {
        const d = renderDelta(state.table, next.table, backend, { unsupported: "warn" });
        if (d.reload) {
          reloads.push(`${backend.name}: ${plan.scenario.name}`);
          continue;
        }
        const before = renderDelta(state.table, state.table, backend, { unsupported: "warn" }).after
          .artifacts;
        artifacts.set(backend.name, [
          ...before,
          ...d.artifacts.map((a) => ({ path: `${DELTA}${a.path}`, content: a.content })),
        ]);
      }
      if (artifacts.size === backends.length) prepared.push({ plan, artifacts: (b) => artifacts.get(b)! });
    });
    if (reloads.length > 0)
      console.log(
        `kernel deltas: ${reloads.length} renders need a full load (not probed): ${reloads.slice(0, 3).join("; ")}`,
      );
    const loaders = [...loadersFor("nftables"), ...loadersFor("iptables")].map(withDelta);
    const settled = await Promise.allSettled(loaders.map((l) => runLoader(l, prepared)));
    const failed = settled.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    if (failed.length > 0) throw failed[0];
    const summaries = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    for (const s of summaries) console.log(formatSummary(s));
    expect(prepared.length).toBeGreaterThan(COUNT / 2);
    expect(summaries.map((s) => [s.loader, s.mismatches.length])).toEqual(
      summaries.map((s) => [s.loader, 0]),
    );
  }, 600_000);
});
