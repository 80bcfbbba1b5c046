// The backend's C program compiled with clang (-target bpf) once per distinct source and test
// process: the ebpf backend renders one fixed program (a policy change is a map update), so the
// 285 scenarios of a loader and the fast tier share one object. Objects live in the run's temporary
// directory (run-dir.ts).
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Artifact, artifactKind } from "./artifacts.ts";
import { runOk } from "./exec.ts";
import { runDir } from "./run-dir.ts";

/** Program names the loaders use: at tc ingress of a pod's veth (what the pod sends) and at tc egress (what it receives). */
export const EBPF_FROM_POD = "from_pod";
export const EBPF_TO_POD = "to_pod";

/** A compiled program: the object file and which of the entry points it defines. */
export interface BpfObject {
  readonly path: string;
  readonly programs: readonly string[];
}

const compiled = new Map<string, Promise<BpfObject>>();
const objectDir = (): string => runDir("bpfobj");

async function compile(source: string, key: string): Promise<BpfObject> {
  const src = join(objectDir(), `${key}.bpf.c`);
  const path = join(objectDir(), `${key}.bpf.o`);
  writeFileSync(src, source);
  const incl = ["-I/usr/include/x86_64-linux-gnu", "-I/usr/include/bpf"];
  await runOk("clang", ["-O2", "-g", "-target", "bpf", ...incl, "-c", src, "-o", path], { timeout: 60_000 });
  const syms = await runOk("llvm-objdump", ["--syms", path]);
  const programs = [EBPF_TO_POD, EBPF_FROM_POD].filter((p) => new RegExp(`\\s${p}$`, "m").test(syms));
  if (programs.length === 0)
    throw new Error(`ebpf: the program defines neither ${EBPF_FROM_POD} nor ${EBPF_TO_POD}`);
  return { path, programs };
}

/** The object of the one `.c` program among the artifacts (compiled on first sight of its source). */
export function bpfObject(artifacts: readonly Artifact[]): Promise<BpfObject> {
  const sources = artifacts.filter((a) => artifactKind(a.path) === "bpf-c");
  if (sources.length !== 1)
    return Promise.reject(
      new Error(`ebpf: expected one .c program among the artifacts, got ${sources.length}`),
    );
  const source = sources[0]!.content;
  const key = createHash("sha256").update(source).digest("hex").slice(0, 16);
  let obj = compiled.get(key);
  if (obj === undefined) {
    obj = compile(source, key);
    // A failed compile is not cached: the next scenario reports its own error.
    obj.catch(() => compiled.delete(key));
    compiled.set(key, obj);
  }
  return obj;
}
