// Items in first-seen order, each once, where the caller knows which items can repeat: only those
// are looked up. Rendered lists of pod addresses repeat only where pods share an address
// (hostNetwork pods share their node's): a Set over every item would hash 10⁴–10⁵ strings to
// find the few.

export class FirstSeen {
  readonly list: string[] = [];
  readonly #seen = new Set<string>();

  /** Add `item` unless it was added before; `mayRepeat` false promises it was not. */
  add(item: string, mayRepeat: boolean): void {
    if (mayRepeat) {
      if (this.#seen.has(item)) return;
      this.#seen.add(item);
    }
    this.list.push(item);
  }
}
