// Text for Graphviz DOT: quoted strings and the line-broken labels of format-dot.ts.

/**
 * `text` as a DOT double-quoted string. DOT itself unescapes only `\"` (lang.html, "ID"), but
 * labels and other escString attributes also read `\\`, `\n`, `\l`, `\N`, …, so a backslash is
 * doubled: the label then shows it once, and distinct names stay distinct ids. A line break in
 * the text becomes a space: only `dotLines` breaks a label.
 */
export function dotQuote(text: string): string {
  return `"${dotEscape(text)}"`;
}

/** The inside of a DOT quoted string for `text` (see `dotQuote`). */
export function dotEscape(text: string): string {
  return text.replace(/[\\"]/g, "\\$&").replace(/\r\n|\r|\n/g, " ");
}

/** A label of several lines, each centred: the lines escaped and joined by DOT's `\n`. */
export function dotLines(lines: readonly string[]): string {
  return `"${lines.map(dotEscape).join("\\n")}"`;
}

/** Characters per label line before a port list wraps. */
const LINE_WIDTH = 28;
/** Lines a label keeps; what is left over is counted on the last one. */
const MAX_LINES = 4;

/**
 * A connection text (`connectionsText`) broken into label lines: one line when it fits in
 * `LINE_WIDTH` characters (`TCP 53,UDP 53`), else each protocol on a line of its own, its ranges
 * wrapped after a comma once a line would pass `LINE_WIDTH` characters; past `MAX_LINES` lines
 * the rest is left off and counted (`… +12 ranges`).
 */
export function portLines(text: string): string[] {
  if (text.length <= LINE_WIDTH) return [text];
  const lines: string[] = [];
  const counts: number[] = []; // ranges per line
  for (const token of text.split(",")) {
    const last = lines.length - 1;
    // A token with a space opens a protocol (`TCP 80`); `All Connections` is one token too.
    if (last < 0 || token.includes(" ")) {
      lines.push(token);
      counts.push(1);
    } else if (lines[last]!.length + token.length + 1 > LINE_WIDTH) {
      lines[last] += ",";
      lines.push(token);
      counts.push(1);
    } else {
      lines[last] += `,${token}`;
      counts[last]! += 1;
    }
  }
  if (lines.length <= MAX_LINES) return lines;
  const rest = counts.slice(MAX_LINES - 1).reduce((a, b) => a + b, 0);
  return [...lines.slice(0, MAX_LINES - 1), `… +${rest} ranges`];
}

/**
 * An external endpoint's ranges as label lines, one range a line, at most `MAX_LINES` + 2 of them
 * (the rest counted).
 */
export function rangeLines(ranges: readonly (readonly [string, string])[]): string[] {
  const lines = ranges.map(([first, last]) => (first === last ? first : `${first}-${last}`));
  const keep = MAX_LINES + 2;
  return lines.length <= keep ? lines : [...lines.slice(0, keep - 1), `… +${lines.length - keep + 1} ranges`];
}
