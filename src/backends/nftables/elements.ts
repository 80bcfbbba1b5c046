// nftables element text: maps and sets written as `nft -f` declarations, elements one per line,
// never overlapping (they come from the render view's disjoint intervals and segments).
import type { AddressInterval, PortSegment, RenderVerdict, VerdictSegment } from "../../ir/read-render.ts";
import { intervalText } from "../shared/addresses.ts";

/** A named set or map declaration; `elements` omitted when empty (nft refuses `elements = { }`). */
export function declaration(
  kind: "set" | "map",
  name: string,
  type: string,
  interval: boolean,
  elements: readonly string[],
): string {
  const head = `  ${kind} ${name} {\n    type ${type};${interval ? "\n    flags interval;" : ""}`;
  const unique = [...new Set(elements)]; // pairs of a shared address come twice
  const body = unique.length === 0 ? "" : `\n    elements = {\n      ${unique.join(",\n      ")}\n    }`;
  return `${head}${body}\n  }`;
}

/** `tcp . 80-81` */
export function portKey(s: PortSegment): string {
  const ports = s.first === s.last ? `${s.first}` : `${s.first}-${s.last}`;
  return `${s.protocol.toLowerCase()} . ${ports}`;
}

/** An interval → mark map element (`10.0.0.0-10.0.0.255 : 3`); classes are 1-based in marks (0: none). */
export function markElement(i: AddressInterval): string {
  return `${intervalText(i)} : ${i.cls + 1}`;
}

/** The nft verdict of a segment: allow returns to the policy chain (the other direction decides next). */
export function verdictText(verdict: RenderVerdict, localChain: string): string {
  return verdict === "allow" ? "return" : verdict === "deny" ? "drop" : `goto ${localChain}`;
}

/** Segments as `proto . ports : verdict` elements. */
export function segmentElements(segments: readonly VerdictSegment[], localChain: string): string[] {
  return segments.map((s) => `${portKey(s)} : ${verdictText(s.verdict, localChain)}`);
}

/** Segments of one peer class as `mark . proto . ports : verdict` elements. */
export function cellElements(cls: number, segments: readonly VerdictSegment[], localChain: string): string[] {
  return segmentElements(segments, localChain).map((e) => `${cls + 1} . ${e}`);
}
