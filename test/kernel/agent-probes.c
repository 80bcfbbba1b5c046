// The agent's probes (see agent.c): a batch of them started at once, each a TCP connect or a UDP
// datagram resent 4 times within the timeout; the batch answered when the last one is done.
#include "agent.h"

static struct batch *batches;

static void finish(struct probe *p, const char *who) {
  if (p->done) return;
  p->done = 1;
  if (p->w.fd >= 0) close(p->w.fd); // also leaves the epoll set
  p->who = who ? strdup(who) : NULL;
  struct batch *b = p->batch;
  if (--b->remaining > 0) return;
  size_t cap = 32 + (size_t)b->n * 66, used;
  char *line = malloc(cap);
  used = (size_t)snprintf(line, cap, "%ld r", b->id);
  for (int i = 0; i < b->n; i++) {
    const char *w = b->probes[i].who ? b->probes[i].who : "-";
    used += (size_t)snprintf(line + used, cap - used, " %.63s", w);
    free(b->probes[i].who);
  }
  snprintf(line + used, cap - used, "\n");
  out(line);
  free(line);
  // Freed by reap(), after this round's events: some may still point into b->probes.
}

/** Frees the answered batches. */
void reap(void) {
  for (struct batch **q = &batches; *q != NULL;) {
    struct batch *b = *q;
    if (b->remaining > 0) {
      q = &b->next;
      continue;
    }
    *q = b->next;
    free(b->probes);
    free(b);
  }
}

/** The answer so far, trimmed; NULL when empty. */
static void finish_with_buffer(struct probe *p) {
  char *s = p->buf;
  s[p->len] = '\0';
  char *nl = strchr(s, '\n');
  if (nl != NULL) *nl = '\0';
  while (*s == ' ' || *s == '\r') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r')) s[--n] = '\0';
  finish(p, n == 0 ? NULL : s);
}

/** Parses `dst/port/T|U/src|-` into the probe; 0 when any part of it does not parse. */
static int parse_probe(struct probe *p, char *spec, char **src) {
  char *sv;
  char *dst = strtok_r(spec, "/", &sv), *port = strtok_r(NULL, "/", &sv);
  char *proto = strtok_r(NULL, "/", &sv);
  *src = strtok_r(NULL, "/", &sv);
  if (dst == NULL || port == NULL || proto == NULL || *src == NULL || strtok_r(NULL, "/", &sv) != NULL)
    return 0;
  if ((strcmp(proto, "T") != 0 && strcmp(proto, "U") != 0) || parse_port(port) == 0) return 0;
  p->udp = proto[0] == 'U';
  struct sockaddr_storage ss;
  socklen_t len;
  // A source that is not an address is the harness's mistake, not a blocked probe.
  if (strcmp(*src, "-") != 0 && !parse_addr(*src, 0, &ss, &len)) return 0;
  return parse_addr(dst, parse_port(port), &p->dst, &p->dlen);
}

/** Opens the probe's socket (bound to src unless "-") and connects (TCP); blocked when it cannot. */
static void start_probe(struct probe *p, const char *src) {
  int fd = socket(p->dst.ss_family, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  p->w.kind = K_PROBE;
  p->w.fd = fd;
  p->w.probe = p;
  if (fd < 0) return finish(p, NULL);
  struct sockaddr_storage ss;
  socklen_t len;
  if (strcmp(src, "-") != 0 && (!parse_addr(src, 0, &ss, &len) || bind(fd, (struct sockaddr *)&ss, len) < 0))
    return finish(p, NULL); // not a local address (any more): nothing can be sent from it
  watch(&p->w, p->udp ? EPOLLIN : EPOLLIN | EPOLLOUT);
  if (!p->udp && connect(fd, (struct sockaddr *)&p->dst, p->dlen) < 0 && errno != EINPROGRESS)
    finish(p, NULL); // refused or unreachable at once: blocked
}

void op_probe(long id, long timeout, char *specs) {
  // The specs first (any run of spaces separates two), so that the batch is sized by what is there.
  size_t n = 0, cap = 16;
  char **tokens = malloc(cap * sizeof *tokens), *sv;
  for (char *s = strtok_r(specs, " ", &sv); s != NULL; s = strtok_r(NULL, " ", &sv)) {
    if (n == cap) tokens = realloc(tokens, (cap *= 2) * sizeof *tokens);
    tokens[n++] = s;
  }
  if (n == 0) {
    free(tokens);
    return reply(id, "r");
  }
  struct batch *b = calloc(1, sizeof *b);
  b->id = id;
  b->n = (int)n;
  b->remaining = (int)n;
  b->probes = calloc(n, sizeof *b->probes);
  char **srcs = calloc(n, sizeof *srcs);
  long long t = now_ms();
  for (size_t i = 0; i < n; i++) {
    struct probe *p = &b->probes[i];
    p->batch = b;
    p->start = t;
    p->timeout = timeout;
    p->deadline = t + timeout;
    p->w.fd = -1;
    if (!parse_probe(p, tokens[i], &srcs[i])) {
      errno = EINVAL;
      fail(id, "probe", "spec (dst/port/T|U/src|-)");
      free(tokens);
      free(srcs);
      free(b->probes);
      free(b);
      return;
    }
  }
  b->next = batches;
  batches = b;
  for (size_t i = 0; i < n; i++) start_probe(&b->probes[i], srcs[i]);
  free(tokens);
  free(srcs);
}

void on_probe(struct probe *p, unsigned events) {
  if (p->done) return;
  if (p->udp) {
    ssize_t n = recv(p->w.fd, p->buf, sizeof p->buf - 1, 0);
    if (n >= 0) {
      p->len = (int)n;
      finish_with_buffer(p);
    }
    return; // errors ignored: the datagram is resent, the timeout decides
  }
  if (!p->connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(p->w.fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err != 0) return finish(p, NULL);
    p->connected = 1;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &p->w};
    epoll_ctl(ep, EPOLL_CTL_MOD, p->w.fd, &ev);
  }
  for (;;) {
    ssize_t n = recv(p->w.fd, p->buf + p->len, sizeof p->buf - 1 - (size_t)p->len, 0);
    if (n > 0) {
      p->len += (int)n;
      if (memchr(p->buf, '\n', (size_t)p->len) != NULL || p->len >= (int)sizeof p->buf - 1)
        return finish_with_buffer(p);
      continue;
    }
    if (n == 0) return finish_with_buffer(p);
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    if (errno == EINTR) continue;
    return finish(p, NULL); // reset, unreachable
  }
}

/** Resends due UDP datagrams, ends probes past their deadline; the wait until the next such event. */
int tick(void) {
  long long t = now_ms(), next = t + 1000;
  for (struct batch *b = batches; b != NULL; b = b->next) {
    for (int i = 0; i < b->n; i++) {
      struct probe *p = &b->probes[i];
      if (p->done) continue;
      while (p->udp && p->sends < 4 && t >= p->start + p->sends * p->timeout / 5) {
        (void)!sendto(p->w.fd, "probe\n", 6, MSG_NOSIGNAL, (struct sockaddr *)&p->dst, p->dlen);
        p->sends++;
      }
      if (t >= p->deadline) {
        finish(p, NULL);
        continue;
      }
      if (p->deadline < next) next = p->deadline;
      if (p->udp && p->sends < 4 && p->start + p->sends * p->timeout / 5 < next)
        next = p->start + p->sends * p->timeout / 5;
    }
  }
  return (int)(next - t);
}
