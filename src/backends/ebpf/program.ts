// The fixed tc datapath program (C, clang -target bpf): the same bytes for every cluster, since
// everything a cluster says is in the maps (layout.ts). `from_pod` (tc ingress of a pod's veth:
// what the pod sends) polices the sender's egress, `to_pod` (tc egress: what it receives) the
// receiver's ingress. The README (readme.ts) explains the lookups and the reply rule.
import {
  DIR_EGRESS,
  DIR_INGRESS,
  FLAG_ALLOW_OWN_NODE,
  FLAG_ALLOW_SELF,
  MAPS,
  type MapSpec,
  VERDICT_ALLOW,
  VERDICT_LOCAL,
} from "./layout.ts";

/** The program's file name among the artifacts. */
export const PROGRAM_FILE = "netpol-ebpf.c";

const mapDecl = (m: MapSpec): string =>
  [
    `/* ${m.doc} */`,
    "struct {",
    `  __uint(type, ${m.type});`,
    `  __uint(max_entries, ${m.maxEntries});`,
    `  __type(key, ${m.key});`,
    `  __type(value, ${m.value});`,
    ...(m.noPrealloc ? ["  __uint(map_flags, BPF_F_NO_PREALLOC);"] : []),
    `} ${m.name} SEC(".maps");`,
  ].join("\n");

const HEAD = `// netpol-engine eBPF datapath: a fixed tc program; a policy change is a map update.
// Build: clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c netpol-ebpf.c -o netpol-ebpf.o
// Attach from_pod at tc ingress and to_pod at tc egress of every pod's host-side veth.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define DIR_EGRESS ${DIR_EGRESS}
#define DIR_INGRESS ${DIR_INGRESS}
#define VERDICT_ALLOW ${VERDICT_ALLOW}
#define VERDICT_LOCAL ${VERDICT_LOCAL}
#define FLAG_ALLOW_SELF ${FLAG_ALLOW_SELF}
#define FLAG_ALLOW_OWN_NODE ${FLAG_ALLOW_OWN_NODE}
#define SEEN_EGRESS 1
#define SEEN_INGRESS 2

/* An address of one family: IPv4 in addr[0..3], the rest zero. */
struct addr_key { __u8 family; __u8 pad[3]; __u8 addr[16]; };
struct pod_info { __u32 pod; __u32 ns; __u32 node; __u32 group[2]; __u32 local[2]; };
struct group_key { __u32 dir; __u32 group; };
struct group_info { __u32 block; __u32 default_row; __u32 local_block; };
/* np_cells: (dir, block, peer class); np_locals: (dir, local block, local class). */
struct class_key { __u32 dir; __u32 block; __u32 cls; };
/* LPM keys: the prefix length counts bits of the bytes after it, most significant first. */
struct verdict_key { __u32 prefixlen; __u8 row[4]; __u8 proto; __u8 port[2]; __u8 pad; };
struct peer4_key { __u32 prefixlen; __u8 dir; __u8 addr[4]; __u8 pad[3]; };
struct peer6_key { __u32 prefixlen; __u8 dir; __u8 addr[16]; __u8 pad[3]; };
struct node4_key { __u32 prefixlen; __u8 addr[4]; };
struct node6_key { __u32 prefixlen; __u8 addr[16]; };
struct flow_key { __u8 family; __u8 proto; __u16 sport; __u16 dport; __u16 pad; __u8 src[16]; __u8 dst[16]; };
`;

const BODY = `
/* A packet as policed: family, L4 protocol, ports (host order), addresses; judge: the first
 * packet of a flow (TCP SYN without ACK, SCTP INIT, any UDP datagram that is not a reply). */
struct packet { __u8 family; __u8 proto; __u8 judge; __u16 sport; __u16 dport; __u8 src[16]; __u8 dst[16]; };

/* 0: a TCP/UDP/SCTP packet with its ports; -1: not policed (other protocols, later fragments). */
static __always_inline int parse(struct __sk_buff *skb, struct packet *p) {
  __u16 eth_proto;
  __u32 off;
  __u8 nh;
  __builtin_memset(p, 0, sizeof(*p));
  if (bpf_skb_load_bytes(skb, 12, &eth_proto, 2) < 0) return -1;
  if (eth_proto == bpf_htons(ETH_P_IP)) {
    struct iphdr ip;
    if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0) return -1;
    if (ip.ihl < 5 || (ip.frag_off & bpf_htons(0x1fff)) != 0) return -1;
    p->family = 4;
    __builtin_memcpy(p->src, &ip.saddr, 4);
    __builtin_memcpy(p->dst, &ip.daddr, 4);
    nh = ip.protocol;
    off = ETH_HLEN + ip.ihl * 4;
  } else if (eth_proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr ip6;
    if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip6, sizeof(ip6)) < 0) return -1;
    p->family = 6;
    __builtin_memcpy(p->src, &ip6.saddr, 16);
    __builtin_memcpy(p->dst, &ip6.daddr, 16);
    nh = ip6.nexthdr;
    off = ETH_HLEN + sizeof(ip6);
#pragma unroll
    for (int i = 0; i < 6; i++) {
      __u8 h[4];
      if (nh != 0 && nh != 43 && nh != 60 && nh != 44 && nh != 51) break;
      if (bpf_skb_load_bytes(skb, off, h, 4) < 0) return -1;
      if (nh == 44) { /* fragment: only the first one carries the ports */
        if (((h[2] << 8 | h[3]) & 0xfff8) != 0) return -1;
        off += 8;
      } else if (nh == 51) {
        off += (h[1] + 2) * 4;
      } else {
        off += (h[1] + 1) * 8;
      }
      nh = h[0];
    }
  } else {
    return -1;
  }
  p->proto = nh;
  __u8 l4[14];
  if (nh == IPPROTO_TCP) {
    if (bpf_skb_load_bytes(skb, off, l4, 14) < 0) return -1;
    p->judge = (l4[13] & 0x02) != 0 && (l4[13] & 0x10) == 0;
  } else if (nh == IPPROTO_UDP) {
    if (bpf_skb_load_bytes(skb, off, l4, 4) < 0) return -1;
    p->judge = 1;
  } else if (nh == IPPROTO_SCTP) {
    if (bpf_skb_load_bytes(skb, off, l4, 13) < 0) return -1;
    p->judge = l4[12] == 1;
  } else {
    return -1;
  }
  p->sport = l4[0] << 8 | l4[1];
  p->dport = l4[2] << 8 | l4[3];
  return 0;
}

/* np_verdicts: what row says of (protocol, port); 0 = deny. */
static __always_inline __u32 row_verdict(__u32 row, __u8 proto, __u16 port) {
  struct verdict_key k = {};
  k.prefixlen = 56;
  k.row[0] = row >> 24;
  k.row[1] = row >> 16;
  k.row[2] = row >> 8;
  k.row[3] = row;
  k.proto = proto;
  k.port[0] = port >> 8;
  k.port[1] = port;
  __u32 *v = bpf_map_lookup_elem(&np_verdicts, &k);
  return v ? *v : 0;
}

/* The peer class of an address in a direction; 0 when the trie has none (never for rendered data). */
static __always_inline __u32 *peer_class(__u32 dir, __u8 family, const __u8 *addr) {
  if (family == 4) {
    struct peer4_key k = {};
    k.prefixlen = 40;
    k.dir = dir;
    __builtin_memcpy(k.addr, addr, 4);
    return bpf_map_lookup_elem(&np_peer4, &k);
  }
  struct peer6_key k = {};
  k.prefixlen = 136;
  k.dir = dir;
  __builtin_memcpy(k.addr, addr, 16);
  return bpf_map_lookup_elem(&np_peer6, &k);
}

static __always_inline __u32 node_of(__u8 family, const __u8 *addr) {
  __u32 *n;
  if (family == 4) {
    struct node4_key k = {};
    k.prefixlen = 32;
    __builtin_memcpy(k.addr, addr, 4);
    n = bpf_map_lookup_elem(&np_node4, &k);
  } else {
    struct node6_key k = {};
    k.prefixlen = 128;
    __builtin_memcpy(k.addr, addr, 16);
    n = bpf_map_lookup_elem(&np_node6, &k);
  }
  return n ? *n : 0;
}

/* One direction's verdict for a first packet: the subject (egress: source, ingress: destination)
 * and its group, the peer's class, the block's row, the (protocol, port) verdict, local rows. */
static __always_inline int allowed(__u32 dir, const struct packet *p) {
  struct addr_key sk = {}, pk = {};
  sk.family = p->family;
  pk.family = p->family;
  __builtin_memcpy(sk.addr, dir == DIR_EGRESS ? p->src : p->dst, 16);
  __builtin_memcpy(pk.addr, dir == DIR_EGRESS ? p->dst : p->src, 16);
  struct pod_info *subject = bpf_map_lookup_elem(&np_pods, &sk);
  if (!subject) return 1; /* not a pod rendered here */
  struct group_key gk = {dir, subject->group[dir & 1]};
  if (gk.group == 0) return 1; /* no policy selects it in this direction */
  struct group_info *group = bpf_map_lookup_elem(&np_groups, &gk);
  if (!group) return 0;
  __u32 zero = 0;
  __u32 *flags = bpf_map_lookup_elem(&np_config, &zero);
  __u32 f = flags ? *flags : 0;
  struct pod_info *peer = bpf_map_lookup_elem(&np_pods, &pk);
  if ((f & FLAG_ALLOW_SELF) && peer && peer->pod == subject->pod) return 1;
  if (dir == DIR_INGRESS && (f & FLAG_ALLOW_OWN_NODE) && !peer && subject->node != 0 &&
      node_of(p->family, pk.addr) == subject->node)
    return 1;
  __u32 *cls = peer_class(dir, p->family, pk.addr);
  if (!cls) return 0;
  struct class_key ck = {dir, group->block, *cls};
  __u32 *cell = bpf_map_lookup_elem(&np_cells, &ck);
  __u32 v = row_verdict(cell ? *cell : group->default_row, p->proto, p->dport);
  if (v == VERDICT_ALLOW) return 1;
  if (v != VERDICT_LOCAL || !peer || peer->ns != subject->ns) return 0;
  struct class_key lk = {dir, group->local_block, peer->local[dir & 1]};
  __u32 *lrow = bpf_map_lookup_elem(&np_locals, &lk);
  return lrow && row_verdict(*lrow, p->proto, p->dport) == VERDICT_ALLOW;
}

static __always_inline void flow_key_of(struct flow_key *k, const struct packet *p, int reverse) {
  __builtin_memset(k, 0, sizeof(*k));
  k->family = p->family;
  k->proto = p->proto;
  k->sport = reverse ? p->dport : p->sport;
  k->dport = reverse ? p->sport : p->dport;
  __builtin_memcpy(k->src, reverse ? p->dst : p->src, 16);
  __builtin_memcpy(k->dst, reverse ? p->src : p->dst, 16);
}

static __always_inline int police(struct __sk_buff *skb, __u32 dir) {
  struct packet p;
  struct flow_key k;
  if (parse(skb, &p) < 0) return TC_ACT_OK;
  __u32 seen_here = dir == DIR_EGRESS ? SEEN_EGRESS : SEEN_INGRESS;
  if (p.proto == IPPROTO_UDP) {
    /* A reply: the reverse flow was let through by the other direction of this pod's datapath. */
    flow_key_of(&k, &p, 1);
    __u32 *seen = bpf_map_lookup_elem(&np_flows, &k);
    if (seen && (*seen & (SEEN_EGRESS | SEEN_INGRESS) & ~seen_here)) return TC_ACT_OK;
  }
  if (!p.judge) return TC_ACT_OK; /* TCP and SCTP after the first packet: replies and established */
  if (!allowed(dir, &p)) return TC_ACT_SHOT;
  if (p.proto == IPPROTO_UDP) {
    flow_key_of(&k, &p, 0);
    __u32 *seen = bpf_map_lookup_elem(&np_flows, &k);
    if (seen) {
      if (!(*seen & seen_here)) *seen |= seen_here; /* not atomic: a lost race is set again by the next packet */
    } else {
      bpf_map_update_elem(&np_flows, &k, &seen_here, BPF_ANY);
    }
  }
  return TC_ACT_OK;
}

/* What a pod sends (tc ingress of its veth): its egress. */
SEC("tc")
int from_pod(struct __sk_buff *skb) { return police(skb, DIR_EGRESS); }

/* What a pod receives (tc egress of its veth): its ingress. */
SEC("tc")
int to_pod(struct __sk_buff *skb) { return police(skb, DIR_INGRESS); }

char LICENSE[] SEC("license") = "GPL";
`;

/** The program's C source: one constant, whatever the cluster. */
export const PROGRAM: string = `${HEAD}\n${MAPS.map(mapDecl).join("\n\n")}\n${BODY}`;
