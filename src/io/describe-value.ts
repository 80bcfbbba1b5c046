/** Longest rendering of a bad value inside a message, before it is cut with `…`. */
const MAX_SHOWN = 60;

/**
 * A short, JSON-quoted rendering of a bad value for an error message: strings quoted,
 * objects and arrays named by shape, anything long cut to ~60 characters.
 *
 * @example
 * describeValue("10.0.0.0/33") // '"10.0.0.0/33"'
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array (${value.length} items)`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return quote(value);
  if (typeof value === "bigint") return `${value}`;
  return String(value);
}

/** JSON-quote a string, cutting it to about 60 characters. */
export function quote(text: string): string {
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return JSON.stringify(cut);
}

/** The JSON type name of a value (`string`, `number`, `boolean`, `null`, `array`, `object`). */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
