// `networks-cover-pod-ips` rewritten for a pod spliced in or out, against the text the compiler
// writes (model/diagnostic-text.ts), and left to a compile where the text cannot tell.
import { describe, expect, it } from "vitest";
import { coveredAfter } from "../../src/incremental/covered-pods.ts";
import { networksCoverMessage, parseNetworksCover } from "../../src/model/diagnostic-text.ts";
import type { Diagnostic, Pod } from "../../src/model/types.ts";

const pod = (namespace: string, name: string, ip: string): Pod => ({
  namespace,
  name,
  labels: {},
  ports: [],
  hostNetwork: false,
  podIPs: [ip],
});
const cover = (count: number, first: string, ip: string): Diagnostic => ({
  severity: "info",
  code: "networks-cover-pod-ips",
  object: "ClusterNetworkPolicy deny",
  path: "spec.egress[0].to[0].networks[0]",
  message: networksCoverMessage({ cidr: "10.0.0.0/16", count, pod: first, ip }),
});
const other: Diagnostic = { severity: "warning", code: "selects-no-subject", message: "x" };

describe("covered pods", () => {
  it("reads back what the compiler writes", () => {
    const facts = { cidr: "fd00::/64", count: 12, pod: "shop/web-1", ip: "fd00::5" };
    expect(parseNetworksCover(networksCoverMessage(facts))).toEqual(facts);
    expect(parseNetworksCover("something else")).toBeUndefined();
  });
  it("counts a pod added inside the CIDR, and names it when it sorts first", () => {
    const [d] = coveredAfter([cover(2, "shop/b", "10.0.0.2"), other], pod("shop", "c", "10.0.0.3"), 1)!;
    expect(parseNetworksCover(d!.message)).toMatchObject({ count: 3, pod: "shop/b", ip: "10.0.0.2" });
    const [e] = coveredAfter([cover(2, "shop/b", "10.0.0.2")], pod("shop", "a", "10.0.0.9"), 1)!;
    expect(parseNetworksCover(e!.message)).toMatchObject({ count: 3, pod: "shop/a", ip: "10.0.0.9" });
    const [f] = coveredAfter([cover(2, "shop/b", "10.0.0.2")], pod("api", "z", "10.0.0.9"), 1)!;
    expect(parseNetworksCover(f!.message)).toMatchObject({ pod: "api/z" }); // namespace first
  });
  it("leaves diagnostics of CIDRs the pod is outside of as they are", () => {
    const list = [cover(2, "shop/b", "10.0.0.2"), other];
    expect(coveredAfter(list, pod("shop", "a", "192.168.0.1"), 1)).toEqual(list);
    expect(coveredAfter([other], pod("shop", "a", "10.0.0.1"), 1)).toEqual([other]);
  });
  it("uncounts a pod removed, and asks for a compile when it was the one named", () => {
    const [d] = coveredAfter([cover(3, "shop/b", "10.0.0.2")], pod("shop", "c", "10.0.0.3"), -1)!;
    expect(parseNetworksCover(d!.message)).toMatchObject({ count: 2, pod: "shop/b" });
    expect(coveredAfter([cover(3, "shop/b", "10.0.0.2")], pod("shop", "b", "10.0.0.2"), -1)).toBeUndefined();
  });
});
