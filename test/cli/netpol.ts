// Run the `netpol` CLI in process (the same `run` that main.ts calls), capturing its output.
import { run, runAsync } from "../../src/cli/run.ts";

export function netpol(
  args: readonly string[],
  stdin = "",
): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: () => stdin,
  });
  return { code, stdout, stderr };
}

/** `netpol` through `runAsync` (what the executable calls): every command, `list --format svg` too. */
export async function netpolAsync(
  args: readonly string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runAsync(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: () => stdin,
  });
  return { code, stdout, stderr };
}
