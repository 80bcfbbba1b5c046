// The ipsets a render uses: names within ipset's 31 characters, members collected while the rules
// are written (a set is only created when it has members: a rule naming an empty set matches
// nothing and is left out instead), and the `ipset restore` text.
import type { Family } from "../../ir/read-render.ts";
import { Lines } from "../shared/lines.ts";
import { sanitizeComment, shortName } from "../shared/text.ts";

/** ipset names are at most 31 characters. */
const MAX_SET_NAME = 31;
/** A fixed limit, so that `create … -exist` of a set that already exists matches it (ipset compares maxelem). */
const MAX_ELEMENTS = 1 << 20;

export interface IpSet {
  readonly name: string;
  readonly family: Family;
  readonly members: readonly string[];
  readonly comment: string;
}

/** The sets of one render, in the order the rules first name them. */
export class SetBook {
  readonly #sets = new Map<string, IpSet>();
  /** Per family and key: the name, once registered (a class set is named once per cell). */
  readonly #names = [new Map<string, string>(), new Map<string, string>()];

  /** The set's name when it has members (registered once), else undefined; `members` must be distinct. */
  use(family: Family, key: string, members: readonly string[], comment: string): string | undefined {
    if (members.length === 0) return undefined;
    const names = this.#names[family === 4 ? 0 : 1]!;
    const known = names.get(key);
    if (known !== undefined) return known;
    const name = setName(family, key);
    if (!this.#sets.has(name)) this.#sets.set(name, { name, family, members, comment });
    names.set(key, name);
    return name;
  }

  get sets(): IpSet[] {
    return [...this.#sets.values()];
  }
}

export const setName = (family: Family, key: string): string => shortName(`np${family}-`, key, MAX_SET_NAME);

/** `ipset restore` input: every set created if missing (`-exist`), flushed, filled. */
export function ipsetRestore(sets: readonly IpSet[], header: readonly string[]): string {
  const out = new Lines();
  for (const h of header) out.push(`# ${h}`);
  for (const s of sets) {
    const max = Math.max(MAX_ELEMENTS, 2 ** Math.ceil(Math.log2(Math.max(1, s.members.length))));
    out.push(`# ${sanitizeComment(s.comment)}
create ${s.name} hash:net family ${s.family === 4 ? "inet" : "inet6"} hashsize 1024 maxelem ${max} -exist
flush ${s.name}`);
    if (s.members.length > 0) out.push(`add ${s.name} ${s.members.join(`\nadd ${s.name} `)}`);
  }
  return out.text();
}
