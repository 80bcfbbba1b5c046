// Hostile and odd use of the CLI found by red-teaming: each case crashed, printed a stack trace, or
// answered something other than what was asked before it was fixed.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.ts";
import { compile, parseCluster } from "../../src/index.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const SHOP = join(ROOT, "examples", "shop");
const tmp = mkdtempSync(join(tmpdir(), "netpol-hostile-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function netpol(args: string[], stdin = "") {
  const out: string[] = [];
  let stderr = "";
  const code = run(args, {
    stdout: (t) => {
      out.push(t);
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: () => stdin,
  });
  return { code, stdout: out.join(""), writes: out.length, stderr };
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

const check = ["check", SHOP, "--from", "shop/frontend", "--to", "shop/api"];

describe("arguments", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "command %s is unknown (not found on Object.prototype)",
    (command) => {
      const r = netpol([command, SHOP, "--port", "80"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown command "${command}"`);
      expect(r.stderr).not.toContain("internal error");
    },
  );

  it.each(["HTTP", "+80", "http_x", "a--b"])("--port %s is no port name: a usage error", (port) => {
    const r = netpol([...check, "--port", port]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--port must be 1-65535 or a port name, got "${port}"`);
  });

  it("an option given twice is a usage error, not the last one silently", () => {
    const r = netpol([...check, "--to", "shop/db", "--port", "80"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--to is given more than once");
  });
});

describe("check --flows", () => {
  it("reports every flow that names no endpoint, not only the first", () => {
    const flows = file(
      "bad-flows.json",
      JSON.stringify([
        { from: "shop/nope", to: "shop/api", port: 80 },
        { from: "shop/frontend", to: "shop/api", port: 80 },
        { from: "shop/frontend", to: "fe80::1%eth0", port: 80 },
      ]),
    );
    const r = netpol(["check", SHOP, "--flows", flows]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(2);
    expect(r.stderr).toContain(": [0]: ");
    expect(r.stderr).toContain(": [2]: ");
  });
});

describe("matrix is streamed", () => {
  const big = (n: number): string => {
    const items = Array.from({ length: n }, (_, i) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `p${i}`, namespace: `ns${i % 7}`, labels: { app: `a${i % 5}` } },
      spec: { containers: [{ ports: [{ name: "http", containerPort: 8000 + (i % 3) }] }] },
      status: { podIP: `10.0.${i >> 8}.${i & 255}` },
    }));
    items.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "np", namespace: "ns1" },
      spec: { podSelector: { matchLabels: { app: "a1" } }, ingress: [{ from: [{ podSelector: {} }] }] },
    } as never);
    return JSON.stringify({ apiVersion: "v1", kind: "List", items });
  };

  it("row by row, with the bytes table.matrix() gives (JSON and text, numeric and named ports)", () => {
    const text = big(60);
    const path = file("big.json", text);
    const table = compile(parseCluster([{ name: path, text }]).cluster);
    for (const port of [8001, "http"] as const) {
      const m = table.matrix({ port });
      const r = netpol(["matrix", path, "--port", String(port), "--format", "json", "-q"]);
      expect(r.code).toBe(0);
      expect(r.writes).toBeGreaterThan(60); // not one string of every pair
      const parsed = JSON.parse(r.stdout);
      expect(parsed.flows).toEqual(m.flows);
      expect(r.stdout).toBe(
        `${JSON.stringify({ port: m.port, protocol: m.protocol, profile: m.profile }).slice(0, -1)},"flows":[\n${m.flows.map((f) => JSON.stringify(f)).join(",\n")}\n]}\n`,
      );
      const t = netpol(["matrix", path, "--port", String(port), "-q"]);
      const marks = { allow: "✓", deny: "✗", unknown: "?" } as const;
      const rows = t.stdout.split("\n").slice(2, 62);
      rows.forEach((line, i) => {
        const cells = line.split(/\s+/).slice(-60);
        expect(cells).toEqual(m.flows.slice(i * 60, i * 60 + 60).map((f) => marks[f.verdict]));
      });
    }
  });
});

describe("files that are not UTF-8 text", () => {
  it.each([
    ["gzip", gzipSync(readFileSync(join(SHOP, "pods.yaml")))],
    ["utf16", Buffer.from(`\uFEFF${readFileSync(join(SHOP, "pods.yaml"), "utf8")}`, "utf16le")],
    [
      "latin1",
      Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {x: "caf\xe9"}}\n', "latin1"),
    ],
  ])("%s is not-text, not a garbled message", (name, bytes) => {
    const r = netpol(["matrix", file(`${name}.yaml`, bytes), "--port", "80"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[not-text\]\n$/);
    expect(r.stderr).not.toContain("\uFFFD");
  });

  it("a UTF-8 file with a BOM is read (JSON too)", () => {
    const json = file("bom.json", '\uFEFF{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}');
    expect(netpol(["matrix", json, "--port", "80"]).code).toBe(0);
  });
});

describe("the executable", () => {
  it("ends quietly when its reader goes away (… | head), without an EPIPE stack trace", () => {
    const path = file("pipe.json", pipeCluster());
    const cmd = `"${process.execPath}" --import tsx src/cli/main.ts matrix "${path}" --port 80 --format json -q | head -c 10`;
    const r = spawnSync("sh", ["-c", cmd], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toBe('{"port":80');
    expect(r.stderr).toBe("");
  });

  it("reads binary stdin as not-text", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "matrix", "-", "--port", "80"],
      {
        cwd: ROOT,
        input: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]),
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("<stdin>: not valid UTF-8");
  });
});

/** A 300-pod cluster: a matrix of ~9 MB of JSON, more than a pipe holds. */
function pipeCluster(): string {
  const items = Array.from({ length: 300 }, (_, i) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `p${i}`, namespace: "ns" },
  }));
  return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}

describe("the same files in another order print the same", () => {
  it("matrix, check, explain: stdout and stderr byte-identical", () => {
    const a = file(
      "order-a.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x, labels: {app: a}}\nspec: {containers: [{ports: [{name: http, containerPort: 80}]}]}\nstatus: {podIP: 10.0.0.1}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: x}\nspec: {podSelector: null, ingress: [{from: []}]}\n",
    );
    const b = file(
      "order-b.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x, labels: {app: a}}\nspec: {containers: [{ports: [{name: http, containerPort: 80}]}]}\nstatus: {podIP: 10.0.0.1}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p2, namespace: z}\nstatus: {podIP: 10.0.0.1}\n",
    );
    const missing = join(tmp, "order-missing.yaml");
    for (const tail of [
      ["matrix", "--port", "http", "--format", "json"],
      ["check", "--from", "x/p1", "--to", "z/p2", "--port", "80", "--format", "json"],
      ["explain", "--from", "10.0.0.1", "--to", "x/p1", "--port", "http"],
    ]) {
      const [cmd, ...opts] = tail;
      const ab = netpol([cmd!, a, b, ...opts]);
      const ba = netpol([cmd!, b, a, ...opts]);
      expect(ab.code).toBe(0);
      expect(ba.stdout).toBe(ab.stdout);
      expect(ba.stderr).toBe(ab.stderr);
      expect(ab.stderr).toContain("[duplicate-object]");
    }
    const bad = netpol(["matrix", missing, a, join(tmp, "order-0.yaml"), "--port", "80"]);
    expect(netpol(["matrix", join(tmp, "order-0.yaml"), a, missing, "--port", "80"]).stderr).toBe(bad.stderr);
  });
});

describe("--flows", () => {
  it("refuses a directory (its first file was taken silently as the flows)", () => {
    const dir = join(tmp, "flows-dir");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(join(dir, "a.json"), '[{"from":"shop/frontend","to":"shop/api","port":8080}]');
    writeFileSync(join(dir, "b.json"), '[{"from":"shop/frontend","to":"shop/db","port":5432}]');
    const r = netpol(["check", SHOP, "--flows", dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--flows takes a file or -, not a directory [not-a-file]");
  });
});

describe("every source is read with a cap", () => {
  const main = (args: string, stdin = "") =>
    spawnSync("sh", ["-c", `${stdin}"${process.execPath}" --import tsx src/cli/main.ts ${args}`], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 90_000, // a hang guard: these once ran for minutes (no timed assertion)
    });
  const flow = "--from a/b --to a/c --port 80";

  it("a character device named as input (/dev/zero) is not-a-file, never read", () => {
    const r = main(`check /dev/zero ${flow}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "netpol: error: /dev/zero: a character device, not a regular file (manifests are read from files, directories, pipes or -) [not-a-file]\n",
    );
  });

  it("a pipe that never ends (yes | netpol check -) is refused at the limit", () => {
    const r = main(`check - ${flow}`, "yes | ");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `netpol: error: <stdin>: more than ${256 * 1024 * 1024} bytes (reading stopped at the limit) [too-large]\n`,
    );
  });

  it("a named FIFO is read like a pipe, with the cap", () => {
    const fifo = join(tmp, "fifo");
    // `timeout` around the redirection: a writer whose reader never opens the FIFO blocks for ever.
    const r = main(
      `check "${fifo}" ${flow}`,
      `rm -f "${fifo}"; mkfifo "${fifo}"; (timeout 120 sh -c 'yes > "${fifo}"' 2>/dev/null &); `,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${fifo}: more than ${256 * 1024 * 1024} bytes (reading stopped at the limit) [too-large]`,
    );
  });

  it("/dev/zero on stdin stops at the first NUL: not-text at once", () => {
    const r = main(`check - ${flow}`, "");
    expect(r.status).toBe(2); // empty stdin: no objects → the flow's pods are unknown
    const z = main(`check - ${flow} < /dev/zero`);
    expect(z.status).toBe(2);
    expect(z.stderr).toContain("<stdin>: contains NUL bytes");
  });
});

describe("options are checked before any input is read", () => {
  const never = () => {
    throw new Error("stdin was read");
  };
  it.each([
    [["check", "/dev/zero", "--port", "abc"], "--from is required"],
    [
      ["check", "/dev/zero", "--from", "a/b", "--to", "a/c", "--port", "HTTP"],
      '--port must be 1-65535 or a port name, got "HTTP"',
    ],
    [
      ["check", "-", "--from", "a/b", "--to", "a/c", "--port", "80", "--protocol", "icmp"],
      "--protocol must be TCP, UDP or SCTP",
    ],
    [["check", "-", "--from", "a/b", "--port", "80"], "--to is required"],
    [["matrix", "-", "--port", "80", "--format", "xml"], "--format must be text or json"],
    [
      ["check", "-", "--from", "a/b", "--to", "a/c", "--port", "80", "--expect", "maybe"],
      "--expect must be allow or deny",
    ],
    [["explain", "-", "--from", "a/b", "--to", "a/c"], "--port is required"],
    [["matrix", "-", "--port", "80", "--profile", "nope"], 'unknown profile "nope"'],
  ])("%j", (args, message) => {
    let stderr = "";
    const code = run(args, { stdout: () => {}, stderr: (t) => void (stderr += t), readStdin: never });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain("stdin was read");
  });
});

describe("a directory's entries that are not files", () => {
  it("a dangling link or a FIFO named like a manifest is an error, not a silent skip", () => {
    const dir = join(tmp, "odd-entries");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a-ok.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
    symlinkSync(join(dir, "gone.yaml"), join(dir, "b-dangling.yaml"));
    const fifo = spawnSync("mkfifo", [join(dir, "c-fifo.yaml")]);
    const r = netpol(["matrix", dir, "--port", "80"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "b-dangling.yaml")}: a symbolic link to nothing [no-such-file]`);
    if (fifo.status === 0) expect(r.stderr).toContain(`${join(dir, "c-fifo.yaml")}: not a regular file`);
    else console.log("mkfifo unavailable: the FIFO case is not checked");
  });
});
