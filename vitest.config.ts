import { configDefaults, defineConfig } from "vitest/config";

// Two named parts: "unit" (everything under test/ but the kernel tests) and "kernel" (the rendered
// rules on the real Linux kernel: test/kernel/*.kernel.test.ts, root only; they print why they skip
// elsewhere, and must run on CI: .ci/run sets NETPOL_KERNEL_REQUIRED=1). `npm test` runs both.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/kernel/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "kernel",
          include: ["test/kernel/**/*.kernel.test.ts"],
          // One temporary directory for the run (agent, eBPF objects, shell scripts), removed at its end.
          globalSetup: ["test/kernel/global-setup.ts"],
          // One kernel file at a time: each builds its own topologies and runs its loaders in parallel.
          fileParallelism: false,
          // A hang guard: the scenario file's slowest loader (ebpf, 285 scenarios) took 135 s on an
          // idle 2-core machine (2026-12-07, C agents and one node shell per topology).
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
