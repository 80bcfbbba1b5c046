// Posting lists (owner → items) in compressed sparse rows, for the peer-class passes.

/** Posting lists `owner → items` as CSR, items in the order `each` yields them. */
export function postings(
  owners: number,
  each: (emit: (owner: number, item: number) => void) => void,
): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(owners + 1);
  each((o) => start[o + 1]!++);
  for (let i = 0; i < owners; i++) start[i + 1]! += start[i]!;
  const items = new Int32Array(start[owners]!);
  const fill = start.slice(0, owners);
  each((o, item) => {
    items[fill[o]!++] = item;
  });
  return { start, items };
}
