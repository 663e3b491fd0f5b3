/*
 * echo.c - an echo server and its clients in one process and
 * one thread, every connection a coroutine, as gevent does it.
 *
 * The server listens on 127.0.0.1, on a port the kernel picks.  Each
 * client connects, sends a few lines with pauses between, and reads
 * each back.  Every call that could block (accept, connect, read,
 * write) is made on a non-blocking socket; when it would block, the
 * coroutine waits in coro_wait_fd() and the others run.  So the clients
 * are served at the same time, and the whole takes about as long as the
 * slowest client, not as long as all of them one after the other.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "coro.h"

#define CLIENTS 3       /* how many connect */
#define LINES   3       /* how many lines each sends */
#define PAUSE   50      /* ms; client i pauses (i + 1) * PAUSE per line */

static int listener;                    /* the server's socket */
static int port;                        /* where it listens */
static char transcript[CLIENTS][256];   /* what each client saw */

/* ---- calls that wait for the descriptor, not the CPU ------------ */

static ssize_t read_some(int fd, char *buf, size_t size)
{
    for (;;) {
        ssize_t n = read(fd, buf, size);
        if (n >= 0 || errno != EAGAIN)
            return n;
        coro_wait_fd(fd, POLLIN);
    }
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno != EAGAIN)
            return -1;
        if (n < 0) {
            coro_wait_fd(fd, POLLOUT);
            continue;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int accept_one(int fd)
{
    for (;;) {
        int conn = accept4(fd, NULL, NULL, SOCK_NONBLOCK);
        if (conn >= 0 || errno != EAGAIN)
            return conn;
        coro_wait_fd(fd, POLLIN);
    }
}

static int connect_to(int to_port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in at = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)to_port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&at, sizeof at) == 0)
        return fd;
    if (errno != EINPROGRESS)
        return -1;
    coro_wait_fd(fd, POLLOUT);          /* connected, or refused */
    int error = 0;
    socklen_t size = sizeof error;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    return error == 0 ? fd : -1;
}

/* ---- the server, and one coroutine per connection ---------------- */

static void serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[256];
    ssize_t n;
    while ((n = read_some(fd, buf, sizeof buf)) > 0)
        if (write_all(fd, buf, (size_t)n) != 0)
            break;
    close(fd);
}

static void server(void *arg)
{
    (void)arg;
    for (int served = 0; served < CLIENTS; served++) {
        int fd = accept_one(listener);
        if (fd >= 0)
            coro_spawn(serve, (void *)(intptr_t)fd);
    }
    close(listener);
}

/* ---- the clients ------------------------------------------------- */

/* Send one line, and read it back whole. */
static void echo_line(int fd, int client, int line)
{
    char sent[64], got[64];
    int len = snprintf(sent, sizeof sent, "client %d, line %d", client, line);
    size_t have = 0;
    write_all(fd, sent, (size_t)len);
    while (have < (size_t)len) {
        ssize_t n = read_some(fd, got + have, (size_t)len - have);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    size_t used = strlen(transcript[client]);
    snprintf(transcript[client] + used, sizeof transcript[client] - used,
             "  sent \"%s\", got back \"%.*s\"\n", sent, (int)have, got);
}

static void client(void *arg)
{
    int i = (int)(intptr_t)arg;
    int fd = connect_to(port);
    if (fd < 0) {
        snprintf(transcript[i], sizeof transcript[i], "  cannot connect\n");
        return;
    }
    for (int line = 1; line <= LINES; line++) {
        echo_line(fd, i, line);
        coro_sleep_ms((i + 1) * PAUSE);
    }
    close(fd);
}

/* Listen on 127.0.0.1, on a port the kernel picks: 0, or -1. */
static int listen_here(void)
{
    struct sockaddr_in at = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t size = sizeof at;
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&at, size) != 0 ||
        listen(listener, CLIENTS) != 0 ||
        getsockname(listener, (struct sockaddr *)&at, &size) != 0)
        return -1;
    port = ntohs(at.sin_port);
    return 0;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(void)
{
    /* Should anything ever hang, SIGALRM ends it: twice as long as the
     * slowest client takes, and then some. */
    alarm(5 + 2 * LINES * CLIENTS * PAUSE / 1000);
    if (listen_here() != 0) {
        perror("echo: cannot listen on 127.0.0.1");
        return 1;
    }
    long long start = now_ms();
    coro_spawn(server, NULL);
    for (int i = 0; i < CLIENTS; i++)
        coro_spawn(client, (void *)(intptr_t)i);
    int result = coro_run();
    long long took = now_ms() - start;
    for (int i = 0; i < CLIENTS; i++)
        printf("client %d, pausing %d ms after each line:\n%s", i,
               (i + 1) * PAUSE, transcript[i]);
    int pauses = 0;
    for (int i = 0; i < CLIENTS; i++)
        pauses += LINES * (i + 1) * PAUSE;
    printf("all served together: %s than their pauses added up (%d ms)\n",
           took < pauses ? "less time" : "NOT less time", pauses);
    return result == 0 && took < pauses ? 0 : 1;
}
