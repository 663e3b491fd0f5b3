/*
 * poller.c - the coroutines waiting for file descriptors, and the one
 * place the process blocks: poll(2).
 *
 * When nobody is runnable the scheduler sleeps here, in the kernel,
 * until a descriptor is ready or the earliest timer is due, instead of
 * spinning.  This is how gevent-style networking works: every
 * connection is a coroutine that looks like blocking code, and one
 * thread serves them all.
 *
 * poll() takes one entry per descriptor, and refuses (EINVAL) more
 * entries than the process may open files (RLIMIT_NOFILE).  So however
 * many coroutines wait on one descriptor, they share its entry, which
 * asks for all of their events:
 *
 *     waiting:  coro 3 (fd 5, POLLIN)  coro 4 (fd 7)  coro 9 (fd 5, POLLOUT)
 *     entry:    0                      1              0
 *     fds:      [0] fd 5, POLLIN|POLLOUT    [1] fd 7, POLLIN
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coro_impl.h"
#include "poller.h"

static struct {
    struct queue   waiting;     /* in the order they came */
    long           count;
    struct pollfd *fds;         /* one entry per descriptor, for poll() */
    long          *entry;       /* each waiter's entry in fds, in order */
    long          *table;       /* descriptor -> entry + 1 (0: none) */
    long           room;        /* waiters that fds and entry hold; the
                                   table has twice as many slots */
} the;

void poller_add(struct coro *c)
{
    queue_push(&the.waiting, c);
    the.count++;
}

long poller_count(void)
{
    return the.count;
}

/* Make *p hold n items of size bytes: true, or false (and *p as it
 * was) with no memory. */
static bool grow(void *p, long n, size_t size)
{
    void *more = realloc(*(void **)p, (size_t)n * size);
    if (more == NULL)
        return false;
    *(void **)p = more;
    return true;
}

/* Have room for n waiters: true, or false with no memory. */
static bool make_room(long n)
{
    if (n <= the.room)
        return true;
    if (!grow(&the.fds, n, sizeof *the.fds) ||
        !grow(&the.entry, n, sizeof *the.entry) ||
        !grow(&the.table, 2 * n, sizeof *the.table))
        return false;
    the.room = n;
    return true;
}

/* The entry for fd, made if it is new; *used counts the entries. */
static long entry_for(int fd, long *used)
{
    size_t slots = 2 * (size_t)the.room;
    size_t i = ((uint32_t)fd * 2654435761u) % slots;    /* Knuth */
    for (; the.table[i] != 0; i = (i + 1) % slots)
        if (the.fds[the.table[i] - 1].fd == fd)
            return the.table[i] - 1;
    the.fds[*used] = (struct pollfd){.fd = fd};
    the.table[i] = ++*used;
    return *used - 1;
}

/* Fill in the entries for everyone waiting: how many there are. */
static long gather(void)
{
    long used = 0, i = 0;
    memset(the.table, 0, 2 * (size_t)the.room * sizeof *the.table);
    for (struct coro *c = the.waiting.first; c != NULL; c = c->next) {
        long e = entry_for(c->fd, &used);
        the.fds[e].events |= c->events;
        the.entry[i++] = e;
    }
    return used;
}

/* Wake, in the order they came, everyone whose descriptor poll() found
 * ready for what they asked (errors and hangups are for everyone); the
 * others keep waiting. */
static void wake_ready(void)
{
    struct queue asked = the.waiting;
    the.waiting = (struct queue){NULL, NULL};
    the.count = 0;
    struct coro *c;
    for (long i = 0; (c = queue_pop(&asked)) != NULL; i++) {
        short seen = the.fds[the.entry[i]].revents;
        c->revents = seen & (c->events | POLLERR | POLLHUP | POLLNVAL);
        if (c->revents != 0)
            sched_ready(c);
        else
            poller_add(c);
    }
}

int poller_wait(int timeout_ms)
{
    long used = 0;
    if (the.count > 0) {
        if (!make_room(the.count))
            return ENOMEM;
        used = gather();
    }
    int ready = poll(the.fds, (nfds_t)used, timeout_ms);
    if (ready > 0)
        wake_ready();
    return ready < 0 && errno != EINTR ? errno : 0;
}
