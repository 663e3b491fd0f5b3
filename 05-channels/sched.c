/*
 * sched.c - the scheduler: a run queue, and the loop that runs whoever
 * is at its front.
 *
 * The scheduler has a context of its own, the run loop in coro_run()
 * on main's stack.  A coroutine that stops, for whatever reason,
 * switches to it:
 *
 *     coro_run() --> coro 1 --yield--> coro_run() --> coro 2 --> ...
 *
 * so who runs next is decided in one place, and a finished coroutine's
 * stack is freed by somebody who is not running on it.  (One fast path,
 * handoff(), skips the loop when all it would do is run the front of
 * the run queue: the coroutine that parks hands the CPU to that one.)
 *
 * A coroutine is in exactly one place at a time: the run queue
 * (runnable), on the CPU (running), among the timers (sleeping), the
 * pollers (waiting for a descriptor), another's joiners (joining), or
 * the queues of one or more channels (sending, receiving, selecting).
 */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro_impl.h"
#include "ids.h"
#include "many.h"
#include "poller.h"
#include "show.h"
#include "timers.h"

/* Runs between two looks at the descriptors, while the queue is never
 * empty: otherwise coroutines that only yield would starve the ones
 * waiting for input. */
#define POLL_EVERY 64

/* The one state object of the scheduler. */
static struct {
    struct queue runnable;       /* the run queue */
    struct coro *current;        /* running now; NULL in the run loop */
    struct coro *oldest, *newest;/* every coroutine alive */
    struct ctx  *loop;           /* the run loop's context */
    bool         in_run;         /* is coro_run() on the stack? */
    bool         loop_watches;   /* may there be timers or descriptors
                                    to watch?  (handoff()) */
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
    c->canary = many_has_canary(c->ctx);
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
    ctx_free(c->ctx);
    the.alive--;
    free(c);
}

/* A stack without a guard page has a canary instead (many.c), looked at
 * after every switch away from its coroutine: too late to stop the
 * damage, not too late to stop the program before it spreads. */
static void check_stack(const struct coro *c)
{
    if (c->canary && !many_intact(c->ctx))
        coro_fail("coro %d overflowed its %zu KiB stack (it went past the "
                  "canary below it); give it more with coro_stack_size()",
                  c->id, c->stack_size / 1024);
}

/* A fast path: when nobody sleeps and nobody waits for a descriptor,
 * all the run loop would do next is run the front of the run queue.  So
 * a coroutine that parks may hand the CPU to that one itself: one switch
 * instead of two, and the same coroutine runs.  NULL: go to the loop.
 * Rather than count the timers and the descriptors at every park, we
 * note who adds one (only a coroutine that parks to sleep or to wait
 * for a descriptor does), and the loop, which alone takes them away,
 * counts again before it runs somebody.  Not in copy mode, where the
 * next one's frames go back onto the one shared stack: only the loop,
 * on main's stack, is out of their way. */
static struct coro *handoff(enum coro_status why)
{
    if (why == CORO_SLEEPING || why == CORO_WAITING_FD)
        the.loop_watches = true;
    if (!ctx_mode.own_stacks || the.loop_watches)
        return NULL;
    return queue_pop(&the.runnable);
}

/*
 * A fast path for long run queues, which a reader may skip.  A
 * coroutine that waited while thousands of others ran (stage 5's prime
 * sieve is a chain of thousands) finds none of its memory in the cache
 * any more: its struct coro, its context, the frames it stopped in.
 * Each of those misses costs more than the whole switch, and each waits
 * for the one before: the struct coro says where the context is, and
 * the context where the frames are.  So as one coroutine is about to
 * run, we ask the processor to start fetching, for the ones queued
 * behind it, one link of that chain each: the frames of the next, the
 * context of the one after it, the struct coro of the third.  By the
 * time each runs, its whole chain is in.  A prefetch is a hint: it
 * never faults, and changes only timing.  With fewer than PREFETCH_FROM
 * alive, the dozen lines each touches mostly stay in the cache (a 512
 * KiB L2 holds a few hundred coroutines'), and prefetching is work for
 * little: measured in stage 5's sieve, it saves nothing to speak of
 * with 300 alive, and about 4% with 600 or 1,000.
 *
 * prefetch_queued() is a function of its own (KEEP_FRAME), so that its
 * locals stay out of the frames that call it: at -O0 they would sit in
 * sched_park()'s and run()'s frames, which the drawings show.
 */
#define PREFETCH_FROM 512

/* Every cache line of the n bytes from p: a prefetch every 64 bytes,
 * and one at the last byte, as p need not begin a line.  Each call
 * gives a constant n: a loop of a known count, which a compiler may
 * write out. */
static inline void prefetch_bytes(const void *p, size_t n)
{
    const char *at = p;
    for (size_t i = 0; i < n; i += 64)
        __builtin_prefetch(at + i);
    __builtin_prefetch(at + n - 1);
}

/* Where a stopped coroutine's frames are: around the frame pointer it
 * stopped at, in ctx_switch (every back end's struct ctx begins with a
 * ctx_base, ctx.h).  Below it what the switch saved (switch_<arch>.S),
 * above it the calls that parked it: 368 bytes take in stage 5's
 * chan_recv and the frame of the function that called it. */
#if defined(__aarch64__)
#define SAVED_BELOW_FP 224
#else
#define SAVED_BELOW_FP 80
#endif
static void prefetch_frames(const struct ctx *c)
{
    const char *fp = ((const struct ctx_base *)c)->fp;
    if (fp != NULL)                     /* not switched to yet */
        prefetch_bytes(fp - SAVED_BELOW_FP, SAVED_BELOW_FP + 368);
}

/* For next, about to run, and those queued behind it. */
KEEP_FRAME static void prefetch_queued(const struct coro *next)
{
    /* A prefetch changes nothing a compiler can see, and gcc would
     * take this whole function for one that does nothing and drop its
     * calls: the empty asm is an effect it must keep. */
    __asm__ volatile("");
    const struct coro *second = the.runnable.first;
    if (second == NULL || !ctx_mode.own_stacks)
        return;                 /* copy mode: frames are not where fp is */
    chan_prefetch_send(next, 0);
    const struct coro *third = second->next;
    prefetch_frames(second->ctx);
    chan_prefetch_send(second, 1);
    if (third == NULL)
        return;
    /* what a switch reads of a context: its ctx_base, and the asm back
     * end's stack pointer after it */
    prefetch_bytes(third->ctx, sizeof(struct ctx_base) + sizeof(void *));
    chan_prefetch_send(third, 2);
    /* what the scheduler reads of a struct coro, up to ->next */
    const struct coro *fourth = third->next;
    if (fourth != NULL)
        prefetch_bytes(fourth, offsetof(struct coro, next) +
                               sizeof fourth->next);
}

/* Stop the running coroutine until somebody readies it.  Only the one
 * running may park, and only from its own stack (coro.c has checked). */
void sched_park(enum coro_status why)
{
    struct coro *self = the.current;
    assert(self != NULL && self->status != CORO_FINISHED);
    if (why != CORO_RUNNABLE)           /* a yield is queued already */
        self->status = why;
    check_stack(self);
    struct coro *next = handoff(why);
    if (next == self) {                 /* it yielded, and nobody waits */
        self->status = CORO_RUNNING;
        return;
    }
    if (next == NULL) {
        SHOW_SWITCH("coro %d %s", self->id, coro_states[why].stops);
        ctx_switch(self->ctx, the.loop);
        return;
    }
    SHOW_SWITCH("coro %d %s, and hands the CPU to coro %d", self->id,
                coro_states[why].stops, next->id);
    the.current = next;
    next->status = CORO_RUNNING;
    if (the.alive >= PREFETCH_FROM)
        prefetch_queued(next);
    ctx_switch(self->ctx, next->ctx);
}

void sched_done(void)
{
    struct coro *self = the.current;
    self->status = CORO_FINISHED;
    /* == exercise join (wake_joiners): the answer begins == */
    for (struct coro *j; (j = queue_pop(&self->joiners)) != NULL;)
        sched_ready(j);
    /* == exercise join (wake_joiners): the answer ends == */
    SHOW_SWITCH("coro %d %s", self->id, coro_states[CORO_FINISHED].stops);
}

void sched_exit(void)
{
    sched_done();
    ctx_leave(the.current->ctx, the.loop);
}

/*
 * A coroutine that runs off the bottom of a stack with a guard page
 * touches it, and the kernel sends SIGSEGV.  stack.c runs this on a
 * stack of its own (the coroutine's is full), then lets the signal end
 * the program.  One that runs past a canary (many.c) and on, out of
 * its slab, faults before the scheduler could look at the canary: it
 * is named here too.  snprintf and fflush are not promised to be safe
 * in a signal handler; we are about to die, and the line matters more.
 */
static void report_overflow(const void *addr)
{
    struct coro *c = the.current;
    struct ctx_view v;
    if (c == NULL)
        return;
    ctx_view(c->ctx, &v);
    const char *how = stack_guard_hit(&v.stack, addr) ? "into the guard page"
                      : !many_intact(c->ctx) ? "(it went past the canary "
                                               "below it)"
                      : NULL;
    if (how == NULL)
        return;                 /* some other bad access */
    char line[160];
    int n = snprintf(line, sizeof line, "coro %d overflowed %s %zu KiB "
                     "stack %s; give it more with coro_stack_size()\n",
                     c->id, ctx_mode.own_stacks ? "its" : "the shared",
                     (size_t)(v.stack.hi - v.stack.lo) / 1024, how);
    fflush(stdout);
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}

/* Give the CPU to c until it, or one it handed the CPU to, comes back. */
KEEP_FRAME static void run(struct coro *c)
{
    SHOW_SWITCH("the scheduler runs coro %d", c->id);
    the.current = c;
    c->status = CORO_RUNNING;
    if (the.loop_watches)               /* see handoff() */
        the.loop_watches = timers_count() > 0 || poller_count() > 0;
    if (the.alive >= PREFETCH_FROM)
        prefetch_queued(c);
    ctx_switch(the.loop, c->ctx);
    struct coro *back = the.current;
    the.current = NULL;
    check_stack(back);
    if (back->status == CORO_FINISHED)
        release(back);
}

/* What c is blocked on, for the deadlock report. */
static void print_blocked(const struct coro *c)
{
    fprintf(stderr, "  coro %d: %s", c->id, coro_states[c->status].name);
    if (c->status == CORO_JOINING)
        fprintf(stderr, ", waiting for coro %d\n", c->joining);
    else if (c->status == CORO_SELECTING) {
        char channels[120];
        chan_describe(c, channels, sizeof channels);
        fprintf(stderr, " on %s\n", channels);
    } else
        fprintf(stderr, " on chan %d\n", c->chan_id);
}

/* Nobody is runnable, nobody sleeps, nobody waits for a descriptor:
 * those left wait for each other, and would wait forever. */
/* == exercise deadlock (report_deadlock): the answer begins == */
static void report_deadlock(void)
{
    coro_complain("coro_run: deadlock: %ld coroutine%s blocked, and "
                  "nothing can wake %s:", the.alive, the.alive == 1 ?
                  " is" : "s are", the.alive == 1 ? "it" : "them");
    for (const struct coro *c = the.oldest; c != NULL; c = c->newer)
        print_blocked(c);
    while (the.oldest != NULL) {
        chan_forget(the.oldest);    /* its waiters die with its stack */
        release(the.oldest);
    }
}
/* == exercise deadlock (report_deadlock): the answer ends == */

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
    if (error == ENOMEM)
        coro_fail("coro_run: no memory to poll the descriptors of %ld "
                  "waiting coroutines; giving up", poller_count());
    if (error == EINVAL)
        coro_fail("coro_run: poll(2) refuses to watch so many descriptors "
                  "(%ld coroutines wait on them): more than the limit on "
                  "open files, RLIMIT_NOFILE; giving up", poller_count());
    coro_fail("coro_run: poll(2) failed: %s; giving up", strerror(error));
}

/* The biggest stack the coroutines alive have asked for. */
static size_t biggest_stack(void)
{
    size_t most = 0;
    for (const struct coro *c = the.oldest; c != NULL; c = c->newer)
        if (c->stack_size > most)
            most = c->stack_size;
    return most;
}

KEEP_FRAME int coro_run(void)
{
    if (the.current != NULL) {
        coro_complain("coro_run: called from inside coro %d",
                      the.current->id);
        return -1;
    }
    if (the.alive == 0)
        return 0;
    if (ctx_begin(biggest_stack()) != 0)
        return -1;
    stack_watch(report_overflow);
    the.in_run = true;
    int result = 0;
    for (unsigned runs = 1; the.alive > 0; runs++) {
        if (timers_count() > 0)     /* or no clock to read */
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
    stack_unwatch(report_overflow);
    ctx_end();
    return result;
}

struct coro *sched_current(void) { return the.current; }
struct coro *sched_find(int id) { return ids_get(id); }
int sched_last_id(void) { return the.last_id; }

/* The run loop's context: main's stack, which it runs on. */
struct ctx *sched_loop(void)
{
    if (the.loop == NULL)
        the.loop = ctx_new(0, NULL, NULL);
    return the.loop;
}

const struct coro *coro_oldest(void) { return the.oldest; }
const struct ctx *coro_loop(void) { return the.in_run ? the.loop : NULL; }
const struct coro *coro_queue(void) { return the.runnable.first; }
const struct coro *coro_current(void) { return the.current; }
