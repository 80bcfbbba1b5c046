import {
  ACTION_ACCEPT,
  ACTION_DENY,
  ACTION_PASS,
  KIND_ADDRESS,
  KIND_POD,
  type PolicyTableIR,
  TIER_ADMIN,
  TIER_BASELINE,
  TIER_NETWORK_POLICY,
  V_ALLOW,
  V_DENY,
  V_OPEN,
  VARIANTS,
} from "../ir/policy-table-ir.ts";
import { InputError } from "../model/input-error.ts";
import { PROTOCOLS } from "../model/types.ts";
import { normalizeCIDR } from "../net/cidr.ts";

const bad = (path: string, message: string): InputError =>
  new InputError([{ code: "invalid-table", path, message }]);

/** Every entry of `xs` in [lo, hi), else an error naming the first that is not. */
function inRange(xs: ArrayLike<number>, lo: number, hi: number, path: string): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x < lo || x >= hi) throw bad(`${path}[${i}]`, `${x} is outside ${lo}…${hi - 1}`);
  }
}

function length(xs: { readonly length: number }, n: number, path: string): void {
  if (xs.length !== n) throw bad(path, `has ${xs.length} entries, expected ${n}`);
}

function stringList(xs: unknown, path: string): void {
  if (!Array.isArray(xs) || !xs.every((x) => typeof x === "string"))
    throw bad(path, "expected an array of strings");
}

/**
 * Check that a deserialised IR is internally consistent — every per-endpoint array has one entry
 * per endpoint, every index points inside the array it indexes, port rows are whole rows — so
 * that a damaged or hand-edited table is refused with the field that is wrong instead of being
 * read out of bounds (which a typed array answers with `undefined`, i.e. a silent "deny").
 * The typed-array fields must already be typed arrays.
 */
export function validateTable(ir: PolicyTableIR): void {
  stringList(ir.pods, "pods");
  stringList(ir.namespaces, "namespaces");
  stringList(ir.policies, "policies");
  stringList(ir.podCIDRs, "podCIDRs");
  ir.podCIDRs.forEach((c, i) => {
    if (normalizeCIDR(c) !== c) throw bad(`podCIDRs[${i}]`, "expected a CIDR in canonical form");
  });
  if (!Array.isArray(ir.addressClasses)) throw bad("addressClasses", "expected an array");
  ir.addressClasses.forEach((c, i) => {
    const ok =
      c !== null &&
      typeof c === "object" &&
      (c.family === 4 || c.family === 6) &&
      /^\d+$/.test(String(c.first)) &&
      /^\d+$/.test(String(c.last)) &&
      BigInt(c.first) <= BigInt(c.last);
    if (!ok) throw bad(`addressClasses[${i}]`, "expected {family: 4|6, first ≤ last as decimal strings}");
  });
  const P = ir.pods.length;
  const E = P + ir.addressClasses.length;
  const N = ir.namespaces.length;
  if (!Array.isArray(ir.podAddresses)) throw bad("podAddresses", "expected an array");
  length(ir.podAddresses, P, "podAddresses");
  stringList(ir.endpointKinds, "endpointKinds");
  length(ir.endpointKinds, P, "endpointKinds");
  stringList(ir.podOwners, "podOwners");
  length(ir.podOwners, P, "podOwners");
  if (!Array.isArray(ir.aliases)) throw bad("aliases", "expected an array");
  ir.aliases.forEach((a, i) => {
    const ok =
      Array.isArray(a) &&
      a.length === 2 &&
      typeof a[0] === "string" &&
      Number.isInteger(a[1]) &&
      a[1] >= -1 &&
      a[1] < P;
    if (!ok) throw bad(`aliases[${i}]`, "expected [name, pod index or -1]");
  });
  if (!Array.isArray(ir.podNamedPorts)) throw bad("podNamedPorts", "expected an array");
  length(ir.podNamedPorts, P, "podNamedPorts");
  for (const f of ["kind", "namespace", "primaryVariant", "variantMask", "node"] as const)
    length(ir[f], E, f);
  inRange(ir.kind, KIND_POD, KIND_ADDRESS + 1, "kind");
  inRange(ir.namespace, -1, N, "namespace");
  inRange(ir.primaryVariant, 0, VARIANTS, "primaryVariant");
  inRange(ir.variantMask, 0, 1 << VARIANTS, "variantMask");
  stringList(ir.nodes, "nodes");
  inRange(ir.node, -1, ir.nodes.length, "node");

  const K = ir.portClassCount;
  if (!Number.isInteger(K) || K < 1) throw bad("portClassCount", `expected a positive integer, got ${K}`);
  let classes = 0;
  for (const protocol of PROTOCOLS) {
    const starts = ir.portClassStarts?.[protocol];
    const at = `portClassStarts.${protocol}`;
    if (!Array.isArray(starts) || starts.length === 0 || starts[0] !== 0)
      throw bad(at, "expected an ascending array of ports starting at 0");
    for (let i = 1; i < starts.length; i++)
      if (!(Number.isInteger(starts[i]) && starts[i]! > starts[i - 1]! && starts[i]! <= 65535))
        throw bad(`${at}[${i}]`, "expected an ascending array of ports 0–65535");
    if (ir.portClassOffset?.[protocol] !== classes)
      throw bad(`portClassOffset.${protocol}`, `expected ${classes}, the classes of the protocols before it`);
    classes += starts.length;
  }
  if (classes !== K) throw bad("portClassCount", `is ${K}, but the protocols have ${classes} classes`);
  const rowCount = ir.rowStart.length - 1;
  if (rowCount < 1 || ir.rowStart[0] !== 0 || ir.rowStart[rowCount] !== ir.runClass.length)
    throw bad("rowStart", `expected run offsets from 0 to ${ir.runClass.length}, one more than the rows`);
  length(ir.runOutcome, ir.runClass.length, "runOutcome");
  for (let r = 0; r < rowCount; r++) {
    const a = ir.rowStart[r]!;
    const b = ir.rowStart[r + 1]!;
    if (b <= a) throw bad(`rowStart[${r + 1}]`, "every row has at least one run");
    if (ir.runClass[a] !== 0) throw bad(`runClass[${a}]`, `row ${r} does not start at port class 0`);
    for (let i = a + 1; i < b; i++)
      if (!(ir.runClass[i]! > ir.runClass[i - 1]! && ir.runClass[i]! < K))
        throw bad(`runClass[${i}]`, `runs of row ${r} must ascend within 0…${K - 1}`);
  }
  if (!Array.isArray(ir.clusterPolicies)) throw bad("clusterPolicies", "expected an array");
  ir.clusterPolicies.forEach((p, i) => {
    const ok =
      p !== null &&
      typeof p === "object" &&
      typeof p.kind === "string" &&
      typeof p.name === "string" &&
      (p.tier === "Admin" || p.tier === "Baseline") &&
      Number.isInteger(p.priority);
    if (!ok) throw bad(`clusterPolicies[${i}]`, "expected {kind, name, tier: Admin|Baseline, priority}");
  });
  if (ir.outcomes.length % 3 !== 0 || ir.outcomes.length < 6)
    throw bad(
      "outcomes",
      `length ${ir.outcomes.length} is not a whole number of (verdict, rule, pass) triples, the first two included`,
    );
  for (let o = 0; o < ir.outcomes.length; o += 3) {
    const v = ir.outcomes[o]!;
    if (v !== V_ALLOW && v !== V_DENY && v !== V_OPEN)
      throw bad(`outcomes[${o}]`, `${v} is not a verdict (0, 1, 3)`);
  }
  inRange(ir.runOutcome, 0, ir.outcomes.length / 3, "runOutcome");
  let ordinalLimit = 0;

  for (const d of ["egress", "ingress"] as const) {
    const dir = ir[d];
    const rules = dir.rules;
    if (!Array.isArray(rules)) throw bad(`${d}.rules`, "expected an array");
    rules.forEach((r, i) => {
      const policies = r?.tier === TIER_NETWORK_POLICY ? ir.policies.length : ir.clusterPolicies.length;
      const ok =
        (r?.tier === TIER_ADMIN || r?.tier === TIER_NETWORK_POLICY || r?.tier === TIER_BASELINE) &&
        (r.action === ACTION_ACCEPT || r.action === ACTION_DENY || r.action === ACTION_PASS) &&
        Number.isInteger(r.policy) &&
        r.policy >= 0 &&
        r.policy < policies &&
        Number.isInteger(r.index) &&
        r.index >= 0;
      if (!ok)
        throw bad(
          `${d}.rules[${i}]`,
          "expected {tier: 0|1|2, action: 0|1|2, policy: an index of policies (tier 1) or clusterPolicies, index ≥ 0}",
        );
    });
    const G = dir.groupPolicies?.length ?? 0;
    if (
      !Array.isArray(dir.groupPolicies) ||
      !Array.isArray(dir.groupRules) ||
      dir.groupRules.length !== G ||
      G < 1
    )
      throw bad(
        `${d}.groupPolicies`,
        "expected groupPolicies and groupRules of equal length, group 0 included",
      );
    dir.groupPolicies.forEach((ps, g) => {
      if (!Array.isArray(ps)) throw bad(`${d}.groupPolicies[${g}]`, "expected an array");
      inRange(ps, 0, ir.policies.length, `${d}.groupPolicies[${g}]`);
    });
    dir.groupRules.forEach((rs, g) => {
      if (!Array.isArray(rs)) throw bad(`${d}.groupRules[${g}]`, "expected an array");
      inRange(rs, 1, rules.length + 1, `${d}.groupRules[${g}]`);
    });
    length(dir.groupIsolated, G, `${d}.groupIsolated`);
    inRange(dir.groupIsolated, 0, 2, `${d}.groupIsolated`);
    if (!Array.isArray(dir.groupClusterPolicies) || dir.groupClusterPolicies.length !== G)
      throw bad(`${d}.groupClusterPolicies`, `expected an array of ${G} index lists`);
    dir.groupClusterPolicies.forEach((ps, g) => {
      if (!Array.isArray(ps)) throw bad(`${d}.groupClusterPolicies[${g}]`, "expected an array");
      inRange(ps, 0, ir.clusterPolicies.length, `${d}.groupClusterPolicies[${g}]`);
    });
    let maxRules = 0;
    for (const rs of dir.groupRules) maxRules = Math.max(maxRules, rs.length);
    ordinalLimit = Math.max(ordinalLimit, maxRules);
    length(dir.group, E, `${d}.group`);
    inRange(dir.group, 0, G, `${d}.group`);
    length(dir.globalBase, G, `${d}.globalBase`);
    length(dir.localBase, G, `${d}.localBase`);
    const C = dir.globalClassCount;
    if (!Number.isInteger(C) || C < 0) throw bad(`${d}.globalClassCount`, "expected an integer ≥ 0");
    length(dir.globalClass, VARIANTS * E, `${d}.globalClass`);
    inRange(dir.globalClass, -1, C, `${d}.globalClass`);
    length(dir.localClass, E, `${d}.localClass`);
    inRange(dir.localClass, -1, E, `${d}.localClass`);
    inRange(dir.globalCells, 0, rowCount, `${d}.globalCells`);
    inRange(dir.localCells, 0, rowCount, `${d}.localCells`);
    if (!Array.isArray(dir.groupRules)) throw bad(`${d}.groupRules`, "expected an array");
    // A group's rows must lie inside the cells, whichever class the query adds.
    const csr = (start: Int32Array, items: Int32Array, limit: number, name: string): void => {
      if (start.length < 1 || start[0] !== 0 || start[start.length - 1] !== items.length)
        throw bad(`${d}.${name}Start`, `expected offsets from 0 to ${items.length}`);
      for (let i = 1; i < start.length; i++)
        if (start[i]! < start[i - 1]!) throw bad(`${d}.${name}Start[${i}]`, "offsets must not decrease");
      inRange(items, 0, limit, `${d}.${name}s`);
    };
    csr(dir.peerClassStart, dir.peerClasses, C, "peerClass");
    length(dir.joinClass, 2 * ir.pods.length, `${d}.joinClass`);
    inRange(dir.joinClass, -1, C, `${d}.joinClass`);
    const globalPeers = dir.peerClassStart.length - 1;
    length(dir.localStart, N + 1, `${d}.localStart`);
    csr(dir.localClassPeerStart, dir.localClassPeers, 1 << 30, "localClassPeer");
    rules.forEach((r, i) => {
      if (!Array.isArray(r.globalPeers) || !Array.isArray(r.localPeers))
        throw bad(`${d}.rules[${i}]`, "expected globalPeers and localPeers arrays");
      inRange(r.globalPeers, 0, globalPeers, `${d}.rules[${i}].globalPeers`);
    });
    const S = dir.sparseDefault.length;
    length(dir.sparseStart, S + 1, `${d}.sparseStart`);
    length(dir.sparseRow, dir.sparseClass.length, `${d}.sparseRow`);
    inRange(dir.sparseDefault, 0, rowCount, `${d}.sparseDefault`);
    inRange(dir.sparseRow, 0, rowCount, `${d}.sparseRow`);
    if (dir.sparseStart[0] !== 0 || dir.sparseStart[S] !== dir.sparseClass.length)
      throw bad(`${d}.sparseStart`, `expected offsets from 0 to ${dir.sparseClass.length}`);
    for (let s = 0; s < S; s++)
      for (let i = dir.sparseStart[s]!; i < dir.sparseStart[s + 1]!; i++) {
        const c = dir.sparseClass[i]!;
        if (c < 0 || c >= C || (i > dir.sparseStart[s]! && c <= dir.sparseClass[i - 1]!))
          throw bad(`${d}.sparseClass[${i}]`, `classes of sparse block ${s} must ascend within 0…${C - 1}`);
      }
    for (let g = 0; g < G; g++) {
      const gb = dir.globalBase[g]!;
      if (gb < 0 ? -1 - gb >= S : gb + C > dir.globalCells.length)
        throw bad(
          `${d}.globalBase[${g}]`,
          gb < 0
            ? `sparse block ${-1 - gb} does not exist`
            : `${gb} + ${C} classes runs past ${d}.globalCells`,
        );
      const lb = dir.localBase[g]!;
      if (lb < 0 || lb > dir.localCells.length)
        throw bad(`${d}.localBase[${g}]`, `${lb} is past ${d}.localCells`);
    }
  }
  // Outcome ordinals index a group's rules: none may point past the longest group.
  for (let o = 0; o < ir.outcomes.length; o += 3)
    for (const at of [o + 1, o + 2])
      if (ir.outcomes[at]! < 0 || ir.outcomes[at]! > ordinalLimit)
        throw bad(`outcomes[${at}]`, `rule ordinal ${ir.outcomes[at]} is outside 0…${ordinalLimit}`);
}
