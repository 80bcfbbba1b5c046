// The harness's own parts, on the real kernel: the node namespace's shell (output, a failing step
// named, a timeout that kills the script and a new shell for the next one) and the C agent
// (servers answer with its name, a closed port is blocked, a spec it cannot parse is an error).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelSkipReason, reportSkip } from "./env.ts";
import { Topology } from "./topology.ts";

const skip = reportSkip("harness parts", kernelSkipReason([]));

describe.skipIf(skip)("kernel harness parts", () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await Topology.create();
  });
  afterAll(async () => {
    await topo?.destroy();
  });

  it("runs scripts in the node namespace with their files, and names a failing step", async () => {
    const out = await topo.shell!.run("cat greeting\nip -o link show br0 | wc -l\n", { greeting: "hi\n" });
    expect(out).toBe("hi\n1\n");
    await expect(topo.shell!.run("step sh -c 'echo broken >&2; exit 3'\necho after\n")).rejects.toThrow(
      /exited 3: broken\n\^ sh -c .* exited 3/,
    );
  });

  it("kills a script that overruns its timeout, and the next script gets a new shell", async () => {
    await expect(topo.shell!.run("sleep 5\n", {}, 300)).rejects.toThrow(/did not finish in 300 ms/);
    expect(await topo.shell!.run("echo alive\n")).toBe("alive\n");
  });

  it("serves and probes: the name that answered, null when blocked, an error for a bad spec", async () => {
    const agent = topo.nodeAgent!;
    await agent.listen(["127.0.0.1", "::1"], [7000], [7000]);
    const who = await agent.probe(
      [
        { dst: "127.0.0.1", port: 7000, proto: "TCP" },
        { dst: "::1", port: 7000, proto: "UDP", src: "::1" },
        { dst: "127.0.0.1", port: 7001, proto: "TCP" },
        { dst: "127.0.0.1", port: 7001, proto: "UDP" },
      ],
      200,
    );
    expect(who).toEqual(["node", "node", null, null]);
    await expect(agent.probe([{ dst: "127.0.0.1", port: 0, proto: "TCP" }], 200)).rejects.toThrow(
      /probe spec/,
    );
    await expect(
      agent.probe([{ dst: "127.0.0.1", port: 7000, proto: "TCP", src: "1.2.3" }], 200),
    ).rejects.toThrow(/probe spec/);
    // The agent is still there after an error.
    expect(await agent.probe([{ dst: "127.0.0.1", port: 7000, proto: "TCP" }], 200)).toEqual(["node"]);
  });
});
