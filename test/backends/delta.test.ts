// Render deltas: for random clusters and a pod added into an identity (the incremental splice) or
// removed, each backend's delta, applied to what its first render loaded, gives what its second
// render loads — checked against the two full renders, parsed independently here.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTIN_BACKENDS } from "../../src/backends/builtin.ts";
import type { Artifact } from "../../src/backends/contract.ts";
import { renderDelta } from "../../src/backends/render.ts";
import { applyChange, type ClusterChange, compileState } from "../../src/incremental/compile-state.ts";
import type { Pod } from "../../src/model/types.ts";
import { clusterArbOf } from "../arbitraries.ts";

const text = (xs: readonly Artifact[], path: string): string =>
  xs.find((a) => a.path === path)?.content ?? "";

/** What a datapath holds after loading a render, per backend: members as `container member` strings. */
const LOADED: Record<string, (xs: readonly Artifact[]) => Set<string>> = {
  nftables: (xs) => {
    const out = new Set<string>();
    let set = "";
    let inside = false;
    for (const line of text(xs, "netpol.nft").split("\n")) {
      const decl = /^\s*(?:set|map) (\S+) \{$/.exec(line);
      if (decl) set = decl[1]!;
      if (/^\s*elements = \{$/.test(line)) inside = true;
      else if (inside && /^\s*\}$/.test(line)) inside = false;
      else if (inside) out.add(`${set} ${line.trim().replace(/,$/, "")}`);
    }
    return out;
  },
  iptables: (xs) =>
    new Set([
      ...text(xs, "netpol.ipset")
        .split("\n")
        .filter((l) => l.startsWith("add "))
        .map((l) => l.split(" ").slice(1, 3).join(" ")),
      ...["v4", "v6"].flatMap((f) =>
        text(xs, `netpol.rules.${f}`)
          .split("\n")
          .filter((l) => l.startsWith("-A NETPOL-SELF -s "))
          .map((l) => `${f} ${l.replace("-A NETPOL-SELF ", "")}`),
      ),
    ]),
  ebpf: (xs) =>
    new Set(
      text(xs, "netpol-ebpf.bpftool")
        .split("\n")
        .filter((l) => l.startsWith("map update "))
        .map((l) => l.replace(/^map update name /, "")),
    ),
};

/** The delta applied to a loaded state, per backend. */
const APPLY: Record<string, (state: Set<string>, delta: readonly Artifact[]) => void> = {
  nftables: (state, delta) => {
    for (const line of text(delta, "netpol.delta.nft").split("\n")) {
      const m = /^(add|delete) element inet \S+ (\S+) \{ (.*) \}$/.exec(line);
      if (!m) continue;
      for (const e of m[3]!.split(", ")) {
        if (m[1] === "add") state.add(`${m[2]} ${e}`);
        else
          for (const x of [...state])
            if (x === `${m[2]} ${e}` || x.startsWith(`${m[2]} ${e} : `)) state.delete(x);
      }
    }
  },
  iptables: (state, delta) => {
    for (const line of text(delta, "netpol.delta.ipset").split("\n")) {
      const [op, set, entry] = line.split(" ");
      if (op === "add") state.add(`${set} ${entry}`);
      if (op === "del") state.delete(`${set} ${entry}`);
    }
    for (const f of ["v4", "v6"])
      for (const line of text(delta, `netpol.delta.rules.${f}`).split("\n")) {
        if (line.startsWith("-D NETPOL-SELF ")) state.delete(`${f} ${line.replace("-D NETPOL-SELF ", "")}`);
        if (line.startsWith("-I NETPOL-SELF 1 ")) state.add(`${f} ${line.replace("-I NETPOL-SELF 1 ", "")}`);
      }
  },
  ebpf: (state, delta) => {
    for (const line of text(delta, "netpol-ebpf.delta.bpftool").split("\n")) {
      const del = /^map delete name (\S+) key hex (.*)$/.exec(line);
      const put = /^map update name (\S+) key hex (.*?) value hex/.exec(line);
      const m = del ?? put;
      if (!m) continue;
      for (const x of [...state]) if (x.startsWith(`${m[1]} key hex ${m[2]} value`)) state.delete(x);
      if (put) state.add(line.replace(/^map update name /, ""));
    }
  },
};

const clusters = clusterArbOf({
  maxPods: 6,
  maxPolicies: 3,
  maxRules: 3,
  tiers: { maxClusterPolicies: 2, maxClusterRules: 3 },
});

function cloneOf(pod: Pod, used: Set<string>, k: number): Pod {
  const fresh = (ip: string): string => {
    for (let h = 200 + k; h < 255; h++) {
      const c = ip.includes(":") ? ip.replace(/[0-9a-f]+$/, h.toString(16)) : ip.replace(/\d+$/, String(h));
      if (!used.has(c)) return c;
    }
    return ip;
  };
  return { ...pod, name: `${pod.name}-d${k}`, podIPs: pod.podIPs.map(fresh) };
}

describe("render deltas", () => {
  it("applied to the first render's members give the second's, for every backend", () => {
    const seen = { delta: 0, reload: 0 };
    const reloads: Record<string, number> = {};
    fc.assert(
      fc.property(clusters, fc.nat(100), fc.boolean(), (cluster, pick, remove) => {
        const pods = cluster.pods.filter(
          (p) => p.workload === undefined && !p.hostNetwork && p.podIPs.length > 0,
        );
        if (pods.length === 0) return;
        const pod = pods[pick % pods.length]!;
        const used = new Set(cluster.pods.flatMap((p) => p.podIPs));
        let state = compileState(cluster, { profile: "ipblock-external" });
        let change: ClusterChange = { type: "pod-put", pod: cloneOf(pod, used, pick % 40) };
        if (remove) {
          state = applyChange(state, change);
          change = { type: "pod-remove", namespace: pod.namespace, name: `${pod.name}-d${pick % 40}` };
        }
        const next = applyChange(state, change);
        for (const backend of Object.values(BUILTIN_BACKENDS)) {
          const d = renderDelta(state.table, next.table, backend, { unsupported: "warn" });
          if (d.reload) {
            seen.reload++;
            reloads[backend.name] = (reloads[backend.name] ?? 0) + 1;
            continue;
          }
          seen.delta++;
          const loaded = LOADED[backend.name]!(
            renderDelta(state.table, state.table, backend, { unsupported: "warn" }).after.artifacts,
          );
          APPLY[backend.name]!(loaded, d.artifacts);
          expect([...loaded].sort(), backend.name).toEqual(
            [...LOADED[backend.name]!(d.after.artifacts)].sort(),
          );
        }
      }),
      { numRuns: 150 },
    );
    console.log(`render deltas: ${JSON.stringify(seen)}, reloads by backend ${JSON.stringify(reloads)}`);
    expect(seen.delta).toBeGreaterThan(100);
  });
});
