// Run the `netpol` CLI in process (the same `run` that main.ts calls), capturing its output.
import { run } from "../../src/cli/run.ts";

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
