/*
 * sched.c - stage 5's scheduler: a run queue, and the loop that runs
 * whoever is at its front.
 *
 * The scheduler has a context of its own, the run loop in coro_run()
 * on main's stack.  A coroutine that stops, for whatever reason,
 * switches to it, never straight to another coroutine:
 *
 *     coro_run() --> coro 1 --yield--> coro_run() --> coro 2 --> ...
 *
 * so who runs next is decided in one place, and a finished coroutine's
 * stack is freed by somebody who is not running on it.
 *
 * A coroutine is in exactly one place at a time: the run queue
 * (runnable), on the CPU (running), among the timers (sleeping), the
 * pollers (waiting for a descriptor), another's joiners (joining), or
 * the queues of one or more channels (sending, receiving, selecting).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro_impl.h"
#include "ids.h"
#include "poller.h"
#include "timers.h"
#include "trace.h"

/* Runs between two looks at the descriptors, while the queue is never
 * empty: otherwise coroutines that only yield would starve the ones
 * waiting for input. */
#define POLL_EVERY 64

/* The one state object of the scheduler. */
static struct {
    struct queue runnable;       /* the run queue */
    struct coro *current;        /* running now; NULL in the run loop */
    struct coro *oldest, *newest;/* every coroutine alive */
    struct ctx   loop;           /* the run loop's context */
    bool         in_run;         /* is coro_run() on the stack? */
    int          last_id;        /* ids count up from 1 */
    long         alive;          /* how many are not finished */
} the;

void queue_push(struct queue *q, struct coro *c)
{
    c->next = NULL;
    if (q->last != NULL)
        q->last->next = c;
    else
        q->first = c;
    q->last = c;
}

struct coro *queue_pop(struct queue *q)
{
    struct coro *c = q->first;
    if (c != NULL) {
        q->first = c->next;
        if (q->first == NULL)
            q->last = NULL;
        c->next = NULL;
    }
    return c;
}

void sched_ready(struct coro *c)
{
    c->status = CORO_RUNNABLE;
    queue_push(&the.runnable, c);
}

bool sched_add(struct coro *c)
{
    c->id = the.last_id + 1;
    if (!ids_put(c))
        return false;
    the.last_id++;
    c->older = the.newest;
    if (the.newest != NULL)
        the.newest->newer = c;
    else
        the.oldest = c;
    the.newest = c;
    the.alive++;
    sched_ready(c);
    return true;
}

/* Forget c for good: out of the list of the alive, its stack freed. */
static void release(struct coro *c)
{
    if (c->older != NULL)
        c->older->newer = c->newer;
    else
        the.oldest = c->newer;
    if (c->newer != NULL)
        c->newer->older = c->older;
    else
        the.newest = c->older;
    ids_drop(c->id);
    ctx_free(&c->ctx);
    the.alive--;
    free(c);
}

/* What to call the switch from a coroutine that stops for why. */
static const char *const stopping[] = {
    [CORO_RUNNABLE] = "yields",         [CORO_SLEEPING] = "sleeps",
    [CORO_WAITING_FD] = "waits for a file descriptor",
    [CORO_JOINING] = "joins another",   [CORO_FINISHED] = "finishes",
    [CORO_SENDING] = "waits to send",   [CORO_RECEIVING] = "waits to receive",
    [CORO_SELECTING] = "waits in a select",
};

void sched_park(enum coro_status why)
{
    struct coro *self = the.current;
    if (why != CORO_RUNNABLE)           /* a yield is queued already */
        self->status = why;
    trace_switch("coro %d %s", self->id, stopping[why]);
    ctx_switch(&self->ctx, &the.loop);
}

void sched_done(void)
{
    struct coro *self = the.current;
    self->status = CORO_FINISHED;
    for (struct coro *j; (j = queue_pop(&self->joiners)) != NULL;)
        sched_ready(j);
    trace_switch("coro %d %s", self->id, stopping[CORO_FINISHED]);
}

void sched_exit(void)
{
    sched_done();
    ctx_leave(&the.current->ctx, &the.loop);
}

/*
 * A coroutine that runs off the bottom of a stack with a guard page
 * touches it, and the kernel sends SIGSEGV.  stack.c runs this on a
 * stack of its own (the coroutine's is full), then lets the signal end
 * the program.  snprintf and fflush are not promised to be safe in a
 * signal handler; we are about to die, and the line matters more.
 */
static void report_overflow(const void *addr)
{
    struct coro *c = the.current;
    if (c == NULL || !ctx_guard_hit(&c->ctx, addr))
        return;                 /* some other bad access */
    char line[160];
    int n = snprintf(line, sizeof line, "coro %d overflowed its %zu KiB "
                     "stack into the guard page; give it more with "
                     "coro_stack_size()\n", c->id, c->stack_size / 1024);
    fflush(stdout);
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}

/* A stack without a guard page (stack.c) has a canary instead, looked
 * at after every switch back: too late to stop the damage, not too late
 * to stop the program before it spreads. */
static void check_stack(const struct coro *c)
{
    if (stack_intact(&c->ctx.stack))
        return;
    fflush(stdout);
    fprintf(stderr, "coro %d overflowed its %zu KiB stack (it wrote over "
            "the canary below it); give it more with coro_stack_size()\n",
            c->id, c->stack_size / 1024);
    abort();
}

/* Give the CPU to c until it stops. */
KEEP_FRAME static void run(struct coro *c)
{
    trace_switch("the scheduler runs coro %d", c->id);
    the.current = c;
    c->status = CORO_RUNNING;
    ctx_switch(&the.loop, &c->ctx);
    the.current = NULL;
    check_stack(c);
    if (c->status == CORO_FINISHED)
        release(c);
}

/* What c is blocked on, for the deadlock report. */
static void print_blocked(const struct coro *c)
{
    fprintf(stderr, "  coro %d: %s", c->id, coro_status_name[c->status]);
    if (c->status == CORO_JOINING)
        fprintf(stderr, ", waiting for coro %d\n", c->joining);
    else if (c->status == CORO_SELECTING) {
        char channels[120];
        chan_describe(c, channels, sizeof channels);
        fprintf(stderr, " on %s\n", channels);
    }
    else
        fprintf(stderr, " on chan %d\n", c->chan_id);
}

/* Nobody is runnable, nobody sleeps, nobody waits for a descriptor:
 * those left wait for each other, and would wait forever. */
static void report_deadlock(void)
{
    fflush(stdout);
    fprintf(stderr, "coro_run: deadlock: %ld coroutine%s blocked, and "
            "nothing can wake %s:\n", the.alive, the.alive == 1 ? " is" :
            "s are", the.alive == 1 ? "it" : "them");
    for (const struct coro *c = the.oldest; c != NULL; c = c->newer)
        print_blocked(c);
    while (the.oldest != NULL) {
        chan_forget(the.oldest);    /* its waiters die with its stack */
        release(the.oldest);
    }
}

/* Nobody is runnable: sleep in poll() until a descriptor is ready or
 * the next timer is due.  false if there is nothing to wait for.  If
 * poll() cannot be asked, nobody waiting could ever wake: say why, and
 * stop. */
static bool wait_for_work(void)
{
    if (timers_count() == 0 && poller_count() == 0)
        return false;
    int error = poller_wait(timers_next());
    if (error == 0)
        return true;
    fflush(stdout);
    if (error == ENOMEM)
        fprintf(stderr, "coro_run: no memory to poll the descriptors of "
                "%ld waiting coroutines; giving up\n", poller_count());
    else if (error == EINVAL)
        fprintf(stderr, "coro_run: poll(2) refuses to watch so many "
                "descriptors (%ld coroutines wait on them): more than the "
                "limit on open files, RLIMIT_NOFILE; giving up\n",
                poller_count());
    else
        fprintf(stderr, "coro_run: poll(2) failed: %s; giving up\n",
                strerror(error));
    abort();
}

int coro_run(void)
{
    if (the.current != NULL) {
        fprintf(stderr, "coro_run: called from inside coro %d\n",
                the.current->id);
        return -1;
    }
    stack_watch(report_overflow);
    the.in_run = true;
    int result = 0;
    for (unsigned runs = 1; the.alive > 0; runs++) {
        timers_expire();
        if (the.runnable.first != NULL && poller_count() > 0 &&
            runs % POLL_EVERY == 0)
            poller_wait(0);
        struct coro *c = queue_pop(&the.runnable);
        if (c != NULL) {
            run(c);
        } else if (!wait_for_work()) {
            report_deadlock();
            result = -1;
        }
    }
    the.in_run = false;
    return result;
}

struct coro *sched_current(void) { return the.current; }
struct ctx *sched_loop(void) { return &the.loop; }
struct coro *sched_find(int id) { return ids_get(id); }
int sched_last_id(void) { return the.last_id; }

const struct coro *coro_oldest(void) { return the.oldest; }
const struct ctx *coro_loop(void) { return the.in_run ? &the.loop : NULL; }
const struct coro *coro_queue(void) { return the.runnable.first; }
const struct coro *coro_current(void) { return the.current; }
