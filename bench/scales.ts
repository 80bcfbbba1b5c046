// Issue 14's scale scenarios by name: the cluster each one compiles (seeded, deterministic), how
// much of each measurement it gets, and the published numbers it is read against. One file per
// scenario in bench/scenarios/ runs one of these in its own process (scale-scenario.ts).
//
// | name | cluster |
// |---|---|
// | S | 50 namespaces × 10 pods × 5 policies (generate.ts) |
// | M | 200 × 10 × 5 |
// | L | 1,000 × 10 × 5 (10k pods, 5k policies: the former core-10k, same seed) |
// | L-dense | 1 namespace, 10k pods, 10k policies all selecting each other (Antrea's one-namespace test) |
// | L-real | 600 namespaces, 5.4k pods, 13.7k policies shaped like a real export (generate-real.ts) |
// | XL | 25,000 × 4 × 3 (100k pods, 75k policies: Antrea's large-scale test) |
// | XL-unique | 5,000 × 10 × 5 + every pod's label set unique, one instance policy per namespace (50k pods, 30k policies) |
// | adversarial | 1,000 pods, 1,000 policies each selecting one pod with 20 /32 ipBlocks and 20 port ranges, both directions (hostile-20) |
//
// and each `<name>-admin`: the same cluster with 200 admin/baseline ClusterNetworkPolicies and 20
// Node objects (generate-tiers.ts; seeds as admin-10k's: 20240611 for the policies, the cluster's
// seed + 2 for the nodes — L-admin is admin-10k's cluster with its tiers).
import type { Cluster } from "../src/model/types.ts";
import { generateCluster } from "./generate.ts";
import { generateHostileCluster, hostileOptions } from "./generate-hostile.ts";
import { describeReal, generateReal, L_REAL } from "./generate-real.ts";
import { generateDense, withAdmin, withUniqueLabels } from "./generate-scale.ts";

/** Published numbers a scenario is read against (docs/performance.md has the sources). */
export interface Published {
  readonly compileMs?: number;
  readonly retainedMB?: number;
  readonly source: string;
}

export interface ScaleSpec {
  readonly name: string;
  /** The scenario without `-admin`. */
  readonly base: string;
  readonly admin: boolean;
  /** What the generator was given (reported). */
  readonly shape: Readonly<Record<string, unknown>>;
  build(): Cluster;
  /** Facts about the generated cluster beyond its counts (L-real's shape figures). */
  describe?(cluster: Cluster): Record<string, unknown>;
  readonly compileSamples: { readonly warmup: number; readonly steady: number; readonly afterFullGC: number };
  readonly retainedSamples: number;
  /** Flows given to the reference evaluator, and its minimum time per measurement. */
  readonly referenceFlows: number;
  readonly referenceMinMs: number;
  /** Also time `netpol list`'s full iteration (`connectionList`), which is per workload pair. */
  readonly list: boolean;
  /** Render every built-in backend once, for the rendered-size gate. */
  readonly render: boolean;
  /** Events per kind in the full run (0: no event stream); the quick run streams L's. */
  readonly events: number;
  /** Compile this scenario's cluster too, in the same process, for `compileOverL`. */
  readonly compareWith?: string;
  readonly published?: Published;
}

export const ADMIN_POLICY_SEED = 20240611;
const ANTREA_XL: Published = {
  compileMs: 6100,
  retainedMB: 1600,
  source: "Antrea controller, 25k namespaces / 100k pods / 75k NetworkPolicies: 5.8–6.4 s, 1.5–1.7 GB",
};
const ANTREA_DENSE: Published = {
  compileMs: 10_700,
  retainedMB: 1160,
  source:
    "Antrea controller, 1 namespace / 10k pods / 10k policies all selecting each other: 10.7 s, 1.16 GB",
};

type Base = Omit<ScaleSpec, "name" | "base" | "admin" | "build"> & { build(): Cluster };

const core = (namespaces: number, podsPerNamespace: number, policiesPerNamespace: number, seed: number) => {
  const shape = { namespaces, podsPerNamespace, policiesPerNamespace, seed };
  return { shape, build: () => generateCluster(shape) };
};

const BASES: Readonly<Record<string, Base>> = {
  S: {
    ...core(50, 10, 5, 20240603),
    compileSamples: { warmup: 5, steady: 25, afterFullGC: 5 },
    retainedSamples: 5,
    referenceFlows: 400,
    referenceMinMs: 1000,
    list: true,
    render: true,
    events: 20,
  },
  M: {
    ...core(200, 10, 5, 20240602),
    compileSamples: { warmup: 5, steady: 25, afterFullGC: 5 },
    retainedSamples: 5,
    referenceFlows: 400,
    referenceMinMs: 1000,
    list: true,
    render: true,
    events: 20,
  },
  L: {
    ...core(1000, 10, 5, 20240601),
    compileSamples: { warmup: 5, steady: 25, afterFullGC: 9 },
    retainedSamples: 5,
    referenceFlows: 400,
    referenceMinMs: 2000,
    list: true,
    render: true,
    events: 20,
  },
  "L-dense": {
    shape: { namespaces: 1, pods: 10_000, policies: 10_000, seed: 20240606 },
    build: () => generateDense({ pods: 10_000, policies: 10_000, seed: 20240606 }),
    compileSamples: { warmup: 1, steady: 5, afterFullGC: 0 },
    retainedSamples: 2,
    referenceFlows: 40,
    referenceMinMs: 1000,
    list: false,
    render: false,
    events: 2,
    published: ANTREA_DENSE,
  },
  "L-real": {
    shape: { ...L_REAL },
    build: () => generateReal(L_REAL),
    describe: describeReal,
    compileSamples: { warmup: 2, steady: 9, afterFullGC: 0 },
    retainedSamples: 3,
    referenceFlows: 200,
    referenceMinMs: 1000,
    list: true,
    render: true,
    events: 3,
  },
  XL: {
    ...core(25_000, 4, 3, 20240604),
    compileSamples: { warmup: 2, steady: 7, afterFullGC: 0 },
    retainedSamples: 3,
    referenceFlows: 40,
    referenceMinMs: 1000,
    list: false,
    render: false,
    events: 2,
    compareWith: "L",
    published: ANTREA_XL,
  },
  "XL-unique": {
    shape: {
      namespaces: 5000,
      podsPerNamespace: 10,
      policiesPerNamespace: 5,
      seed: 20240607,
      uniqueLabels: true,
    },
    build: () =>
      withUniqueLabels(
        generateCluster({ namespaces: 5000, podsPerNamespace: 10, policiesPerNamespace: 5, seed: 20240607 }),
      ),
    compileSamples: { warmup: 2, steady: 7, afterFullGC: 0 },
    retainedSamples: 3,
    referenceFlows: 40,
    referenceMinMs: 1000,
    list: false,
    render: false,
    events: 2,
  },
  adversarial: {
    shape: { ...hostileOptions("hostile-20")!, seed: 20240621 },
    build: () => generateHostileCluster(hostileOptions("hostile-20")!),
    compileSamples: { warmup: 2, steady: 9, afterFullGC: 0 },
    retainedSamples: 3,
    referenceFlows: 200,
    referenceMinMs: 1000,
    list: false,
    render: true,
    events: 3,
  },
};

/** The scenario names, in the order `npm run bench` runs them. */
export const SCALE_NAMES: readonly string[] = Object.keys(BASES).flatMap((b) => [b, `${b}-admin`]);
/** `npm run bench -- --quick`: these, and the event streams on L only. */
export const QUICK_NAMES: readonly string[] = ["S", "M", "L"];

export function scaleSpec(name: string): ScaleSpec {
  const admin = name.endsWith("-admin");
  const base = admin ? name.slice(0, -"-admin".length) : name;
  const b = BASES[base];
  if (b === undefined) throw new Error(`unknown scale scenario ${name} (${SCALE_NAMES.join(", ")})`);
  if (!admin) return { ...b, name, base, admin };
  // The admin variants are read against the same published numbers only where those had no
  // cluster policies either: none had, so they carry none.
  const { published: _, ...rest } = b;
  return {
    ...rest,
    name,
    base,
    admin,
    shape: { ...b.shape, clusterPolicies: 200, clusterPolicySeed: ADMIN_POLICY_SEED, nodes: 20 },
    // Each event is checked by a compile, 8–20× the plain one with the tiers: fewer of them.
    events: Math.min(b.events, 10),
    build: () => withAdmin(b.build(), ADMIN_POLICY_SEED, Number(b.shape.seed) + 2),
  };
}
