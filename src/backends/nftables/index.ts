// The nftables backend: one idempotent `nft -f` script (render-nftables.ts) and a README.

import type { Artifact, Backend } from "../contract.ts";
import { nftablesDelta } from "./delta.ts";
import { NFT_TABLE, renderNftables } from "./render-nftables.ts";

const README = `netpol-engine nftables rules

Load on the node (as root):   nft -c -f netpol.nft && nft -f netpol.nft
Remove:                       nft delete table inet ${NFT_TABLE}

The script replaces table inet ${NFT_TABLE} each time it is loaded. Its forward and output
chains police pod traffic (TCP, UDP, SCTP; replies are allowed through conntrack); other
protocols are not policed. The chains use the packet mark as scratch space.
`;

export const nftablesBackend: Backend = {
  name: "nftables",
  description:
    "one idempotent nft -f script: interval maps address → class, verdict maps (class . protocol . port)",
  capabilities: {
    features: ["ipv4", "ipv6", "sctp", "port-ranges", "cluster-tiers", "deny-rules", "node-scope"],
  },
  delta: nftablesDelta,
  render(ir, options): Artifact[] {
    return [
      { path: "README", content: README },
      { path: "netpol.nft", content: renderNftables(ir, options) },
    ];
  },
};
