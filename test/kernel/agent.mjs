// The per-namespace agent of the kernel harness: started once per network namespace with
// `ip netns exec <ns> node agent.mjs <name>`, driven by JSON lines on stdin, one JSON line of
// answer on stdout per request (same `id`). It exits when stdin closes (its parent died).
//
//   {id, op: "listen", addrs: [ip...], tcp: [port...], udp: [port...]}   → {id, ok: true}
//   {id, op: "name", name}                                               → {id, ok: true}
//   {id, op: "probe", timeout, probes: [{dst, port, proto, src?}]}        → {id, results: [who|null]}
//
// A server answers every TCP connection and every UDP datagram with its current name, so a probe
// proves it reached the intended namespace: `who` is the name that answered, null = blocked
// (timeout, refused, reset or unreachable). Plain JavaScript: it runs under bare `node`.
import dgram from "node:dgram";
import net from "node:net";
import readline from "node:readline";

let name = process.argv[2] ?? "?";
const listening = new Set();

function reply(msg) {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}

function listenTCP(addr, port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((sock) => {
      sock.on("error", () => {});
      sock.end(`${name}\n`);
    });
    server.on("error", reject);
    server.listen({ host: addr, port, ipv6Only: addr.includes(":") }, () => resolve());
  });
}

function listenUDP(addr, port) {
  return new Promise((resolve, reject) => {
    const v6 = addr.includes(":");
    const sock = dgram.createSocket(v6 ? { type: "udp6", ipv6Only: true } : { type: "udp4" });
    sock.on("error", reject);
    sock.on("message", (_msg, rinfo) => sock.send(`${name}\n`, rinfo.port, rinfo.address));
    sock.bind({ address: addr, port }, () => {
      sock.removeAllListeners("error");
      sock.on("error", () => {});
      resolve();
    });
  });
}

async function listen(req) {
  for (const addr of req.addrs)
    for (const [proto, ports, fn] of [
      ["tcp", req.tcp, listenTCP],
      ["udp", req.udp, listenUDP],
    ])
      for (const port of ports) {
        const key = `${proto} ${addr} ${port}`;
        if (listening.has(key)) continue;
        await fn(addr, port);
        listening.add(key);
      }
}

function probeTCP(p, timeout) {
  return new Promise((resolve) => {
    let data = "";
    let done = false;
    const finish = (who) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(who);
    };
    const opts = { host: p.dst, port: p.port };
    if (p.src !== undefined) opts.localAddress = p.src;
    const sock = net.connect(opts);
    const timer = setTimeout(() => finish(null), timeout);
    sock.setEncoding("utf8");
    sock.on("data", (d) => {
      data += d;
      if (data.includes("\n")) finish(data.trim());
    });
    sock.on("end", () => finish(data.trim() === "" ? null : data.trim()));
    sock.on("error", () => finish(null));
  });
}

function probeUDP(p, timeout) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(p.dst.includes(":") ? "udp6" : "udp4");
    let done = false;
    const timers = [];
    const finish = (who) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      sock.close();
      resolve(who);
    };
    sock.on("error", () => finish(null));
    sock.on("message", (msg) => finish(msg.toString("utf8").trim()));
    const send = () => {
      if (!done) sock.send("probe\n", p.port, p.dst, () => {});
    };
    const start = () => {
      // A datagram can be lost (a neighbour entry still resolving): resend, bounded, within the timeout.
      for (let i = 0; i < 4; i++) timers.push(setTimeout(send, (i * timeout) / 5));
      timers.push(setTimeout(() => finish(null), timeout));
    };
    if (p.src === undefined) start();
    else sock.bind({ address: p.src, port: 0 }, start);
  });
}

async function probe(req) {
  const run = (p) => (p.proto === "UDP" ? probeUDP(p, req.timeout) : probeTCP(p, req.timeout));
  return Promise.all(req.probes.map(run));
}

async function handle(req) {
  try {
    if (req.op === "listen") {
      await listen(req);
      reply({ id: req.id, ok: true });
    } else if (req.op === "name") {
      name = req.name;
      reply({ id: req.id, ok: true });
    } else if (req.op === "probe") reply({ id: req.id, results: await probe(req) });
    else reply({ id: req.id, error: `unknown op ${req.op}` });
  } catch (e) {
    reply({ id: req.id, error: String(e?.message ?? e) });
  }
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "") void handle(JSON.parse(line));
});
process.stdin.on("end", () => process.exit(0));
reply({ id: 0, ok: true, ready: name });
