// A model of the eBPF program (src/backends/ebpf/program.ts) in TypeScript, reading the map
// contents the backend writes as data (netpol-ebpf.maps.json): the same lookups in the same
// order, so that a unit test can hold the rendered maps equal to decide() without a kernel.
// The kernel suite runs the real program on the same maps (test/kernel/ebpf-rendered.kernel.test.ts).
import { type CIDR, cidrContains, parseCIDR } from "../../src/net/cidr.ts";
import { parseIP } from "../../src/net/ip.ts";

type Row = Record<string, string | number | boolean | null>;

interface MapsFile {
  readonly maps: readonly { readonly name: string; readonly entries: readonly Row[] }[];
}

export interface EbpfModel {
  /** Whether a first packet `src` → `dst` passes both directions (from_pod of the source, to_pod of the destination). */
  allows(src: string, dst: string, protocol: "TCP" | "UDP" | "SCTP", port: number): boolean;
}

export function ebpfModel(json: string): EbpfModel {
  const file = JSON.parse(json) as MapsFile;
  const map = (name: string): readonly Row[] => file.maps.find((m) => m.name === name)!.entries;
  const config = map("np_config")[0]!;
  const pods = new Map(map("np_pods").map((e) => [e.address as string, e]));
  const keyed = (name: string, owner: string, cls: string): Map<string, number> =>
    new Map(map(name).map((e) => [`${e.direction}/${e[owner]}/${e[cls]}`, e.row as number]));
  const groups = new Map(map("np_groups").map((e) => [`${e.direction}/${e.group}`, e]));
  const cells = keyed("np_cells", "block", "peerClass");
  const locals = keyed("np_locals", "localBlock", "localClass");
  const verdicts = map("np_verdicts").map((e) => {
    const [first, last = first] = String(e.ports).split("-").map(Number) as [number, number?];
    return { row: e.row, protocol: e.protocol, first, last: last!, verdict: e.verdict };
  });
  interface Prefix {
    readonly e: Row;
    readonly parsed: CIDR;
  }
  const prefixes = (names: string[]): Prefix[] =>
    names.flatMap((n) => map(n)).map((e) => ({ e, parsed: parseCIDR(e.cidr as string)! }));
  const peers = prefixes(["np_peer4", "np_peer6"]);
  const nodes = prefixes(["np_node4", "np_node6"]);
  const longest = (list: readonly Prefix[], address: string, keep: (e: Prefix) => boolean) => {
    const ip = parseIP(address)!;
    let best: Prefix | undefined;
    for (const e of list)
      if (
        keep(e) &&
        cidrContains(e.parsed, ip) &&
        (best === undefined || e.parsed.prefix > best.parsed.prefix)
      )
        best = e;
    return best;
  };
  // The longest matching prefix: the narrowest port range holding the port.
  const verdict = (row: number, protocol: string, port: number): unknown => {
    let best: (typeof verdicts)[number] | undefined;
    for (const v of verdicts)
      if (v.row === row && v.protocol === protocol && v.first <= port && port <= v.last)
        if (best === undefined || v.last - v.first < best.last - best.first) best = v;
    return best?.verdict ?? "deny";
  };

  const allowed = (
    dir: "egress" | "ingress",
    subjectAddr: string,
    peerAddr: string,
    protocol: string,
    port: number,
  ) => {
    const subject = pods.get(subjectAddr);
    if (subject === undefined) return true;
    if (subject[`${dir}Group`] === 0) return true;
    const group = groups.get(`${dir}/${subject[`${dir}Group`]}`);
    if (group === undefined) return false;
    const peer = pods.get(peerAddr);
    if (config.allowSelf && peer !== undefined && peer.id === subject.id) return true;
    if (dir === "ingress" && config.allowFromOwnNode && peer === undefined && subject.nodeId !== 0) {
      const n = longest(nodes, peerAddr, () => true);
      if (n !== undefined && n.e.id === subject.nodeId) return true;
    }
    const cls = longest(peers, peerAddr, (p) => p.e.direction === dir);
    if (cls === undefined) return false;
    const row = cells.get(`${dir}/${group.block}/${cls.e.class}`) ?? (group.defaultRow as number);
    const v = verdict(row, protocol, port);
    if (v === "allow") return true;
    if (v !== "local" || peer === undefined || peer.namespaceId !== subject.namespaceId) return false;
    const lrow = locals.get(`${dir}/${group.localBlock}/${peer[`${dir}Local`]}`);
    return lrow !== undefined && verdict(lrow, protocol, port) === "allow";
  };
  return {
    allows: (src, dst, protocol, port) =>
      allowed("egress", src, dst, protocol, port) && allowed("ingress", dst, src, protocol, port),
  };
}
