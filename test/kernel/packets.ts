// Crafted packets for the eBPF fast tier: Ethernet + IPv4/IPv6 + the first packet of a flow
// (a TCP SYN, or a UDP datagram), checksums left zero (tc programs under BPF_PROG_TEST_RUN do
// not verify them).
import { parseIP } from "../../src/net/ip.ts";

export interface PacketSpec {
  readonly src: string;
  readonly dst: string;
  readonly proto: "TCP" | "UDP";
  readonly sport: number;
  readonly dport: number;
}

const MAC_SRC = [0x02, 0, 0, 0, 0, 1];
const MAC_DST = [0x02, 0, 0, 0, 0, 2];

function addressBytes(ip: string): number[] {
  const p = parseIP(ip);
  if (p === undefined) throw new Error(`not an IP address: ${ip}`);
  const n = p.family === 4 ? 4 : 16;
  return Array.from({ length: n }, (_, i) => Number((p.value >> BigInt(8 * (n - 1 - i))) & 0xffn));
}

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];

function l4(spec: PacketSpec): number[] {
  if (spec.proto === "UDP")
    return [...u16(spec.sport), ...u16(spec.dport), ...u16(8 + 4), 0, 0, 0x70, 0x69, 0x6e, 0x67];
  // TCP header, 20 bytes: seq 1, data offset 5, flags SYN, window 64240.
  return [
    ...u16(spec.sport),
    ...u16(spec.dport),
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0x50,
    0x02,
    ...u16(64240),
    0,
    0,
    0,
    0,
  ];
}

/** The bytes of the flow's first packet, as it crosses the pod's veth. */
export function craftPacket(spec: PacketSpec): Uint8Array {
  const src = addressBytes(spec.src);
  const dst = addressBytes(spec.dst);
  const payload = l4(spec);
  const proto = spec.proto === "TCP" ? 6 : 17;
  if (src.length !== dst.length) throw new Error(`mixed families: ${spec.src} -> ${spec.dst}`);
  const ip =
    src.length === 4
      ? [0x45, 0, ...u16(20 + payload.length), 0, 0, 0x40, 0, 64, proto, 0, 0, ...src, ...dst]
      : [0x60, 0, 0, 0, ...u16(payload.length), proto, 64, ...src, ...dst];
  const ethertype = src.length === 4 ? [0x08, 0x00] : [0x86, 0xdd];
  return Uint8Array.from([...MAC_DST, ...MAC_SRC, ...ethertype, ...ip, ...payload]);
}
