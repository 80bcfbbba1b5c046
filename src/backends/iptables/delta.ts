// The iptables delta: the chains unchanged (they reference ipsets by name), a change is ipset
// members added and deleted — one `ipset restore` input of `add` / `del` lines — plus the per-pod
// self rules (`NETPOL-SELF`: a packet from a pod's address to itself) as an `iptables-restore
// --noflush` input per family. Rule comments, which count pods, are left as loaded.
import type { Artifact } from "../contract.ts";
import { contentOf, diffEntries, withoutComments } from "../shared/delta.ts";

const SETS = "netpol.ipset";
const RULES = ["netpol.rules.v4", "netpol.rules.v6"] as const;
const SELF = /^-A NETPOL-SELF -s (\S+) -d \1 -j ACCEPT$/;

/** The sets' declarations (`create` lines) and their members (`set entry` → the `add` line). */
function parseSets(text: string): { creates: string; members: Map<string, string> } {
  const creates: string[] = [];
  const members = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("create ")) creates.push(line);
    const m = /^add (\S+) (\S+)/.exec(line);
    if (m !== null) members.set(`${m[1]} ${m[2]}`, line);
  }
  return { creates: creates.join("\n"), members };
}

/** A rules file's structure (comments and self rules aside) and its self rules. */
function parseRules(text: string): { structure: string; self: Map<string, string> } {
  const self = new Map<string, string>();
  const structure: string[] = [];
  for (const line of withoutComments(text).split("\n")) {
    if (SELF.test(line)) self.set(line, line);
    else structure.push(line.replace(/ -m comment --comment "[^"]*"/g, ""));
  }
  return { structure: structure.join("\n"), self };
}

/** The delta's artifacts, or undefined when a rule or a set declaration changed. */
export function iptablesDelta(
  before: readonly Artifact[],
  after: readonly Artifact[],
): Artifact[] | undefined {
  const sets = [parseSets(contentOf(before, SETS) ?? ""), parseSets(contentOf(after, SETS) ?? "")] as const;
  if (sets[0].creates !== sets[1].creates) return undefined;
  const out: Artifact[] = [];
  for (const path of RULES) {
    const was = parseRules(contentOf(before, path) ?? "");
    const now = parseRules(contentOf(after, path) ?? "");
    if (was.structure !== now.structure) return undefined;
    const { removed, put } = diffEntries(was.self, now.self);
    if (removed.length + put.length === 0) continue;
    const lines = [
      "*filter",
      ...removed.map((l) => l.replace(/^-A /, "-D ")),
      // Before the chain's closing DROP.
      ...put.map((l) => l.replace(/^-A NETPOL-SELF /, "-I NETPOL-SELF 1 ")),
      "COMMIT",
    ];
    out.push({ path: path.replace("netpol.", "netpol.delta."), content: `${lines.join("\n")}\n` });
  }
  const { removed, put } = diffEntries(sets[0].members, sets[1].members);
  const lines = [
    ...removed.map((k) => `del ${k} -exist`),
    ...put.map((k) => `${sets[1].members.get(k)!} -exist`),
  ];
  out.unshift({ path: "netpol.delta.ipset", content: lines.length === 0 ? "" : `${lines.join("\n")}\n` });
  return out;
}
