/*
 * poller.c - the coroutines waiting for file descriptors, and the one
 * place the process blocks: poll(2).
 *
 * When nobody is runnable the scheduler sleeps here, in the kernel,
 * until a descriptor is ready or the earliest timer is due, instead of
 * spinning.  This is how gevent-style networking works: every
 * connection is a coroutine that looks like blocking code, and one
 * thread serves them all.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "coro_impl.h"
#include "poller.h"

static struct {
    struct queue   waiting;     /* in the order they came */
    long           count;
    struct pollfd *fds;         /* room for the poll() call */
    long           room;
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

/* Have room for n pollfds: true, or false with no memory. */
static bool make_room(long n)
{
    if (n <= the.room)
        return true;
    struct pollfd *fds = realloc(the.fds, (size_t)n * sizeof *fds);
    if (fds == NULL)
        return false;
    the.fds = fds;
    the.room = n;
    return true;
}

/* Wake, in the order they came, everyone whose descriptor poll() found
 * ready; the others keep waiting. */
static void wake_ready(void)
{
    struct queue asked = the.waiting;
    the.waiting = (struct queue){NULL, NULL};
    the.count = 0;
    struct coro *c;
    for (long i = 0; (c = queue_pop(&asked)) != NULL; i++) {
        c->revents = the.fds[i].revents;
        if (c->revents != 0)
            sched_ready(c);
        else
            poller_add(c);
    }
}

bool poller_wait(int timeout_ms)
{
    if (!make_room(the.count))
        return false;
    long i = 0;
    for (struct coro *c = the.waiting.first; c != NULL; c = c->next, i++)
        the.fds[i] = (struct pollfd){.fd = c->fd, .events = c->events};
    int ready = poll(the.fds, (nfds_t)the.count, timeout_ms);
    if (ready > 0)
        wake_ready();
    return ready >= 0 || errno == EINTR;
}
