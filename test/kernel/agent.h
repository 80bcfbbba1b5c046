// Shared by the agent's two files (agent.c: protocol, servers, main loop; agent-probes.c: the
// probes). See agent.c for what the agent is.
#ifndef NPEK_AGENT_H
#define NPEK_AGENT_H
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum kind { K_STDIN, K_TCP_SERVER, K_UDP_SERVER, K_PROBE };

struct watch {
  enum kind kind;
  int fd;
  struct probe *probe;
};

struct batch;

struct probe {
  struct watch w;
  struct batch *batch;
  int udp, connected, done, sends;
  struct sockaddr_storage dst;
  socklen_t dlen;
  long long start, deadline, timeout;
  char buf[128];
  int len;
  char *who;
};

struct batch {
  long id;
  int n, remaining;
  struct probe *probes;
  struct batch *next;
};

/** The epoll set and the name the servers answer with (agent.c). */
extern int ep;
extern char name[64];

long long now_ms(void);
void out(const char *line);
void reply(long id, const char *what);
void fail(long id, const char *what, const char *detail);
void watch(struct watch *w, unsigned events);
int parse_addr(const char *s, int port, struct sockaddr_storage *ss, socklen_t *len);
int parse_port(const char *s);

/** agent-probes.c: a `P` request; a probe socket's events; timers (the wait until the next); freeing answered batches. */
void op_probe(long id, long timeout, char *specs);
void on_probe(struct probe *p, unsigned events);
int tick(void);
void reap(void);

#endif
