/**
 * The first key repeated within one object of (already valid) JSON, with its offset. `JSON.parse`
 * keeps the last silently, so `{"matchLabels": {"app": "db"}, "matchLabels": {}}` would select
 * every pod; YAML's duplicates are an error, and so are these (a scan at several hundred MB/s).
 */
export function duplicateJsonKey(text: string): { key: string; offset: number } | undefined {
  const objects: (Set<string> | null)[] = []; // null: an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1);
      for (;;) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      const keys = objects[objects.length - 1];
      if (expectKey && keys) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (keys.has(key)) return { key, offset: i };
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b) {
      objects.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) objects.push(null);
    else if (c === 0x7d || c === 0x5d) objects.pop();
    else if (c === 0x2c) expectKey = objects[objects.length - 1] != null;
  }
  return undefined;
}
