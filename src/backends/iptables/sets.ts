// The ipsets a render uses: names within ipset's 31 characters, members given while the rules
// are written (a set is only created when it has members: a rule naming an empty set matches
// nothing and is left out instead), and the `ipset restore` text.
import type { Family } from "../../ir/read-render.ts";
import { sanitizeComment, shortName } from "../shared/text.ts";
import { TextWriter } from "../shared/text-writer.ts";

/** ipset names are at most 31 characters. */
const MAX_SET_NAME = 31;
/** A fixed limit, so that `create … -exist` of a set that already exists matches it (ipset compares maxelem). */
const MAX_ELEMENTS = 1 << 20;

/**
 * The sets of one render, in the order the rules first name them, written to the `ipset restore`
 * text as they are registered: every set created if missing (`-exist`), flushed, filled. (Held as
 * lists until the end, their 10⁵ member strings outlived every young-generation collection; the
 * text is bytes, decoded once.)
 */
export class SetBook {
  readonly #names = [new Map<string, string>(), new Map<string, string>()];
  readonly #written = new Set<string>();
  readonly #out = new TextWriter(1 << 20);

  /** `header`: the restore text's comment lines. */
  constructor(header: readonly string[]) {
    for (const h of header) this.#out.str("# ").str(h).nl();
  }

  /**
   * The set's name when it has members (registered once), else undefined; `members` must be
   * distinct. `hosts`: the members are bare addresses of the family, each written as a host entry.
   */
  use(
    family: Family,
    key: string,
    members: readonly string[],
    comment: string,
    hosts = false,
  ): string | undefined {
    if (members.length === 0) return undefined;
    const names = this.#names[family === 4 ? 0 : 1]!;
    const known = names.get(key);
    if (known !== undefined) return known;
    const name = setName(family, key);
    if (!this.#written.has(name)) {
      this.#written.add(name);
      this.#write(name, family, members, comment, hosts ? (family === 4 ? "/32" : "/128") : "");
    }
    names.set(key, name);
    return name;
  }

  /** `ipset restore` input for the sets registered so far. */
  restoreText(): string {
    return this.#out.text();
  }

  #write(name: string, family: Family, members: readonly string[], comment: string, suffix: string): void {
    const max = Math.max(MAX_ELEMENTS, 2 ** Math.ceil(Math.log2(Math.max(1, members.length))));
    const out = this.#out;
    out.str("# ").str(sanitizeComment(comment)).nl();
    out
      .str("create ")
      .str(name)
      .str(family === 4 ? " hash:net family inet" : " hash:net family inet6");
    out.str(` hashsize 1024 maxelem ${max} -exist\nflush `).str(name).nl();
    // One native join per set: its lines as one flat string, not a rope node per piece.
    const add = `add ${name} `;
    out.str(add).str(members.join(`${suffix}\n${add}`));
    out.str(suffix).nl();
  }
}

export const setName = (family: Family, key: string): string => shortName(`np${family}-`, key, MAX_SET_NAME);
