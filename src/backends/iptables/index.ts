// The iptables backend: `ipset restore` input (netpol.ipset) and `iptables-restore` /
// `ip6tables-restore` input for the filter table (netpol.rules.v4, netpol.rules.v6), plus a README.
// A chain per group and direction (groups with equal rules share one); peers resolved by set
// matches (never pod pairs).

import type { PolicyTableIR } from "../../ir/policy-table-ir.ts";
import type { Artifact, Backend, BackendRenderOptions } from "../contract.ts";
import { renderScope } from "../shared/scope.ts";
import { sanitizeComment } from "../shared/text.ts";
import { iptablesDelta } from "./delta.ts";
import { renderFamily } from "./render-family.ts";
import { SetBook } from "./sets.ts";

const README = `netpol-engine iptables rules

Load on the node (as root), the sets first (the rules name them):
  ipset restore -exist < netpol.ipset
  iptables-restore --test < netpol.rules.v4 && iptables-restore < netpol.rules.v4
  ip6tables-restore --test < netpol.rules.v6 && ip6tables-restore < netpol.rules.v6

The rules files replace the whole filter table (as /etc/iptables/rules.v4 does), so loading
them again gives the same rules. FORWARD (pod-to-pod traffic; bridged pods need br_netfilter)
and OUTPUT (node to pod) jump to NETPOL: replies (RELATED,ESTABLISHED) are accepted first,
protocols other than TCP, UDP and SCTP are not policed, then the source pod's egress chain and
the destination pod's ingress chain (NP-E<group>, NP-I<group>; groups whose rules are equal
share one chain, named after the first of them) must both allow. Pods in no
policy group of a direction are unrestricted in it. Traffic to the node's own addresses (INPUT)
is not policed.

netpol.ipset creates each set if missing, flushes and fills it (hash:net; "nomatch" entries are
holes: a pod address of another class inside a range). Sets of an older render that this one no
longer names can be removed after the rules are loaded: ipset destroy <name>.

Remove: iptables -F NETPOL (or restore an empty filter table), then ipset destroy for the np4-* /
np6-* sets.
`;

export const iptablesBackend: Backend = {
  name: "iptables",
  description:
    "ipset restore + iptables-restore / ip6tables-restore input: a chain per group and direction, peers as sets",
  capabilities: {
    features: ["ipv4", "ipv6", "sctp", "port-ranges", "cluster-tiers", "deny-rules", "node-scope"],
  },
  delta: iptablesDelta,
  render(ir, options): Artifact[] {
    return renderIptables(ir, options);
  },
};

function renderIptables(ir: PolicyTableIR, options: BackendRenderOptions): Artifact[] {
  const scope = renderScope(ir, options);
  const header = [
    `netpol-engine: NetworkPolicy and admin/baseline tiers as iptables (IR v${ir.version}, profile ${sanitizeComment(ir.profile.name)})`,
    `scope: ${options.node === undefined ? "the whole cluster" : `pods on node ${sanitizeComment(options.node)}`}; ${scope.subjects.length} pods, ${scope.groups[0].length} egress and ${scope.groups[1].length} ingress groups`,
  ];
  const sets = new SetBook(header);
  const v4 = renderFamily(ir, scope, 4, sets, header);
  const v6 = renderFamily(ir, scope, 6, sets, header);
  return [
    { path: "README", content: README },
    { path: "netpol.ipset", content: sets.restoreText() },
    { path: "netpol.rules.v4", content: v4 },
    { path: "netpol.rules.v6", content: v6 },
  ];
}
