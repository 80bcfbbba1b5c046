import { readdirSync, realpathSync, type Stats, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, type InputIssue, type Source } from "../index.ts";
import { readFileCapped } from "./read-capped.ts";

/** Files a directory contributes (recursively): manifests only. */
const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * The largest file the CLI reads (io applies its own per-source limit on top). `kubectl get pods -A
 * -o json` of 10 000 pods is ~100 MB; 250 MB reads in ~3.5 s with ~600 MB of memory.
 */
export const MAX_FILE_BYTES: number = 256 * 1024 * 1024;

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The text of a manifest file, or the `not-text` issue: Node's lossy decoding would turn a gzip
 * file, UTF-16 (whose ASCII is NUL-interleaved) or Latin-1 into U+FFFD soup that then fails as a
 * baffling "expected a Kubernetes object, got \"\u001f�\b…\"". kubectl rejects such input too.
 */
export function decodeText(bytes: Uint8Array, name: string): { text: string } | { issue: InputIssue } {
  let text: string | undefined;
  try {
    text = UTF8.decode(bytes); // also drops a leading byte-order mark
  } catch {
    text = undefined;
  }
  if (text !== undefined && !text.includes("\u0000")) return { text };
  const why = text === undefined ? "not valid UTF-8" : "contains NUL bytes";
  const message = `${why}; manifests must be UTF-8 text (is it binary, compressed, UTF-16 or Latin-1?)`;
  return { issue: { code: "not-text", file: name, message } };
}

/**
 * Turn CLI input arguments into sources: files as given, directories walked recursively in sorted
 * order (only `.yaml`/`.yml`/`.json`, symlink loops cut), `-` for stdin. Every problem (missing
 * file, unreadable, too large, a directory with no manifest) is collected into one `InputError`.
 */
export function readInputs(args: readonly string[], readStdin: () => string): Source[] {
  const sources: Source[] = [];
  const issues: InputIssue[] = [];
  let stdinUsed = false;

  const readFile = (path: string, st: Stats): void => {
    let read: Uint8Array | InputIssue;
    try {
      read = readFileCapped(path, st, MAX_FILE_BYTES);
    } catch (e) {
      issues.push({ code: "unreadable", file: path, message: `cannot read: ${(e as Error).message}` });
      return;
    }
    if (!(read instanceof Uint8Array)) {
      issues.push(read);
      return;
    }
    const text = decodeText(read, path);
    if ("text" in text) sources.push({ name: path, text: text.text });
    else issues.push(text.issue);
  };

  const walk = (dir: string, seen: Set<string>, out: string[]): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return; // a symlink loop
    seen.add(real);
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(path);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          // A dangling link named like a manifest: the manifest it meant is missing, not skipped.
          if (MANIFEST.test(entry.name))
            issues.push({ code: "no-such-file", file: path, message: "a symbolic link to nothing" });
          continue;
        }
      }
      if (isDir) walk(path, seen, out);
      else if (isFile && MANIFEST.test(entry.name)) out.push(path);
      else if (MANIFEST.test(entry.name))
        // A FIFO, socket or device named like a manifest is refused, as it is when named directly.
        issues.push({
          code: "not-a-file",
          file: path,
          message: "not a regular file (a FIFO, socket or device)",
        });
    }
  };

  for (const arg of args) {
    if (arg === "-") {
      if (stdinUsed) continue;
      stdinUsed = true;
      sources.push({ name: "<stdin>", text: readStdin() });
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(arg);
    } catch {
      issues.push({ code: "no-such-file", file: arg, message: "no such file or directory" });
      continue;
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      try {
        walk(arg, new Set(), files);
      } catch (e) {
        issues.push({ code: "unreadable", file: arg, message: `cannot read: ${(e as Error).message}` });
        continue;
      }
      if (files.length === 0)
        issues.push({
          code: "no-manifests",
          file: arg,
          message: "directory holds no .yaml, .yml or .json file",
        });
      for (const f of files) readFile(f, statSync(f));
    } else readFile(arg, st);
  }
  // In file order, not argument order: the same inputs in another order report the same.
  if (issues.length > 0)
    throw new InputError(issues.sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : 0)));
  return sources;
}

/**
 * The one source `--flows` names: a file or `-`. A directory is refused: `readInputs` would walk it
 * and the first file found would be taken silently as the flows.
 */
export function readFlowsInput(arg: string, readStdin: () => string): Source {
  let isDir = false;
  try {
    isDir = arg !== "-" && statSync(arg).isDirectory();
  } catch {
    // missing: readInputs reports it
  }
  if (isDir)
    throw new InputError([
      { code: "not-a-file", file: arg, message: "--flows takes a file or -, not a directory" },
    ]);
  return readInputs([arg], readStdin)[0]!;
}
