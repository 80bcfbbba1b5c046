// nftables element text: maps and sets written as `nft -f` declarations, elements one per line,
// never overlapping (they come from the render view's disjoint intervals and segments).
import type { PortSegment } from "../../ir/read-render.ts";

/** A named set or map declaration; `elements` omitted when empty (nft refuses `elements = { }`). */
export function declaration(
  kind: "set" | "map",
  name: string,
  type: string,
  interval: boolean,
  elements: readonly string[],
): string {
  const head = `  ${kind} ${name} {\n    type ${type};${interval ? "\n    flags interval;" : ""}`;
  if (elements.length === 0) return `${head}\n  }`;
  // Pairs of a shared address come twice: written once, in first-seen order.
  const unique = new Set(elements);
  let body = "";
  for (const e of unique) body += body === "" ? e : `,\n      ${e}`;
  return `${head}\n    elements = {\n      ${body}\n    }\n  }`;
}

/** `tcp . 80-81` */
export function portKey(s: PortSegment): string {
  const ports = s.first === s.last ? `${s.first}` : `${s.first}-${s.last}`;
  return `${s.protocol.toLowerCase()} . ${ports}`;
}
