// One address family's `iptables-restore` input (the filter table, replaced whole on each load):
// FORWARD (pod to pod, through br_netfilter) and OUTPUT (node to pod) jump to NETPOL, which
// accepts replies, leaves protocols other than TCP/UDP/SCTP alone, and checks egress (the
// source's group) then ingress (the destination's group). Pods in no group of a direction are
// unrestricted in it. The ipsets the rules name are collected in `sets`.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import { type Family, nodeIntervals, type RenderGroup, type RenderPod } from "../../ir/read-render.ts";
import { intervalCIDRs } from "../shared/addresses.ts";
import { appendAll } from "../shared/append.ts";
import type { RenderScope } from "../shared/scope.ts";
import { sanitizeComment } from "../shared/text.ts";
import { type DirectionContext, groupChain, groupChains } from "./group-chains.ts";
import type { SetBook } from "./sets.ts";

const ENTRY = "NETPOL";
const POLICY = "NETPOL-POLICY";
const DIRECTION_CHAIN = ["NETPOL-EGRESS", "NETPOL-INGRESS"] as const;
const DROP = "NETPOL-DROP";
const SELF = "NETPOL-SELF";

const addrsOf = (pod: RenderPod, f: Family): readonly string[] => (f === 4 ? pod.v4 : pod.v6);
const hostPrefix = (f: Family): string => (f === 4 ? "/32" : "/128");

export function renderFamily(
  ir: PolicyTableIR,
  scope: RenderScope,
  family: Family,
  sets: SetBook,
  header: readonly string[],
): string {
  const owned = ownedAddresses(scope.pods, family);
  const self = ir.profile.allowSelf && scope.subjects.some((p) => addrsOf(p, family).length > 0);
  const deny = self ? `-g ${DROP}` : "-j DROP";
  const chains: string[] = [ENTRY, POLICY, ...DIRECTION_CHAIN, ...(self ? [DROP, SELF] : [])];
  const rules: string[] = [
    `-A FORWARD -j ${ENTRY}`,
    `-A OUTPUT -j ${ENTRY}`,
    `-A ${ENTRY} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    ...["tcp", "udp", "sctp"].map((p) => `-A ${ENTRY} -p ${p} -j ${POLICY}`),
    ...DIRECTION_CHAIN.map((c) => `-A ${POLICY} -j ${c}`),
    `-A ${POLICY} -j ACCEPT`,
  ];
  if (self) appendAll(rules, selfRules(scope.subjects, family, sets));
  if (ir.profile.allowFromOwnNode) appendAll(rules, ownNodeRules(ir, scope, family, owned, sets));
  for (const direction of [EGRESS, INGRESS]) {
    const groups = scope.groups[direction]!.filter((g) => g.members.some((m) => owned.get(m)?.length));
    appendAll(rules, dispatchRules(direction, groups, family, owned, sets));
    const ctx: DirectionContext = { ir, direction, family, sets, deny };
    const { chains: c, rules: r } = groupChains(ctx, groups);
    appendAll(chains, c);
    appendAll(rules, r);
  }
  return `${[
    ...header.map((h) => `# ${h}`),
    "*filter",
    ":INPUT ACCEPT [0:0]",
    ":FORWARD ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ...chains.map((c) => `:${c} - [0:0]`),
    ...rules,
    "COMMIT",
  ].join("\n")}\n`;
}

/** Per pod index: the addresses of the family it owns (a shared address: the first pod's, as in the render view). */
function ownedAddresses(pods: readonly RenderPod[], family: Family): Map<number, string[]> {
  const taken = new Set<string>();
  const out = new Map<number, string[]>();
  for (const p of pods) {
    const own = addrsOf(p, family).filter((a) => !taken.has(a));
    for (const a of own) taken.add(a);
    out.set(p.index, own);
  }
  return out;
}

/** A subject's address selects its group's chain (egress: the source; ingress: the destination). */
function dispatchRules(
  direction: number,
  groups: readonly RenderGroup[],
  family: Family,
  owned: ReadonlyMap<number, readonly string[]>,
  sets: SetBook,
): string[] {
  const d = direction === EGRESS ? "e" : "i";
  const field = direction === EGRESS ? "src" : "dst";
  const out: string[] = [];
  for (const g of groups) {
    const what = `${direction === EGRESS ? "egress" : "ingress"} group ${g.id}: ${g.members.length} pods of namespace ${g.namespace}`;
    const members = g.members.flatMap((m) => (owned.get(m) ?? []).map((a) => a + hostPrefix(family)));
    const set = sets.use(family, `${d}-g${g.id}`, members, what);
    if (set === undefined) continue;
    out.push(
      `-A ${DIRECTION_CHAIN[direction]} -m set --match-set ${set} ${field} -m comment --comment "${sanitizeComment(what, 200)}" -g ${groupChain(direction, g.id)}`,
    );
  }
  return out;
}

/**
 * Self traffic (a pod to its own addresses), checked only where a direction would drop: the
 * subjects' addresses guard a chain of their (source, destination) pairs — linear in pods.
 */
function selfRules(subjects: readonly RenderPod[], family: Family, sets: SetBook): string[] {
  const addrs = subjects.flatMap((p) => addrsOf(p, family).map((a) => a + hostPrefix(family)));
  const guard = sets.use(family, "self", addrs, "subject pods' addresses (self traffic)");
  const pairs = new Set(
    subjects.flatMap((p) =>
      addrsOf(p, family).flatMap((a) =>
        addrsOf(p, family).map(
          (b) => `-A ${SELF} -s ${a}${hostPrefix(family)} -d ${b}${hostPrefix(family)} -j ACCEPT`,
        ),
      ),
    ),
  );
  return [
    ...(guard === undefined ? [] : [`-A ${DROP} -m set --match-set ${guard} src -g ${SELF}`]),
    `-A ${DROP} -j DROP`,
    ...pairs,
    `-A ${SELF} -j DROP`,
  ];
}

/** Ingress from an address of the subject pod's own node: one rule per node (its addresses, its pods). */
function ownNodeRules(
  ir: PolicyTableIR,
  scope: RenderScope,
  family: Family,
  owned: ReadonlyMap<number, readonly string[]>,
  sets: SetBook,
): string[] {
  const nodes = nodeIntervals(ir, family);
  const grouped = new Set(scope.groups[INGRESS].flatMap((g) => g.members));
  const out: string[] = [];
  ir.nodes.forEach((name, n) => {
    const addresses = (nodes.get(name) ?? []).flatMap((i) => intervalCIDRs(i, family));
    const pods = scope.subjects
      .filter((p) => p.node === name && grouped.has(p.index))
      .flatMap((p) => (owned.get(p.index) ?? []).map((a) => a + hostPrefix(family)));
    if (addresses.length === 0 || pods.length === 0) return;
    const from = sets.use(family, `node${n}`, addresses, `addresses of node ${name}`);
    const to = sets.use(family, `on${n}`, pods, `policed pods on node ${name}`);
    out.push(
      `-A ${DIRECTION_CHAIN[INGRESS]} -m set --match-set ${from} src -m set --match-set ${to} dst -j RETURN`,
    );
  });
  return out;
}
