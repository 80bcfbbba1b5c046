// The eBPF datapath's maps: names, kinds, key and value layouts and fixed sizes, shared by the C
// program (program.ts declares them from this list) and the map contents (maps.ts encodes them).
// Sizes are fixed constants so that the program is the same bytes for every cluster; the hash and
// LPM maps allocate per entry (BPF_F_NO_PREALLOC), so a generous limit costs nothing until used.

/** One map of the program. */
export interface MapSpec {
  /** Its name in the object file and in `bpftool map update name …` (at most 15 characters). */
  readonly name: MapName;
  readonly type:
    | "BPF_MAP_TYPE_HASH"
    | "BPF_MAP_TYPE_LPM_TRIE"
    | "BPF_MAP_TYPE_ARRAY"
    | "BPF_MAP_TYPE_LRU_HASH";
  /** The C key and value types (structs defined in program.ts). */
  readonly key: string;
  readonly value: string;
  readonly maxEntries: number;
  readonly noPrealloc: boolean;
  /** What it holds, for the README and the C comment. */
  readonly doc: string;
}

export type MapName =
  | "np_config"
  | "np_pods"
  | "np_groups"
  | "np_cells"
  | "np_locals"
  | "np_verdicts"
  | "np_peer4"
  | "np_peer6"
  | "np_node4"
  | "np_node6"
  | "np_flows";

/** The maps in the order the program declares them and the data lists them. */
export const MAPS: readonly MapSpec[] = [
  spec(
    "np_config",
    "BPF_MAP_TYPE_ARRAY",
    "__u32",
    "__u32",
    1,
    false,
    "profile flags (1 allowSelf, 2 allowFromOwnNode)",
  ),
  spec(
    "np_pods",
    "BPF_MAP_TYPE_HASH",
    "struct addr_key",
    "struct pod_info",
    1 << 18,
    true,
    "pod address → pod, namespace, node, group and local class per direction",
  ),
  spec(
    "np_groups",
    "BPF_MAP_TYPE_HASH",
    "struct group_key",
    "struct group_info",
    1 << 18,
    true,
    "(direction, group) → its block, the block's default row, its local block (none: ~0)",
  ),
  spec(
    "np_cells",
    "BPF_MAP_TYPE_HASH",
    "struct class_key",
    "__u32",
    1 << 20,
    true,
    "(direction, block, peer class) → row, where it differs from the block's default",
  ),
  spec(
    "np_locals",
    "BPF_MAP_TYPE_HASH",
    "struct class_key",
    "__u32",
    1 << 20,
    true,
    "(direction, local block, same-namespace local class) → row of the ports it allows",
  ),
  spec(
    "np_verdicts",
    "BPF_MAP_TYPE_LPM_TRIE",
    "struct verdict_key",
    "__u32",
    1 << 20,
    true,
    "(row, protocol, port prefix) → 0 deny, 1 allow, 2 local (the local row decides); longest prefix wins, none: deny",
  ),
  spec(
    "np_peer4",
    "BPF_MAP_TYPE_LPM_TRIE",
    "struct peer4_key",
    "__u32",
    1 << 20,
    true,
    "(direction, IPv4 prefix) → peer class; covers the whole space per rendered direction",
  ),
  spec(
    "np_peer6",
    "BPF_MAP_TYPE_LPM_TRIE",
    "struct peer6_key",
    "__u32",
    1 << 20,
    true,
    "(direction, IPv6 prefix) → peer class; covers the whole space per rendered direction",
  ),
  spec(
    "np_node4",
    "BPF_MAP_TYPE_LPM_TRIE",
    "struct node4_key",
    "__u32",
    1 << 16,
    true,
    "node IPv4 prefix → node id (index + 1), for the own-node rule",
  ),
  spec(
    "np_node6",
    "BPF_MAP_TYPE_LPM_TRIE",
    "struct node6_key",
    "__u32",
    1 << 16,
    true,
    "node IPv6 prefix → node id (index + 1), for the own-node rule",
  ),
  spec(
    "np_flows",
    "BPF_MAP_TYPE_LRU_HASH",
    "struct flow_key",
    "__u32",
    1 << 15,
    false,
    "UDP flows let through (1 by egress, 2 by ingress): their replies pass; written by the program",
  ),
];

function spec(
  name: MapName,
  type: MapSpec["type"],
  key: string,
  value: string,
  maxEntries: number,
  noPrealloc: boolean,
  doc: string,
): MapSpec {
  return { name, type, key, value, maxEntries, noPrealloc, doc };
}

export const mapSpec = (name: MapName): MapSpec => MAPS.find((m) => m.name === name)!;

/** Directions as the program numbers them (the IR's: 0 egress, 1 ingress). */
export const DIR_EGRESS = 0;
export const DIR_INGRESS = 1;
/** A direction's name in the maps' JSON. */
export const dirName = (d: number): string => (d === DIR_EGRESS ? "egress" : "ingress");
/** np_verdicts values (deny: also no entry). */
export const VERDICT_DENY = 0;
export const VERDICT_ALLOW = 1;
export const VERDICT_LOCAL = 2;
/** np_config flags. */
export const FLAG_ALLOW_SELF = 1;
export const FLAG_ALLOW_OWN_NODE = 2;
/** np_pods: no local class (a namespace no group of which has local rules); np_groups: no local block. */
export const NO_LOCAL = 0xffffffff;

/** IANA protocol numbers, as the packet and the keys carry them. */
export const PROTOCOL_NUMBER = { TCP: 6, UDP: 17, SCTP: 132 } as const;

// Keys and values are written as bpftool's `hex` text by ByteText (backends/shared/byte-text.ts).
// Integer fields (u32) are in host order, little-endian (x86-64, arm64): the LPM prefix length
// must be, and the rest follows. Bytes compared by an LPM trie (rows, ports, addresses) are
// big-endian, most significant first.
