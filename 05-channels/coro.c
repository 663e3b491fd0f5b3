/*
 * coro.c - stage 5: what a coroutine can ask for (channels: chan.c).
 * Each call is a few lines on top of the scheduler (sched.c): put
 * somebody in a queue, then park until somebody else takes them out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "coro_impl.h"
#include "poller.h"
#include "timers.h"
#include "trace.h"

const char *const coro_status_name[] = {
    [CORO_RUNNABLE] = "runnable",
    [CORO_RUNNING] = "running",
    [CORO_SLEEPING] = "sleeping in coro_sleep_ms",
    [CORO_WAITING_FD] = "blocked in coro_wait_fd",
    [CORO_JOINING] = "blocked in coro_join",
    [CORO_SENDING] = "blocked in chan_send",
    [CORO_RECEIVING] = "blocked in chan_recv",
    [CORO_SELECTING] = "blocked in chan_select",
    [CORO_FINISHED] = "finished",
};

static size_t stack_size = CORO_STACK_SIZE;  /* for the next spawns */

/* One line on stderr, after whatever stdout holds so far. */
static void complain(const char *fmt, ...)
{
    fflush(stdout);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static struct coro *must_be_in_coroutine(const char *call)
{
    struct coro *self = sched_current();
    if (self == NULL) {
        complain("%s: called outside a coroutine", call);
        abort();
    }
    return self;
}

/* The first frame of every coroutine, at the top of its stack.  When it
 * returns, the context's link takes us back to the run loop. */
static void coro_entry(void)
{
    struct coro *self = sched_current();
    self->fn(self->arg);
    sched_done();
}

int coro_spawn(coro_fn fn, void *arg)
{
    if (fn == NULL) {
        complain("coro_spawn: fn is NULL");
        return -1;
    }
    struct coro *c = calloc(1, sizeof *c);
    if (c == NULL || ctx_init(&c->ctx, stack_size, coro_entry,
                              sched_loop()) != 0) {
        complain("coro_spawn: no memory for a coroutine with a %zu KiB "
                 "stack", stack_size / 1024);
        free(c);
        return -1;
    }
    c->fn = fn;
    c->arg = arg;
    c->stack_size = stack_size;
    if (!sched_add(c)) {
        complain("coro_spawn: no memory to keep track of it");
        ctx_free(&c->ctx);
        free(c);
        return -1;
    }
    return c->id;
}

KEEP_FRAME void coro_yield(void)
{
    sched_ready(must_be_in_coroutine("coro_yield"));
    sched_park(CORO_RUNNABLE);
}

KEEP_FRAME void coro_exit(void)
{
    must_be_in_coroutine("coro_exit");
    sched_exit();
}

KEEP_FRAME void coro_join(int id)
{
    struct coro *self = must_be_in_coroutine("coro_join");
    if (id <= 0 || id > sched_last_id()) {
        complain("coro_join: there is no coroutine %d", id);
        return;
    }
    struct coro *target = sched_find(id);
    if (target == self) {
        complain("coro_join: coro %d cannot wait for itself to finish",
                 id);
        abort();
    }
    if (target == NULL)
        return;                 /* it has finished already */
    self->joining = id;
    queue_push(&target->joiners, self);     /* first come, first woken */
    sched_park(CORO_JOINING);
}

int coro_self(void)
{
    struct coro *self = sched_current();
    return self ? self->id : 0;
}

KEEP_FRAME void coro_sleep_ms(long ms)
{
    struct coro *self = must_be_in_coroutine("coro_sleep_ms");
    if (ms < 0) {
        complain("coro_sleep_ms: %ld ms is negative; not sleeping", ms);
        return;
    }
    self->slept_ms = ms;
    if (!timers_add(self)) {
        complain("coro_sleep_ms: no memory for a timer");
        abort();
    }
    sched_park(CORO_SLEEPING);
}

KEEP_FRAME int coro_wait_fd(int fd, short events)
{
    struct coro *self = must_be_in_coroutine("coro_wait_fd");
    if (fd < 0 || events == 0) {
        complain("coro_wait_fd: %s", fd < 0 ? "fd is negative"
                                            : "no events to wait for");
        return -1;
    }
    self->fd = fd;
    self->events = events;
    poller_add(self);
    sched_park(CORO_WAITING_FD);
    return self->revents;
}

void coro_stack_size(size_t bytes)
{
    stack_size = bytes < 16 * 1024 ? 16 * 1024 : bytes;
}
