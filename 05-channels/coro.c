/*
 * coro.c - what a coroutine can ask for (channels: chan.c).  Each call
 * is a few lines on top of the scheduler (sched.c): put somebody in a
 * queue, then park until somebody else takes them out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "coro_impl.h"
#include "gen_impl.h"
#include "poller.h"
#include "show.h"
#include "timers.h"

const struct coro_state coro_states[] = {
    [CORO_RUNNABLE] = {"runnable", "yields"},
    [CORO_RUNNING] = {"running", "runs"},
    [CORO_SLEEPING] = {"sleeping in coro_sleep_ms", "sleeps"},
    [CORO_WAITING_FD] = {"blocked in coro_wait_fd",
                         "waits for a file descriptor"},
    [CORO_JOINING] = {"blocked in coro_join", "joins another"},
    [CORO_SENDING] = {"blocked in chan_send", "waits to send"},
    [CORO_RECEIVING] = {"blocked in chan_recv", "waits to receive"},
    [CORO_SELECTING] = {"blocked in chan_select", "waits in a select"},
    [CORO_FINISHED] = {"finished", "finishes"},
};

static size_t stack_size = CORO_STACK_SIZE;  /* for the next spawns */

static void say(const char *fmt, va_list ap)
{
    fflush(stdout);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void coro_complain(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

void coro_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    abort();
}

static struct coro *must_be_in_coroutine(const char *call)
{
    struct coro *self = sched_current();
    if (self == NULL)
        coro_fail("%s: called outside a coroutine", call);
    if (gen_running() != NULL)      /* the coroutine waits in gen_next() */
        coro_fail("%s: called from generator \"%s\", which may only "
                  "gen_yield()", call, gen_running()->name);
    return self;
}

/* The first frame of every coroutine, at the top of its stack.  When it
 * returns, its context's link takes the CPU back to the run loop. */
static void coro_entry(void)
{
    struct coro *self = sched_current();
    self->fn(self->arg);
    sched_done();
}

int coro_spawn(coro_fn fn, void *arg)
{
    if (fn == NULL) {
        coro_complain("coro_spawn: fn is NULL");
        return -1;
    }
    struct coro *c = calloc(1, sizeof *c);
    struct ctx *loop = sched_loop();
    if (c == NULL || loop == NULL ||
        (c->ctx = ctx_new(stack_size, coro_entry, loop)) == NULL) {
        coro_complain("coro_spawn: no memory for a coroutine with a %zu "
                      "KiB stack", stack_size / 1024);
        free(c);
        return -1;
    }
    c->fn = fn;
    c->arg = arg;
    c->stack_size = stack_size;
    if (!sched_add(c)) {
        coro_complain("coro_spawn: no memory to keep track of it");
        ctx_free(c->ctx);
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

/* == exercise join (coro_join): the answer begins == */
KEEP_FRAME void coro_join(int id)
{
    struct coro *self = must_be_in_coroutine("coro_join");
    if (id <= 0 || id > sched_last_id()) {
        coro_complain("coro_join: there is no coroutine %d", id);
        return;
    }
    struct coro *target = sched_find(id);
    if (target == self)
        coro_fail("coro_join: coro %d cannot wait for itself to finish",
                  id);
    if (target == NULL)
        return;                 /* it has finished already */
    self->joining = id;
    queue_push(&target->joiners, self);     /* first come, first woken */
    sched_park(CORO_JOINING);
}
/* == exercise join (coro_join): the answer ends == */

int coro_self(void)
{
    struct coro *self = sched_current();
    return self ? self->id : 0;
}

/* == exercise sleep (coro_sleep_ms): the answer begins == */
KEEP_FRAME void coro_sleep_ms(long ms)
{
    struct coro *self = must_be_in_coroutine("coro_sleep_ms");
    if (ms < 0) {
        coro_complain("coro_sleep_ms: %ld ms is negative; not sleeping",
                      ms);
        return;
    }
    self->slept_ms = ms;
    if (!timers_add(self))
        coro_fail("coro_sleep_ms: no memory for a timer");
    sched_park(CORO_SLEEPING);
}
/* == exercise sleep (coro_sleep_ms): the answer ends == */

KEEP_FRAME int coro_wait_fd(int fd, short events)
{
    struct coro *self = must_be_in_coroutine("coro_wait_fd");
    if (fd < 0 || events == 0) {
        coro_complain("coro_wait_fd: %s", fd < 0 ? "fd is negative"
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
    if (bytes > CORO_STACK_MAX) {
        coro_complain("coro_stack_size: %zu bytes is more than the %zu "
                      "a stack may have; it stays %zu", bytes,
                      CORO_STACK_MAX, stack_size);
        return;
    }
    stack_size = bytes < 16 * 1024 ? 16 * 1024 : bytes;
}
