import { expect } from "vitest";
import { type ParsedCluster, parseCluster, type Source } from "../../src/io/parse-cluster.ts";
import { InputError, type InputIssue } from "../../src/model/input-error.ts";

/** A NetworkPolicy manifest (as a JS object) in namespace `ns` with the given spec. */
export const policy = (spec: unknown, name = "np", ns = "ns"): Record<string, unknown> => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: ns },
  spec,
});

/** A Pod manifest (as a JS object). */
export const pod = (extra: Record<string, unknown> = {}, name = "a", ns = "ns"): Record<string, unknown> => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: ns },
  ...extra,
});

/** One JSON source holding a v1 List of the objects. */
export const jsonList = (items: unknown[], name = "in.json"): Source => ({
  name,
  text: JSON.stringify({ apiVersion: "v1", kind: "List", items }),
});

/** Parse and expect success. */
export const ok = (...sources: Source[]): ParsedCluster => parseCluster(sources);

/** Parse and expect an InputError; returns its issues. */
export function issues(...sources: Source[]): readonly InputIssue[] {
  try {
    parseCluster(sources);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).issues;
  }
  throw new Error("expected an InputError");
}

/** Parse one object (JSON) and expect exactly one issue. */
export function oneIssue(object: unknown): InputIssue {
  const found = issues({ name: "f.json", text: JSON.stringify(object) });
  expect(found, JSON.stringify(found)).toHaveLength(1);
  return found[0]!;
}
