// `target.push(...items)` passes every item as an argument: past ~100k items (a big cluster's
// rules or set members) that overflows the call stack. This appends in a loop instead.

/** Append `items` to `target` (any length); returns `target`. */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
  return target;
}
