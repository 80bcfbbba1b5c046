// The README artifact: how to build, load and update the eBPF datapath, and what it decides.
import { BATCH_FILE, MAPS_JSON_FILE } from "./emit.ts";
import { MAPS } from "./layout.ts";
import { PROGRAM_FILE } from "./program.ts";

export function readme(node: string | undefined): string {
  return `netpol-engine eBPF datapath${node === undefined ? "" : ` for node ${node}`}

Files
  ${PROGRAM_FILE}   the tc program: the same bytes for every cluster (a policy change is a map update)
  ${BATCH_FILE}     the map entries as a bpftool batch
  ${MAPS_JSON_FILE}  the same entries as data (decoded fields)

Load on the node (as root, bpffs mounted on /sys/fs/bpf):
  clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -c ${PROGRAM_FILE} -o netpol-ebpf.o
  bpftool prog loadall netpol-ebpf.o /sys/fs/bpf/netpol type classifier pinmaps /sys/fs/bpf/netpol/maps
  sed 's|map update name \\([a-z0-9_]*\\)|map update pinned /sys/fs/bpf/netpol/maps/\\1|' ${BATCH_FILE} > maps.batch
  bpftool batch file maps.batch
  for each pod's host-side veth DEV:
    tc qdisc add dev DEV clsact
    tc filter add dev DEV ingress bpf da pinned /sys/fs/bpf/netpol/from_pod   (what the pod sends: its egress)
    tc filter add dev DEV egress bpf da pinned /sys/fs/bpf/netpol/to_pod      (what it receives: its ingress)
To apply a new policy, write the new entries and delete the ones that are gone; the program stays.
Integers in the batch are little-endian (x86-64, arm64).

What the program decides, per packet and direction (from_pod: the sender's egress, to_pod: the
receiver's ingress); a flow passes when both directions allow it:
  - only TCP, UDP and SCTP are policed (ICMP, ARP, ... pass); IPv4 and IPv6, IPv6 extension
    headers walked (up to 6); later fragments pass (the first one carries the ports and is judged);
  - replies: TCP packets other than a SYN without ACK, and SCTP packets other than INIT, pass (the
    first packet decides, as conntrack's NEW; the peer's stack drops what belongs to no
    connection); a UDP datagram passes when its reverse flow was let through by the other
    direction here (np_flows, an LRU table the program writes), else it is judged as new (also
    when the flow was evicted: more than the table's size of live UDP flows on the node);
  - the subject (egress: source, ingress: destination) is looked up in np_pods; an address that is
    not a rendered pod, or a pod in group 0 (no policy selects it), is not restricted;
  - the profile (np_config): a pod reaching itself passes; ingress from an address of the pod's
    own node (np_node4/6) passes;
  - else the subject's group (np_groups: its block, the block's default row, its local block), the
    peer's class (np_peer4/6, longest prefix), the row for (block, class) (np_cells, else the
    default row), and the verdict of (row, protocol, destination port) (np_verdicts, longest
    prefix): allow, deny (also when no entry), or local: allowed when the peer is a pod of the same
    namespace whose local class has a row in the group's local block (np_locals) allowing the port.

Maps (fixed sizes; hash and LPM maps allocate per entry):
${MAPS.map((m) => `  ${m.name.padEnd(12)} ${m.type.replace("BPF_MAP_TYPE_", "").toLowerCase().padEnd(9)} max ${String(m.maxEntries).padEnd(8)} ${m.doc}`).join("\n")}
`;
}
