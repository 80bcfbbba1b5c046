import { isAlias, isMap, isPair, isScalar, isSeq } from "yaml";
import type { InputIssue } from "../model/input-error.ts";
import { maxNodes } from "./read-limits.ts";

/**
 * Check a composed YAML document, in one iterative pass, for what `yaml` checks too slowly:
 *
 * - a key repeated in one mapping (`yaml-syntax`, as kubectl rejects it): yaml's `uniqueKeys`
 *   compares each key with every earlier one, so a 40 000-key mapping (470 KB) took 10 s;
 * - aliases expanding to more than `maxNodes(text)` nodes (`too-many-aliases`): every later walk
 *   visits a shared alias again, and each `<<: *big` copies `big`'s keys, so 2 000 merges of a
 *   20 000-key anchor (250 KB) took 38 s within yaml's own alias-count guard.
 *
 * An anchor's expanded size is the count of nodes between entering and leaving it. `position`
 * renders a source offset ("line 3, column 21").
 */
export function checkComposed(
  contents: unknown,
  text: string,
  position: (offset: number) => string,
): Omit<InputIssue, "file"> | undefined {
  const limit = maxNodes(text);
  const anchors = new Map<string, number>();
  const stack: unknown[] = [contents];
  let total = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    if (Array.isArray(node)) {
      anchors.set(node[0] as string, total - (node[1] as number)); // leaving an anchored node
      continue;
    }
    total += isAlias(node) ? (anchors.get(node.source) ?? 1) : 1;
    if (total > limit)
      return {
        code: "too-many-aliases",
        message: `YAML aliases expand to more than ${limit} values (an alias bomb?)`,
      };
    if (isAlias(node) || isScalar(node)) continue;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) stack.push([anchor, total - 1]);
    const children: unknown[] = [];
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (keys.has(key)) {
          const at = (pair.key as { range?: [number] }).range?.[0] ?? 0;
          return { code: "yaml-syntax", message: `Map keys must be unique at ${position(at)}` };
        }
        keys.add(key);
        children.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) children.push(item.key, item.value);
        else children.push(item);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]); // in document order
  }
  return undefined;
}
