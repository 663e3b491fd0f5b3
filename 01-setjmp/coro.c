/*
 * coro.c - a handful of coroutines taking turns on the one C stack.
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
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "coro_impl.h"
#include "show.h"

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
    if (the.current == NULL)
        coro_fail("%s: called outside a coroutine", call);
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
        coro_complain("coro_spawn: fn is NULL");
        return -1;
    }
    struct coro *c = free_slot();
    if (c == NULL) {
        coro_complain("coro_spawn: all %d slices are taken", CORO_MAX);
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
    SHOW_SWITCH("coro %d yields to main", self->id);
    ctx_switch(&self->ctx, &the.loop);
    self->status = CORO_RUNNING;
}

KEEP_FRAME
void coro_exit(void)
{
    struct coro *self = must_be_in_coroutine("coro_exit");
    self->status = CORO_FINISHED;
    SHOW_SWITCH("coro %d finishes", self->id);
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

/*
 * A coroutine that recurses past its slice, past every slice below and
 * off the end of the C stack meets the kernel's guard below the stack,
 * and SIGSEGV.  This runs on a stack of its own (the C stack is full),
 * then lets the signal end the program.  snprintf and fflush are not
 * promised to be safe in a signal handler; we are about to die, and the
 * line matters more.
 */
static struct {
    struct sigaction old_action;    /* the program's own, put back after */
    stack_t          old_stack;
    char             stack[16 * 1024];
} watch;

static void report_runaway(int sig)
{
    char line[160];
    int n = snprintf(line, sizeof line, "coro %d ran off the end of the "
                     "C stack, through every slice below its own\n",
                     the.current ? the.current->id : 0);
    fflush(stdout);
    if (the.current != NULL && write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
    signal(sig, SIG_DFL);   /* returning retries the access: it kills */
}

static void watch_begin(void)
{
    stack_t ss = {.ss_sp = watch.stack, .ss_size = sizeof watch.stack};
    struct sigaction sa = {.sa_handler = report_runaway,
                           .sa_flags = SA_ONSTACK};
    sigemptyset(&sa.sa_mask);
    sigaltstack(&ss, &watch.old_stack);
    sigaction(SIGSEGV, &sa, &watch.old_action);
}

static void watch_end(void)
{
    sigaction(SIGSEGV, &watch.old_action, NULL);
    sigaltstack(&watch.old_stack, NULL);
}

/* A coroutine that writes past its slice has overwritten whatever lies
 * below: the next coroutine's frames.  Stop before anybody runs on them. */
static void check_slices(void)
{
    for (int i = 0; i < CORO_MAX; i++)
        if (the.slot[i].status != CORO_FREE &&
            ctx_overran(&the.slot[i].ctx))
            coro_fail("coro_run: coro %d overran its %d KiB slice into "
                      "the stack below; stopping", the.slot[i].id,
                      CORO_SLICE_SIZE / 1024);
}

/* Give the CPU to c until it yields or finishes. */
KEEP_FRAME static void resume(struct coro *c)
{
    SHOW_SWITCH("main %s coro %d",
                c->status == CORO_NEW ? "starts" : "resumes", c->id);
    the.current = c;
    c->status = CORO_RUNNING;
    ctx_switch(&the.loop, &c->ctx);
    the.current = NULL;
    check_slices();
}

static bool waiting(const struct coro *c)
{
    return c->status == CORO_NEW || c->status == CORO_SUSPENDED;
}

static bool any_left(void)
{
    for (int i = 0; i < CORO_MAX; i++)
        if (waiting(&the.slot[i]))
            return true;
    return false;
}

KEEP_FRAME
int coro_run(void)
{
    if (the.current != NULL) {
        coro_complain("coro_run: called from inside coro %d",
                      the.current->id);
        return -1;
    }
    if (!any_left())
        return 0;
    if (ctx_carve(coro_entry) != 0)
        return -1;
    the.loop.slice = -1;
    watch_begin();
    the.in_run = true;
    while (any_left())
        for (int i = 0; i < CORO_MAX; i++)
            if (waiting(&the.slot[i]))
                resume(&the.slot[i]);
    the.in_run = false;
    watch_end();
    return 0;
}

int coro_self(void)
{
    return the.current ? the.current->id : 0;
}

const struct coro *coro_slot(int i) { return &the.slot[i]; }
const struct coro *coro_current(void) { return the.current; }
const struct ctx *coro_loop(void) { return the.in_run ? &the.loop : NULL; }
