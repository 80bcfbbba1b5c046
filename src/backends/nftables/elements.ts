// nftables element text: maps and sets written as `nft -f` declarations, elements one per line,
// never overlapping (they come from the render view's disjoint intervals and segments).
import type { PortSegment } from "../../ir/read-render.ts";
import type { Lines } from "../shared/lines.ts";

/**
 * A named set or map declaration; `elements` omitted when empty (nft refuses `elements = { }`).
 * The elements must be distinct (callers make them so): nft refuses a repeated interval.
 */
export function declaration(
  out: Lines,
  kind: "set" | "map",
  name: string,
  type: string,
  interval: boolean,
  elements: readonly string[],
): void {
  const head = `  ${kind} ${name} {\n    type ${type};${interval ? "\n    flags interval;" : ""}`;
  if (elements.length === 0) out.push(`${head}\n  }`);
  else out.push(`${head}\n    elements = {\n      ${elements.join(",\n      ")}\n    }\n  }`);
}

/** `tcp . 80-81` */
export function portKey(s: PortSegment): string {
  const ports = s.first === s.last ? `${s.first}` : `${s.first}-${s.last}`;
  return `${s.protocol.toLowerCase()} . ${ports}`;
}
