// Determinism at the input boundary: the same manifests in any document order (and split over
// files in any order) give the identical Cluster, the identical compiled table and the
// diagnostics in the same order.
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { compile, parseCluster, serializeTable } from "../../src/index.ts";

const DOCS = [
  "apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {team: a}}",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\nstatus: {podIP: 10.0.0.1}",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: b}}\nstatus: {podIP: 10.0.0.2}",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: lonely}\nstatus: {podIP: 10.0.0.3}",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: d, namespace: other}\nstatus: {podIP: 10.0.0.4}",
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: x}\nspec: {template: {metadata: {labels: {app: web}}}}",
  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: x}",
  "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: a}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: nobody}}}]\n      ports: [{port: web}]",
  "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: q, namespace: other}\nspec:\n  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/24}}]}]",
];

test.prop(
  [
    fc.shuffledSubarray(
      DOCS.map((_, i) => i),
      { minLength: DOCS.length },
    ),
    fc.integer({ min: 1, max: 3 }),
  ],
  {
    numRuns: 60,
  },
)("documents in any order and over any number of files read the same", (order, files) => {
  const read = (idx: readonly number[], nFiles: number) => {
    const sources = Array.from({ length: nFiles }, (_, f) => ({
      name: "m.yaml",
      text: idx
        .filter((_, k) => k % nFiles === f)
        .map((i) => DOCS[i])
        .join("\n---\n"),
    }));
    const { cluster, diagnostics } = parseCluster(sources);
    const table = compile(cluster);
    return {
      cluster: JSON.stringify(cluster),
      table: serializeTable(table),
      diagnostics: [...diagnostics, ...table.diagnostics].map((d) => `${d.code} ${d.object} ${d.path}`),
    };
  };
  const base = read(
    DOCS.map((_, i) => i),
    1,
  );
  const got = read(order, files);
  expect(got).toEqual(base);
  expect(base.diagnostics.length).toBeGreaterThanOrEqual(4);
});
