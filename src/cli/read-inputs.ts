import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, type InputIssue, type Source } from "../index.ts";

/** Files a directory contributes (recursively): manifests only. */
const MANIFEST = /\.(ya?ml|json)$/i;

/** The largest file the CLI reads (io applies its own per-source limit on top). */
export const MAX_FILE_BYTES: number = 64 * 1024 * 1024;

/**
 * Turn CLI input arguments into sources: files as given, directories walked recursively in sorted
 * order (only `.yaml`/`.yml`/`.json`, symlink loops cut), `-` for stdin. Every problem (missing
 * file, unreadable, too large, a directory with no manifest) is collected into one `InputError`.
 */
export function readInputs(args: readonly string[], readStdin: () => string): Source[] {
  const sources: Source[] = [];
  const issues: InputIssue[] = [];
  let stdinUsed = false;

  const readFile = (path: string, size: number): void => {
    if (size > MAX_FILE_BYTES) {
      issues.push({
        code: "too-large",
        file: path,
        message: `file is ${size} bytes; the limit is ${MAX_FILE_BYTES}`,
      });
      return;
    }
    try {
      sources.push({ name: path, text: readFileSync(path, "utf8") });
    } catch (e) {
      issues.push({ code: "unreadable", file: path, message: `cannot read: ${(e as Error).message}` });
    }
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
          continue; // a dangling link
        }
      }
      if (isDir) walk(path, seen, out);
      else if (isFile && MANIFEST.test(entry.name)) out.push(path);
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
      for (const f of files) readFile(f, statSync(f).size);
    } else readFile(arg, st.size);
  }
  if (issues.length > 0) throw new InputError(issues);
  return sources;
}
