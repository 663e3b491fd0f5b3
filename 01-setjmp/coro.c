/*
 * coro.c - stage 1: a handful of coroutines taking turns.
 *
 * coro_run() is the run loop.  It hands the CPU to each coroutine in
 * turn, and every coroutine hands it back when it yields or finishes:
 *
 *     coro_run() --start/resume--> coro 1 --yield--> coro_run()
 *     coro_run() --start/resume--> coro 2 --yield--> coro_run() ...
 *
 * Coroutines never switch straight to each other: the run loop picks,
 * so the choice of who runs next lives in one place.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "coro_impl.h"
#include "trace.h"

const char *const coro_status_name[] = {
    [CORO_FREE] = "free",           [CORO_NEW] = "not started",
    [CORO_RUNNING] = "running",     [CORO_SUSPENDED] = "suspended",
    [CORO_FINISHED] = "finished",
};

/* The one state object of this stage. */
static struct {
    struct coro  slot[CORO_MAX]; /* slot i runs on slice i */
    struct coro *current;        /* running now; NULL in the run loop */
    struct ctx   loop;           /* the run loop's context */
    bool         in_run;         /* is coro_run() on the stack? */
    int          last_id;        /* ids count up from 1 */
} the;

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
    if (the.current == NULL) {
        complain("%s: called outside a coroutine", call);
        abort();
    }
    return the.current;
}

static struct coro *free_slot(void)
{
    for (int i = 0; i < CORO_MAX; i++)
        if (the.slot[i].status == CORO_FREE ||
            the.slot[i].status == CORO_FINISHED)
            return &the.slot[i];
    return NULL;
}

int coro_spawn(coro_fn fn, void *arg)
{
    if (fn == NULL) {
        complain("coro_spawn: fn is NULL");
        return -1;
    }
    struct coro *c = free_slot();
    if (c == NULL) {
        complain("coro_spawn: all %d slices are taken", CORO_MAX);
        return -1;
    }
    c->id = ++the.last_id;
    c->status = CORO_NEW;
    c->fn = fn;
    c->arg = arg;
    ctx_init(&c->ctx, (int)(c - the.slot));
    return c->id;
}

KEEP_FRAME
void coro_yield(void)
{
    struct coro *self = must_be_in_coroutine("coro_yield");
    self->status = CORO_SUSPENDED;
    trace_switch("coro %d yields to main", self->id);
    ctx_switch(&self->ctx, &the.loop);
    self->status = CORO_RUNNING;
}

KEEP_FRAME
void coro_exit(void)
{
    struct coro *self = must_be_in_coroutine("coro_exit");
    self->status = CORO_FINISHED;
    trace_switch("coro %d finishes", self->id);
    ctx_switch(&self->ctx, &the.loop);
    abort();                    /* the run loop never comes back here */
}

/* The first frame of every coroutine, at the top of its slice. */
static void coro_entry(void)
{
    struct coro *self = the.current;
    self->fn(self->arg);
    coro_exit();
}

/* A coroutine that writes past its slice has overwritten whatever lies
 * below: the next coroutine's frames.  Stop before anybody runs on them. */
static void check_slices(void)
{
    for (int i = 0; i < CORO_MAX; i++) {
        if (the.slot[i].status != CORO_FREE && ctx_overran(i)) {
            complain("coro_run: coro %d overran its %d KiB slice into "
                     "the stack below; stopping",
                     the.slot[i].id, CORO_SLICE_SIZE / 1024);
            abort();
        }
    }
}

/* Give the CPU to c until it yields or finishes. */
KEEP_FRAME static void resume(struct coro *c)
{
    trace_switch("main %s coro %d",
                 c->status == CORO_NEW ? "starts" : "resumes", c->id);
    the.current = c;
    c->status = CORO_RUNNING;
    ctx_switch(&the.loop, &c->ctx);
    the.current = NULL;
    check_slices();
}

static bool any_left(void)
{
    for (int i = 0; i < CORO_MAX; i++)
        if (the.slot[i].status == CORO_NEW ||
            the.slot[i].status == CORO_SUSPENDED)
            return true;
    return false;
}

KEEP_FRAME
int coro_run(void)
{
    if (the.current != NULL) {
        complain("coro_run: called from inside coro %d", the.current->id);
        return -1;
    }
    if (!any_left())
        return 0;
    ctx_carve(coro_entry);
    the.loop.slice = -1;
    the.in_run = true;
    while (any_left())
        for (int i = 0; i < CORO_MAX; i++)
            if (the.slot[i].status == CORO_NEW ||
                the.slot[i].status == CORO_SUSPENDED)
                resume(&the.slot[i]);
    the.in_run = false;
    return 0;
}

int coro_self(void)
{
    return the.current ? the.current->id : 0;
}

const struct coro *coro_slot(int i) { return &the.slot[i]; }
const struct coro *coro_current(void) { return the.current; }
const struct ctx *coro_loop(void) { return the.in_run ? &the.loop : NULL; }
