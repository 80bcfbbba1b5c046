// One address family's `iptables-restore` input (the filter table, replaced whole on each load):
// FORWARD (pod to pod, through br_netfilter) and OUTPUT (node to pod) jump to NETPOL, which
// accepts replies, leaves protocols other than TCP/UDP/SCTP alone, and checks egress (the
// source's group) then ingress (the destination's group). Pods in no group of a direction are
// unrestricted in it. The ipsets the rules name are collected in `sets`.
import { EGRESS, INGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import {
  type Family,
  nodeIntervals,
  podsSharingAddresses,
  type RenderGroup,
  type RenderPod,
} from "../../ir/read-render.ts";
import { intervalCIDRs } from "../shared/addresses.ts";
import { appendAll } from "../shared/append.ts";
import { FirstSeen } from "../shared/first-seen.ts";
import type { RenderScope } from "../shared/scope.ts";
import { sanitizeComment } from "../shared/text.ts";
import { TextWriter } from "../shared/text-writer.ts";
import { type DirectionContext, groupChain, groupChains } from "./group-chains.ts";
import type { SetBook } from "./sets.ts";
import { type SharedChain, sharedChains } from "./shared-chains.ts";

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
  const owned = ownedAddresses(ir, scope.pods, family);
  const self = ir.profile.allowSelf && scope.subjects.some((p) => addrsOf(p, family).length > 0);
  const deny = self ? `-g ${DROP}` : "-j DROP";
  const chains: string[] = [ENTRY, POLICY, ...DIRECTION_CHAIN, ...(self ? [DROP, SELF] : [])];
  const rules = new TextWriter(1 << 20);
  rules.str(`-A FORWARD -j ${ENTRY}
-A OUTPUT -j ${ENTRY}
-A ${ENTRY} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
${["tcp", "udp", "sctp"].map((p) => `-A ${ENTRY} -p ${p} -j ${POLICY}`).join("\n")}
${DIRECTION_CHAIN.map((c) => `-A ${POLICY} -j ${c}`).join("\n")}
-A ${POLICY} -j ACCEPT
`);
  if (self) selfRules(rules, ir, scope.subjects, family, sets);
  if (ir.profile.allowFromOwnNode) ownNodeRules(rules, ir, scope, family, owned, sets);
  for (const direction of [EGRESS, INGRESS]) {
    const groups = scope.groups[direction]!.filter((g) => g.members.some((m) => owned[m]?.length));
    const shared = sharedChains(groups);
    dispatchRules(rules, direction, shared, family, owned, sets);
    const ctx: DirectionContext = { ir, direction, family, sets, deny };
    appendAll(
      chains,
      groupChains(
        ctx,
        shared.map((c) => c.first),
        rules,
      ),
    );
  }
  const out = new TextWriter(rules.length + 32 * chains.length + 1024);
  for (const h of header) out.str("# ").str(h).nl();
  out.str("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
  for (const c of chains) out.str(":").str(c).str(" - [0:0]\n");
  return out.append(rules).str("COMMIT\n").text();
}

/** Per endpoint index: its owned addresses of a family (undefined: not a rendered pod). */
type Owned = readonly (readonly string[] | undefined)[];

/**
 * Per pod index: the addresses of the family it owns (a shared address: the first pod's, as in
 * the render view); sets list them as host entries.
 */
function ownedAddresses(ir: PolicyTableIR, pods: readonly RenderPod[], family: Family): Owned {
  const sharing = podsSharingAddresses(ir);
  const taken = new Set<string>(); // only addresses several pods hold can be taken before
  const out: (readonly string[] | undefined)[] = new Array(ir.kind.length);
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!;
    const addrs = addrsOf(p, family);
    if (sharing[p.index] !== 1) {
      out[p.index] = addrs; // no address of it is another pod's, none listed twice
      continue;
    }
    const own: string[] = [];
    for (let j = 0; j < addrs.length; j++) {
      const a = addrs[j]!;
      if (taken.has(a)) continue;
      taken.add(a);
      own.push(a);
    }
    out[p.index] = own;
  }
  return out;
}

/**
 * A subject's address selects its group's chain (egress: the source; ingress: the destination);
 * groups sharing a chain share its dispatch set.
 */
function dispatchRules(
  out: TextWriter,
  direction: number,
  chains: readonly SharedChain[],
  family: Family,
  owned: Owned,
  sets: SetBook,
): void {
  const d = direction === EGRESS ? "e" : "i";
  const field = direction === EGRESS ? "src" : "dst";
  const dir = direction === EGRESS ? "egress" : "ingress";
  for (const { first: g, groups } of chains) {
    const what =
      groups.length === 1
        ? `${dir} group ${g.id}: ${g.members.length} pods of namespace ${g.namespace}`
        : sharedText(dir, groups);
    const members: string[] = [];
    for (const group of groups)
      for (const m of group.members) for (const a of owned[m] ?? []) members.push(a);
    const set = sets.use(family, `${d}-g${g.id}`, members, what, true);
    if (set === undefined) continue;
    out.str("-A ").str(DIRECTION_CHAIN[direction]!).str(" -m set --match-set ").str(set).sp().str(field);
    out
      .str(' -m comment --comment "')
      .str(sanitizeComment(what, 200))
      .str('" -g ')
      .str(groupChain(direction, g.id))
      .nl();
  }
}

/** The comment of a chain several groups share: their ids, pods and namespaces. */
function sharedText(dir: string, groups: readonly RenderGroup[]): string {
  const pods = groups.reduce((n, g) => n + g.members.length, 0);
  const namespaces = new Set(groups.map((g) => g.namespace));
  const where = namespaces.size === 1 ? `namespace ${groups[0]!.namespace}` : `${namespaces.size} namespaces`;
  return `${dir} groups ${groups.map((g) => g.id).join(",")}: ${pods} pods of ${where}`;
}

/**
 * Self traffic (a pod to its own addresses), checked only where a direction would drop: the
 * subjects' addresses guard a chain of their (source, destination) pairs — linear in pods. An
 * address shared by pods (hostNetwork pods share their node's) is listed once, a pair once.
 */
function selfRules(
  out: TextWriter,
  ir: PolicyTableIR,
  subjects: readonly RenderPod[],
  family: Family,
  sets: SetBook,
): void {
  const host = hostPrefix(family);
  // Only a pod holding an address held twice (by two pods, or listed twice) can repeat one, or a pair.
  const sharing = podsSharingAddresses(ir);
  const addrs = new FirstSeen();
  const pairs = new TextWriter();
  const seenPairs = new Set<string>();
  const src = `-A ${SELF} -s `;
  const dst = `${host} -d `;
  const accept = `${host} -j ACCEPT\n`;
  for (const p of subjects) {
    const mine = addrsOf(p, family);
    const may = sharing[p.index] === 1;
    for (const a of mine) addrs.add(a, may);
    for (const a of mine)
      for (const b of mine) {
        if (may) {
          const pair = `${a} ${b}`;
          if (seenPairs.has(pair)) continue;
          seenPairs.add(pair);
        }
        pairs.str(src).str(a).str(dst).str(b).str(accept);
      }
  }
  const guard = sets.use(family, "self", addrs.list, "subject pods' addresses (self traffic)", true);
  if (guard !== undefined) out.str(`-A ${DROP} -m set --match-set ${guard} src -g ${SELF}\n`);
  out.str(`-A ${DROP} -j DROP\n`).append(pairs).str(`-A ${SELF} -j DROP\n`);
}

/** Ingress from an address of the subject pod's own node: one rule per node (its addresses, its pods). */
function ownNodeRules(
  out: TextWriter,
  ir: PolicyTableIR,
  scope: RenderScope,
  family: Family,
  owned: Owned,
  sets: SetBook,
): void {
  const nodes = nodeIntervals(ir, family);
  const grouped = new Uint8Array(ir.kind.length);
  for (const g of scope.groups[INGRESS]) for (const m of g.members) grouped[m] = 1;
  // The policed subjects' owned addresses per node, in subject order.
  const onNode = new Map<string, string[]>();
  for (const p of scope.subjects) {
    if (p.node === undefined || grouped[p.index] === 0) continue;
    let list = onNode.get(p.node);
    if (list === undefined) onNode.set(p.node, (list = []));
    for (const a of owned[p.index] ?? []) list.push(a);
  }
  ir.nodes.forEach((name, n) => {
    const pods = onNode.get(name) ?? [];
    const addresses = (nodes.get(name) ?? []).flatMap((i) => intervalCIDRs(i, family));
    if (addresses.length === 0 || pods.length === 0) return;
    const from = sets.use(family, `node${n}`, addresses, `addresses of node ${name}`);
    const to = sets.use(family, `on${n}`, pods, `policed pods on node ${name}`, true);
    out.str(
      `-A ${DIRECTION_CHAIN[INGRESS]} -m set --match-set ${from} src -m set --match-set ${to} dst -j RETURN\n`,
    );
  });
}
