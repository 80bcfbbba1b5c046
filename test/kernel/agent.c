// The per-namespace agent of the kernel harness, in C: started once per network namespace with
// `ip netns exec <ns> <agent> <name>` (agent-client.ts compiles it once per test file), driven by
// lines on stdin, one line of answer on stdout per request (same id). It exits when stdin closes.
//
//   L <id> <addr,...> <tcp,...|-> <udp,...|->   serve TCP and UDP there (listeners accumulate) → "<id> ok"
//   N <id> <name>                               the name the servers answer with            → "<id> ok"
//   P <id> <timeout-ms> <dst/port/T|U/src|->...  run the probes concurrently → "<id> r <who|-> ..."
//   (a spec, port or source that does not parse is an error, not a blocked probe)
//   any failure                                                                            → "<id> error <why>"
//
// A server answers every TCP connection and every UDP datagram with its current name, so a probe
// proves it reached the intended namespace: `who` is the name that answered, `-` = blocked (timeout,
// refused, reset or unreachable). A UDP probe resends its datagram (4 times within the timeout, a
// neighbour entry may still be resolving) and ignores errors, as an unconnected socket does.
// One epoll loop, no threads; the probes are in agent-probes.c. Why C and not Node.js: ~100
// agents run at once on 2 cores, and a cold V8 per namespace spent about half the machine on a
// few hundred connections a second.
#include "agent.h"

int ep;
char name[64] = "?";
static char **keys;
static size_t nkeys, capkeys;

long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void out(const char *line) {
  size_t n = strlen(line), off = 0;
  while (off < n) {
    ssize_t w = write(1, line + off, n - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      exit(1);
    }
    off += (size_t)w;
  }
}

void reply(long id, const char *what) {
  char line[600];
  snprintf(line, sizeof line, "%ld %s\n", id, what);
  out(line);
}

void fail(long id, const char *what, const char *detail) {
  char msg[512];
  snprintf(msg, sizeof msg, "error %s %s: %s", what, detail, strerror(errno));
  for (char *c = msg; *c; c++)
    if (*c == '\n') *c = ' ';
  reply(id, msg);
}

void watch(struct watch *w, unsigned events) {
  struct epoll_event ev = {.events = events, .data.ptr = w};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, w->fd, &ev) < 0) {
    perror("epoll_ctl");
    exit(1);
  }
}

/** An address and port as a socket address; 0 when the address does not parse. */
int parse_addr(const char *s, int port, struct sockaddr_storage *ss, socklen_t *len) {
  memset(ss, 0, sizeof *ss);
  if (strchr(s, ':') != NULL) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((unsigned short)port);
    *len = sizeof *a;
    return inet_pton(AF_INET6, s, &a->sin6_addr) == 1;
  }
  struct sockaddr_in *a = (struct sockaddr_in *)ss;
  a->sin_family = AF_INET;
  a->sin_port = htons((unsigned short)port);
  *len = sizeof *a;
  return inet_pton(AF_INET, s, &a->sin_addr) == 1;
}

/** A port 1–65535 written in decimal and nothing else; 0 when it is not one. */
int parse_port(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  return s[0] >= '0' && s[0] <= '9' && *end == '\0' && v >= 1 && v <= 65535 ? (int)v : 0;
}

static int has_key(const char *key) {
  for (size_t i = 0; i < nkeys; i++)
    if (strcmp(keys[i], key) == 0) return 1;
  return 0;
}

static void add_key(const char *key) {
  if (nkeys == capkeys) {
    capkeys = capkeys ? capkeys * 2 : 64;
    keys = realloc(keys, capkeys * sizeof *keys);
  }
  keys[nkeys++] = strdup(key);
}

/** A server socket on addr:port; returns 0 and sets errno on failure. */
static int serve(const char *addr, int port, int udp) {
  struct sockaddr_storage ss;
  socklen_t len;
  if (!parse_addr(addr, port, &ss, &len)) {
    errno = EINVAL;
    return 0;
  }
  int fd = socket(ss.ss_family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (ss.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&ss, len) < 0 || (!udp && listen(fd, 1024) < 0)) {
    int e = errno;
    close(fd);
    errno = e;
    return 0;
  }
  struct watch *w = calloc(1, sizeof *w);
  w->kind = udp ? K_UDP_SERVER : K_TCP_SERVER;
  w->fd = fd;
  watch(w, EPOLLIN);
  return 1;
}

static void op_listen(long id, char *addrs, char *tcp, char *udp) {
  char *lists[2] = {tcp, udp};
  char *sa, *sp;
  for (char *a = strtok_r(addrs, ",", &sa); a != NULL; a = strtok_r(NULL, ",", &sa))
    for (int u = 0; u < 2; u++) {
      if (strcmp(lists[u], "-") == 0) continue;
      char ports[4096];
      snprintf(ports, sizeof ports, "%s", lists[u]);
      for (char *p = strtok_r(ports, ",", &sp); p != NULL; p = strtok_r(NULL, ",", &sp)) {
        char key[128];
        snprintf(key, sizeof key, "%c %s %s", u ? 'U' : 'T', a, p);
        if (has_key(key)) continue;
        if (parse_port(p) == 0) {
          errno = EINVAL;
          fail(id, "listen", key);
          return;
        }
        if (!serve(a, parse_port(p), u)) {
          fail(id, "listen", key);
          return;
        }
        add_key(key);
      }
    }
  reply(id, "ok");
}

static void handle_line(char *line) {
  char *sv;
  char *op = strtok_r(line, " ", &sv), *ids = strtok_r(NULL, " ", &sv);
  if (op == NULL) return;
  long id = ids ? atol(ids) : -1;
  if (strcmp(op, "L") == 0) {
    char *addrs = strtok_r(NULL, " ", &sv), *tcp = strtok_r(NULL, " ", &sv), *udp = strtok_r(NULL, " ", &sv);
    if (addrs && tcp && udp) return op_listen(id, addrs, tcp, udp);
  } else if (strcmp(op, "N") == 0) {
    char *n = strtok_r(NULL, " ", &sv);
    if (n) {
      snprintf(name, sizeof name, "%s", n);
      return reply(id, "ok");
    }
  } else if (strcmp(op, "P") == 0) {
    char *t = strtok_r(NULL, " ", &sv), *end = NULL;
    long timeout = t ? strtol(t, &end, 10) : 0;
    if (t && *end == '\0' && timeout > 0) return op_probe(id, timeout, sv ? sv : (char *)"");
  }
  errno = EINVAL;
  fail(id, "request", op);
}

static void on_stdin(void) {
  static char *buf;
  static size_t len, cap;
  if (cap - len < 65536) {
    cap = cap ? cap * 2 : 1 << 17;
    buf = realloc(buf, cap);
  }
  ssize_t n = read(0, buf + len, cap - len - 1);
  if (n == 0) exit(0);
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return;
    exit(1);
  }
  len += (size_t)n;
  char *start = buf, *nl;
  while ((nl = memchr(start, '\n', (size_t)(buf + len - start))) != NULL) {
    *nl = '\0';
    handle_line(start);
    start = nl + 1;
  }
  len -= (size_t)(start - buf);
  memmove(buf, start, len);
}

static void on_tcp_server(int fd) {
  for (;;) {
    int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c < 0) return;
    char msg[80];
    int n = snprintf(msg, sizeof msg, "%s\n", name);
    (void)!send(c, msg, (size_t)n, MSG_NOSIGNAL);
    shutdown(c, SHUT_WR);
    close(c);
  }
}

static void on_udp_server(int fd) {
  for (;;) {
    char in[512];
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    if (recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&from, &flen) < 0) return;
    char msg[80];
    int n = snprintf(msg, sizeof msg, "%s\n", name);
    (void)!sendto(fd, msg, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&from, flen);
  }
}

int main(int argc, char **argv) {
  if (argc > 1) snprintf(name, sizeof name, "%s", argv[1]);
  signal(SIGPIPE, SIG_IGN);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  ep = epoll_create1(EPOLL_CLOEXEC);
  static struct watch in = {.kind = K_STDIN, .fd = 0};
  watch(&in, EPOLLIN);
  char ready[80];
  snprintf(ready, sizeof ready, "0 ok %s\n", name);
  out(ready);
  struct epoll_event evs[64];
  for (;;) {
    int wait = tick();
    int n = epoll_wait(ep, evs, 64, wait < 0 ? 0 : wait);
    for (int i = 0; i < n; i++) {
      struct watch *w = evs[i].data.ptr;
      if (w->kind == K_STDIN) on_stdin();
      else if (w->kind == K_TCP_SERVER) on_tcp_server(w->fd);
      else if (w->kind == K_UDP_SERVER) on_udp_server(w->fd);
      else on_probe(w->probe, evs[i].events);
    }
    reap();
  }
}
