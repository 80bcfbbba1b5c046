// One chain per group and direction: the peer's class is found with set matches (egress: the
// destination address; ingress: the source), and its (protocol, port) segment decides — allow
// returns to the policy chain (the other direction decides next), deny drops, local goes to the
// group's local chain, where the same-namespace local classes may still allow.
import { EGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import type { Family, RenderGroup, RenderVerdict, VerdictSegment } from "../../ir/read-render.ts";
import { appendAll } from "../shared/append.ts";
import { localClassMembers, peerClassMembers } from "./peer-sets.ts";
import { byVerdict, differingSegments, fallbackVerdict, portMatches } from "./segments.ts";
import type { SetBook } from "./sets.ts";

/** Chain names (iptables allows 28 characters). */
export const groupChain = (direction: number, g: number): string =>
  `NP-${direction === EGRESS ? "E" : "I"}${g}`;
export const localChain = (direction: number, g: number): string => `${groupChain(direction, g)}-L`;

export interface DirectionContext {
  readonly ir: PolicyTableIR;
  readonly direction: number;
  readonly family: Family;
  readonly sets: SetBook;
  /** The target a deny jumps to (`-j DROP`, or `-g NETPOL-DROP` when self traffic is allowed). */
  readonly deny: string;
}

/** The rules of every group's chains (and local chains) of a direction; `chains` lists the chains declared. */
export function groupChains(
  ctx: DirectionContext,
  groups: readonly RenderGroup[],
): { chains: string[]; rules: string[] } {
  const { ir, direction, family } = ctx;
  const d = direction === EGRESS ? "e" : "i";
  const wanted = new Set(groups.flatMap((g) => g.cells.map((c) => c.peerClass)));
  const members = peerClassMembers(ir, direction, family, wanted);
  const classSet = (cls: number): string | undefined =>
    ctx.sets.use(family, `${d}-c${cls}`, members.get(cls) ?? [], `${dirName(direction)} peer class ${cls}`);
  let locals: Map<number, Map<number, string[]>> | undefined;
  const localSet = (g: RenderGroup, cls: number): string | undefined => {
    locals ??= localClassMembers(ir, direction, family);
    const n = g.namespaceIndex;
    return ctx.sets.use(
      family,
      `${d}-n${n}-l${cls}`,
      locals.get(n)?.get(cls) ?? [],
      `${dirName(direction)} local class ${cls} of namespace ${g.namespace}`,
    );
  };
  const chains: string[] = [];
  const rules: string[] = [];
  for (const g of groups) {
    const name = groupChain(direction, g.id);
    chains.push(name);
    appendAll(rules, groupRules(ctx, g, classSet));
    if (g.local.length === 0) continue;
    const local = localChain(direction, g.id);
    chains.push(local);
    for (const l of g.local) {
      const set = localSet(g, l.localClass);
      if (set === undefined) continue;
      for (const m of portMatches(l.allowed))
        rules.push(rule(local, m, `-m set --match-set ${set} ${peerField(direction)}`, "-j RETURN"));
    }
    rules.push(`-A ${local} ${ctx.deny}`);
  }
  return { chains, rules };
}

/** `-A chain parts…`, empty parts left out. */
const rule = (chain: string, ...parts: string[]): string =>
  [`-A ${chain}`, ...parts.filter((p) => p !== "")].join(" ");

const dirName = (direction: number): string => (direction === EGRESS ? "egress" : "ingress");
const peerField = (direction: number): string => (direction === EGRESS ? "dst" : "src");

function groupRules(
  ctx: DirectionContext,
  g: RenderGroup,
  classSet: (cls: number) => string | undefined,
): string[] {
  const chain = groupChain(ctx.direction, g.id);
  const target = (v: RenderVerdict): string =>
    v === "allow" ? "-j RETURN" : v === "deny" ? ctx.deny : `-g ${localChain(ctx.direction, g.id)}`;
  const out: string[] = [];
  for (const cell of g.cells) {
    const set = classSet(cell.peerClass);
    if (set === undefined) continue; // no address of this family in the class
    const match = `-m set --match-set ${set} ${peerField(ctx.direction)}`;
    const plan = cellPlan(cell.segments, g.defaultSegments);
    for (const [v, list] of plan.segments)
      for (const m of portMatches(list)) out.push(rule(chain, m, match, target(v)));
    if (plan.closing !== undefined) out.push(`-A ${chain} ${match} ${target(plan.closing)}`);
  }
  const closing = fallbackVerdict(g.defaultSegments);
  for (const [v, list] of byVerdict(g.defaultSegments, closing))
    for (const m of portMatches(list)) out.push(rule(chain, m, target(v)));
  out.push(`-A ${chain} ${target(closing)}`);
  return out;
}

interface Plan {
  readonly segments: [RenderVerdict, VerdictSegment[]][];
  /** The verdict of the rest of the class's ports; undefined: the rest falls through to the default. */
  readonly closing: RenderVerdict | undefined;
}

/**
 * How to write one cell, whichever takes fewer rules: only where it differs from the default (the
 * rest falls through to the default's rules), or all of it, closed by its most common verdict.
 */
function cellPlan(segments: readonly VerdictSegment[], defaults: readonly VerdictSegment[]): Plan {
  const diff = byVerdict(differingSegments(segments, defaults));
  const closing = fallbackVerdict(segments);
  const whole = byVerdict(segments, closing);
  const count = (p: [RenderVerdict, VerdictSegment[]][]): number =>
    p.reduce((n, [, list]) => n + portMatches(list).length, 0);
  return count(diff) <= count(whole) + 1
    ? { segments: diff, closing: undefined }
    : { segments: whole, closing };
}
