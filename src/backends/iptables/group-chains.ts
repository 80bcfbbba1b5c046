// One chain per group and direction: the peer's class is found with set matches (egress: the
// destination address; ingress: the source), and its (protocol, port) segment decides — allow
// returns to the policy chain (the other direction decides next), deny drops, local goes to the
// group's local chain, where the same-namespace local classes may still allow.
import { EGRESS, type PolicyTableIR } from "../../ir/policy-table-ir.ts";
import type {
  Family,
  PortSegment,
  RenderGroup,
  RenderVerdict,
  VerdictSegment,
} from "../../ir/read-render.ts";
import type { TextWriter } from "../shared/text-writer.ts";
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

/** Writes the rules of every group's chains (and local chains) of a direction to `rules`; returns the chains declared. */
export function groupChains(
  ctx: DirectionContext,
  groups: readonly RenderGroup[],
  rules: TextWriter,
): string[] {
  const { ir, direction, family } = ctx;
  const d = direction === EGRESS ? "e" : "i";
  const wanted = new Set<number>();
  for (const g of groups) for (const c of g.cells) wanted.add(c.peerClass);
  const members = peerClassMembers(ir, direction, family, wanted);
  const classSet = (cls: number): string | undefined =>
    ctx.sets.use(family, `${d}-c${cls}`, members.get(cls) ?? [], `${dirName(direction)} peer class ${cls}`);
  let locals: Map<number, Map<number, string[]>> | undefined;
  // Set names per namespace and local class (a namespace's groups name the same few sets).
  const localNames = new Map<number, (string | undefined)[]>();
  const localSet = (g: RenderGroup, cls: number): string | undefined => {
    const n = g.namespaceIndex;
    let names = localNames.get(n);
    if (names === undefined) localNames.set(n, (names = []));
    if (cls in names) return names[cls];
    locals ??= localClassMembers(ir, direction, family);
    return (names[cls] = ctx.sets.use(
      family,
      `${d}-n${n}-l${cls}`,
      locals.get(n)?.get(cls) ?? [],
      `${dirName(direction)} local class ${cls} of namespace ${g.namespace}`,
      true,
    ));
  };
  const plans = new PlanBook();
  const chains: string[] = [];
  const field = peerField(direction);
  for (const g of groups) {
    const name = groupChain(direction, g.id);
    chains.push(name);
    groupRules(ctx, g, classSet, plans, rules);
    if (g.local.length === 0) continue;
    const local = localChain(direction, g.id);
    chains.push(local);
    for (const l of g.local) {
      const set = localSet(g, l.localClass);
      if (set === undefined) continue;
      const match = `-m set --match-set ${set} ${field}`;
      for (const m of plans.matches(l.allowed)) rule(rules, local, m, match, "-j RETURN");
    }
    rule(rules, local, "", "", ctx.deny);
  }
  return chains;
}

/** The line `-A chain ports match target` (an empty part left out), written as it goes. */
function rule(out: TextWriter, chain: string, ports: string, match: string, target: string): void {
  out.str("-A ").str(chain);
  if (ports !== "") out.sp().str(ports);
  if (match !== "") out.sp().str(match);
  out.sp().str(target).nl();
}

const dirName = (direction: number): string => (direction === EGRESS ? "egress" : "ingress");
const peerField = (direction: number): string => (direction === EGRESS ? "dst" : "src");

/** A cell's or a default's rules as (verdict, port matches), worked out once per distinct segment list. */
type Written = readonly (readonly [RenderVerdict, readonly string[]])[];

/**
 * Plans and port matches per segment list, by identity: the render view shares one segment list
 * per distinct row, so a big cluster's 10⁴ groups need them for a few hundred lists only.
 */
class PlanBook {
  readonly #cells = new Map<
    readonly VerdictSegment[],
    Map<readonly VerdictSegment[], { segments: Written; closing: RenderVerdict | undefined }>
  >();
  readonly #defaults = new Map<readonly VerdictSegment[], { segments: Written; closing: RenderVerdict }>();
  readonly #matches = new Map<readonly PortSegment[], readonly string[]>();

  matches(segments: readonly PortSegment[]): readonly string[] {
    let m = this.#matches.get(segments);
    if (m === undefined) this.#matches.set(segments, (m = portMatches(segments)));
    return m;
  }
  cell(
    segments: readonly VerdictSegment[],
    defaults: readonly VerdictSegment[],
  ): { segments: Written; closing: RenderVerdict | undefined } {
    let byDefault = this.#cells.get(segments);
    if (byDefault === undefined) this.#cells.set(segments, (byDefault = new Map()));
    let w = byDefault.get(defaults);
    if (w === undefined) {
      const plan = cellPlan(segments, defaults);
      byDefault.set(defaults, (w = { segments: this.#written(plan.segments), closing: plan.closing }));
    }
    return w;
  }
  default(segments: readonly VerdictSegment[]): { segments: Written; closing: RenderVerdict } {
    let w = this.#defaults.get(segments);
    if (w === undefined) {
      const closing = fallbackVerdict(segments);
      this.#defaults.set(segments, (w = { segments: this.#written(byVerdict(segments, closing)), closing }));
    }
    return w;
  }
  #written(plan: [RenderVerdict, VerdictSegment[]][]): Written {
    return plan.map(([v, list]) => [v, portMatches(list)] as const);
  }
}

function groupRules(
  ctx: DirectionContext,
  g: RenderGroup,
  classSet: (cls: number) => string | undefined,
  plans: PlanBook,
  out: TextWriter,
): void {
  const chain = groupChain(ctx.direction, g.id);
  const local = `-g ${localChain(ctx.direction, g.id)}`;
  const target = (v: RenderVerdict): string =>
    v === "allow" ? "-j RETURN" : v === "deny" ? ctx.deny : local;
  const field = peerField(ctx.direction);
  for (const cell of g.cells) {
    const set = classSet(cell.peerClass);
    if (set === undefined) continue; // no address of this family in the class
    const match = `-m set --match-set ${set} ${field}`;
    const plan = plans.cell(cell.segments, g.defaultSegments);
    for (const [v, matches] of plan.segments) for (const m of matches) rule(out, chain, m, match, target(v));
    if (plan.closing !== undefined) rule(out, chain, "", match, target(plan.closing));
  }
  const fallback = plans.default(g.defaultSegments);
  for (const [v, matches] of fallback.segments) for (const m of matches) rule(out, chain, m, "", target(v));
  rule(out, chain, "", "", target(fallback.closing));
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
