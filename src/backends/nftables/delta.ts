// The nftables delta: the chains and the declarations of sets and maps unchanged, a change is
// elements added to and deleted from them — one `nft -f` script of `add element` / `delete
// element` commands (a changed map entry is deleted, then added).
import type { Artifact } from "../contract.ts";
import { appendAll } from "../shared/append.ts";
import { contentOf, diffEntries, sameExcept, withoutComments } from "../shared/delta.ts";
import { NFT_TABLE } from "./render-nftables.ts";

const SCRIPT = "netpol.nft";

/** The script with every `elements = { … }` block emptied, and the elements of each set or map. */
function parse(script: string): { skeleton: string; elements: Map<string, string[]> } {
  const lines = script.split("\n");
  const skeleton: string[] = [];
  const elements = new Map<string, string[]>();
  let current = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const decl = /^\s*(?:set|map) (\S+) \{$/.exec(line);
    if (decl !== null) current = decl[1]!;
    if (/^\s*elements = \{$/.test(line)) {
      const list: string[] = [];
      for (i++; i < lines.length && !/^\s*\}$/.test(lines[i]!); i++)
        list.push(lines[i]!.trim().replace(/,$/, ""));
      elements.set(current, list);
      skeleton.push(line, lines[i] ?? "");
      continue;
    }
    skeleton.push(line);
  }
  return { skeleton: skeleton.join("\n"), elements };
}

/** `netpol.delta.nft`, or undefined when anything but elements changed. */
export function nftablesDelta(
  before: readonly Artifact[],
  after: readonly Artifact[],
): Artifact[] | undefined {
  if (!sameExcept(before, after, [SCRIPT])) return undefined;
  const was = parse(contentOf(before, SCRIPT)!);
  const now = parse(contentOf(after, SCRIPT)!);
  if (withoutComments(was.skeleton) !== withoutComments(now.skeleton)) return undefined;
  const out = ["#!/usr/sbin/nft -f", "# netpol-engine nftables delta: elements deleted, then added"];
  const adds: string[] = [];
  for (const [name, list] of now.elements) {
    // A map element is `key : value`: keyed by its key, so a changed value is deleted and added.
    const keyed = (xs: readonly string[]): Map<string, string> =>
      new Map(xs.map((e) => [e.split(" : ")[0]!, e]));
    const before = keyed(was.elements.get(name) ?? []);
    const after = keyed(list);
    const { removed, put } = diffEntries(before, after);
    const changed = put.filter((k) => before.has(k));
    const gone = [...removed, ...changed];
    if (gone.length > 0) out.push(`delete element inet ${NFT_TABLE} ${name} { ${gone.join(", ")} }`);
    if (put.length > 0)
      adds.push(`add element inet ${NFT_TABLE} ${name} { ${put.map((k) => after.get(k)!).join(", ")} }`);
  }
  appendAll(out, adds);
  return [{ path: "netpol.delta.nft", content: `${out.join("\n")}\n` }];
}
