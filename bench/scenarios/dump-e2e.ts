// `netpol check` end to end on generated `kubectl get -A -o yaml|json` dumps of 2,000 and 10,000
// pods, beside JSON.parse of the same JSON and the YAML readers alone (bench/dump-e2e.ts). The
// `yaml` parser is timed on the 2k dump only: on the 10k one it takes ~a minute and gigabytes.
import { runDumpScenario } from "../dump-e2e.ts";
import { CORE_10K } from "../workloads.ts";

runDumpScenario(
  "dump-e2e",
  [
    {
      name: "2k",
      cluster: { namespaces: 200, podsPerNamespace: 10, policiesPerNamespace: 5, seed: 20261204 },
      samples: 5,
      yamlLibSamples: 2,
    },
    { name: "10k", cluster: CORE_10K, samples: 3, yamlLibSamples: 0 },
  ],
  5,
);
