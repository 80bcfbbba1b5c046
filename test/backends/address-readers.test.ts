// The address readers the renderers lean on, held to their definitions on random clusters
// (dual-stack, hostNetwork pods, shared addresses): `podsSharingAddresses` marks exactly the pods
// holding an address another selectable pod holds (`sharedAddresses`), and `podLocalClass` is the
// class `localIntervals` maps the addresses of their first holder to.
import fc from "fast-check";
import { expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { KIND_POD } from "../../src/ir/policy-table-ir.ts";
import {
  localIntervals,
  podLocalClass,
  podsSharingAddresses,
  renderPods,
  sharedAddresses,
} from "../../src/ir/read-render.ts";
import { clusterArb, tieredClusterArb } from "../arbitraries.ts";

it("podsSharingAddresses and podLocalClass agree with sharedAddresses and localIntervals", () => {
  let sharing = 0;
  let local = 0;
  fc.assert(
    fc.property(fc.oneof(clusterArb, tieredClusterArb), (cluster) => {
      const ir = compile(cluster).ir;
      const holders = new Map<string, number[]>();
      for (let p = 0; p < ir.pods.length; p++)
        if (ir.kind[p] === KIND_POD)
          for (const a of ir.podAddresses[p]!) holders.set(a, [...(holders.get(a) ?? []), p]);
      const shared = sharedAddresses(ir);
      const mask = podsSharingAddresses(ir);
      for (const [a, list] of holders) {
        expect(shared.get(a), a).toEqual(list.length > 1 ? list.map((p) => ir.pods[p]) : undefined);
        if (list.length > 1) sharing++;
      }
      for (let p = 0; p < ir.pods.length; p++) {
        const any = ir.kind[p] === KIND_POD && ir.podAddresses[p]!.some((a) => holders.get(a)!.length > 1);
        expect(mask[p], ir.pods[p]).toBe(any ? 1 : 0);
      }
      for (const pod of renderPods(ir))
        for (const direction of [0, 1])
          for (const [family, addresses] of [
            [4, pod.v4],
            [6, pod.v6],
          ] as const)
            for (const a of addresses) {
              if (holders.get(a)![0] !== pod.index) continue; // the address is its first holder's
              const v = addressValue(a);
              const want =
                localIntervals(ir, direction, pod.namespace, family).find(
                  (i) => i.firstValue <= v && v <= i.lastValue,
                )?.cls ?? -1;
              expect(podLocalClass(ir, direction, pod.index), `${pod.name} ${a} dir ${direction}`).toBe(want);
              if (want >= 0) local++;
            }
    }),
    { numRuns: 150 },
  );
  expect(sharing).toBeGreaterThan(0);
  expect(local).toBeGreaterThan(50);
});

function addressValue(address: string): bigint {
  if (!address.includes(":")) return address.split(".").reduce((v, o) => (v << 8n) | BigInt(o), 0n);
  const [head, tail = ""] = address.split("::");
  const h = head === "" ? [] : head!.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const groups = address.includes("::") ? [...h, ...new Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.reduce((v, g) => (v << 16n) | BigInt(`0x${g}`), 0n);
}
