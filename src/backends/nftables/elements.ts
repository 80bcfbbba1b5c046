// nftables element text: maps and sets written as `nft -f` declarations, elements one per line,
// never overlapping (they come from the render view's disjoint intervals and segments).
import type { PortSegment } from "../../ir/read-render.ts";
import type { TextWriter } from "../shared/text-writer.ts";

/**
 * A named set or map declaration; `elements` omitted when empty (nft refuses `elements = { }`).
 * The elements must be distinct (callers make them so): nft refuses a repeated interval.
 */
export function declaration(
  out: TextWriter,
  kind: "set" | "map",
  name: string,
  type: string,
  interval: boolean,
  elements: readonly string[],
): void {
  const head = `  ${kind} ${name} {\n    type ${type};${interval ? "\n    flags interval;" : ""}`;
  out.str(head);
  if (elements.length > 0) {
    out.str("\n    elements = {\n      ").str(elements[0]!);
    for (let i = 1; i < elements.length; i++) out.str(",\n      ").str(elements[i]!);
    out.str("\n    }");
  }
  out.str("\n  }\n");
}

/** `tcp . 80-81` */
export function portKey(s: PortSegment): string {
  const ports = s.first === s.last ? `${s.first}` : `${s.first}-${s.last}`;
  return `${s.protocol.toLowerCase()} . ${ports}`;
}
