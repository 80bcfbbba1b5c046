// `netpol check` end to end on `kubectl get -A -o yaml|json` dumps of generated clusters (issue 12):
// the dump written to a file, then `run()` of the CLI in this process (argument parsing, reading the
// file with its cap, parsing, compiling, deciding one flow), timed; beside it, in the same process,
// `JSON.parse` of the same JSON text and the two YAML readers alone (js-yaml, what is used, and the
// `yaml` parser, what was used). One child process of the CLI per dump (`node --import tsx`,
// startup and transpiling included) gives the wall time a user sees.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../src/cli/run.ts";
import { readYaml } from "../src/io/read-yaml.ts";
import { readYamlComposed } from "../src/io/read-yaml-composed.ts";
import { type GenerateOptions, generateCluster } from "./generate.ts";
import { loadAverage, log, type Samples, timeMs, watchOtherLoad } from "./harness.ts";
import { kubectlJson, kubectlList, kubectlYaml } from "./kubectl-dump.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface DumpCase {
  readonly name: string;
  readonly cluster: GenerateOptions;
  /** Samples of each timed step (the 10k YAML `yaml`-parser read takes ~40 s: `yamlLibSamples`). */
  readonly samples: number;
  readonly yamlLibSamples: number;
}

/** `run()` of `netpol check <file> --from a --to b --port 80`: exit code and wall time. */
function checkOnce(path: string, from: string, to: string): { code: number; stderr: string } {
  let stderr = "";
  const code = run(["check", path, "--from", from, "--to", to, "--port", "80", "-q"], {
    stdout: () => {},
    stderr: (t) => {
      stderr += t;
    },
    readStdin: () => "",
  });
  return { code, stderr };
}

function childMs(path: string, from: string, to: string): { ms: number; status: number | null } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "check", path, "--from", from, "--to", to, "--port", "80", "-q"],
    { cwd: ROOT, encoding: "utf8", timeout: 600_000 },
  );
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status };
}

function measureCase(c: DumpCase, dir: string): Record<string, unknown> {
  const cluster = generateCluster(c.cluster);
  const list = kubectlList(cluster);
  const yaml = kubectlYaml(list);
  const json = kubectlJson(list);
  const files = { yaml: join(dir, `${c.name}.yaml`), json: join(dir, `${c.name}.json`) };
  writeFileSync(files.yaml, yaml);
  writeFileSync(files.json, json);
  const from = `${cluster.pods[3]!.namespace}/${cluster.pods[3]!.name}`;
  const to = `${cluster.pods[17]!.namespace}/${cluster.pods[17]!.name}`;
  log(
    `${c.name}: ${cluster.pods.length} pods, YAML ${(yaml.length / 1e6).toFixed(1)} MB, JSON ${(json.length / 1e6).toFixed(1)} MB`,
  );

  const verdicts: Record<string, number> = {};
  const e2e = (path: string, key: string): { wall: Samples; cpu: Samples } =>
    timeMs(
      () => {
        const r = checkOnce(path, from, to);
        if (r.code !== 0) throw new Error(`${key}: exit ${r.code}: ${r.stderr.slice(0, 500)}`);
        verdicts[key] = r.code;
      },
      { warmup: 1, samples: c.samples },
    );
  const checkJson = e2e(files.json, "json");
  const checkYaml = e2e(files.yaml, "yaml");
  const jsonParse = timeMs(() => JSON.parse(json), { warmup: 1, samples: c.samples });
  const fastRead = timeMs(() => readYaml(yaml, "dump.yaml"), { warmup: 1, samples: c.samples });
  const libRead =
    c.yamlLibSamples > 0
      ? timeMs(() => readYamlComposed(yaml, "dump.yaml"), { warmup: 0, samples: c.yamlLibSamples })
      : undefined;
  const same =
    JSON.stringify(readYaml(yaml, "d").documents[0]!.value) === JSON.stringify(JSON.parse(json)) &&
    (libRead === undefined ||
      JSON.stringify(readYamlComposed(yaml, "d").documents[0]!.value) === JSON.stringify(JSON.parse(json)));
  log(`${c.name}: child processes`);
  const child = { yaml: childMs(files.yaml, from, to), json: childMs(files.json, from, to) };
  return {
    pods: cluster.pods.length,
    namespaces: cluster.namespaces.length,
    policies: cluster.networkPolicies.length,
    generator: c.cluster,
    bytes: { yaml: Buffer.byteLength(yaml), json: Buffer.byteLength(json) },
    flow: { from, to, port: 80 },
    checkRunMs: { yaml: checkYaml.wall, json: checkJson.wall },
    checkRunCpuMs: { yaml: checkYaml.cpu, json: checkJson.cpu },
    checkChildProcessMs: { yaml: Math.round(child.yaml.ms), json: Math.round(child.json.ms) },
    childExit: { yaml: child.yaml.status, json: child.json.status },
    jsonParseMs: jsonParse.wall,
    readYamlMs: { jsYaml: fastRead.wall, yamlLib: libRead?.wall ?? null },
    yamlLibOverJsYaml:
      libRead === undefined ? null : Number((libRead.wall.median / fastRead.wall.median).toFixed(1)),
    sameValueAsJson: same,
  };
}

/** Every case, one JSON line on stdout. */
export function runDumpScenario(name: string, cases: readonly DumpCase[], goalSpeedup: number): void {
  const loadBefore = loadAverage();
  const otherLoad = watchOtherLoad();
  const dir = mkdtempSync(join(tmpdir(), "netpol-dump-"));
  const results: Record<string, unknown> = {};
  try {
    for (const c of cases) {
      results[c.name] = measureCase(c, dir);
      log(`${c.name}: ${JSON.stringify(results[c.name])}`); // kept if a later case fails
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const speedups = Object.values(results)
    .map((r) => (r as { yamlLibOverJsYaml: number | null }).yamlLibOverJsYaml)
    .filter((x): x is number => x !== null);
  const result = {
    name,
    loadavg: { before: loadBefore, after: loadAverage() },
    otherProcessesCores: otherLoad(),
    endToEnd:
      "run() of the CLI in this process (checkRunMs); one `node --import tsx src/cli/main.ts` child (checkChildProcessMs)",
    cases: results,
    goals: {
      yamlLibOverJsYaml: goalSpeedup,
      met: {
        yamlLibOverJsYaml: speedups.length > 0 && speedups.every((s) => s >= goalSpeedup),
        sameValueAsJson: Object.values(results).every(
          (r) => (r as { sameValueAsJson: boolean }).sameValueAsJson,
        ),
      },
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
