/*
 * coro.c - a handful of coroutines taking turns, each on a stack of its
 * own.
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
    struct coro  slot[CORO_MAX]; /* every coroutine alive */
    struct coro *current;        /* running now; NULL in the run loop */
    struct ctx  *loop;           /* the run loop's context */
    bool         in_run;         /* is coro_run() on the stack? */
    int          last_id;        /* ids count up from 1 */
    size_t       stack_size;     /* for coroutines spawned from now on */
} the = {.stack_size = CORO_STACK_SIZE};

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

/* The run loop's context: main's stack, which it runs on. */
static struct ctx *loop_context(void)
{
    if (the.loop == NULL)
        the.loop = ctx_new(0, NULL, NULL);
    return the.loop;
}

static void coro_entry(void);

int coro_spawn(coro_fn fn, void *arg)
{
    if (fn == NULL) {
        coro_complain("coro_spawn: fn is NULL");
        return -1;
    }
    struct coro *c = free_slot();
    if (c == NULL) {
        coro_complain("coro_spawn: %d coroutines are alive already",
                      CORO_MAX);
        return -1;
    }
    struct ctx *loop = loop_context();
    c->ctx = loop ? ctx_new(the.stack_size, coro_entry, loop) : NULL;
    if (c->ctx == NULL) {
        coro_complain("coro_spawn: no memory for a %zu KiB stack",
                      the.stack_size / 1024);
        return -1;
    }
    c->id = ++the.last_id;
    c->status = CORO_NEW;
    c->fn = fn;
    c->arg = arg;
    c->stack_size = the.stack_size;
    return c->id;
}

KEEP_FRAME
void coro_yield(void)
{
    struct coro *self = must_be_in_coroutine("coro_yield");
    self->status = CORO_SUSPENDED;
    SHOW_SWITCH("coro %d yields to main", self->id);
    ctx_switch(self->ctx, the.loop);
    self->status = CORO_RUNNING;
}

KEEP_FRAME
void coro_exit(void)
{
    struct coro *self = must_be_in_coroutine("coro_exit");
    self->status = CORO_FINISHED;
    SHOW_SWITCH("coro %d finishes", self->id);
    ctx_leave(self->ctx, the.loop);
}

/* The first frame of every coroutine, at the top of its stack.  When it
 * returns, its context's link takes the CPU back to the run loop. */
static void coro_entry(void)
{
    struct coro *self = the.current;
    self->fn(self->arg);
    self->status = CORO_FINISHED;
    SHOW_SWITCH("coro %d finishes", self->id);
}

/*
 * A coroutine that runs off the bottom of its stack touches the guard
 * page below it, and the kernel sends SIGSEGV.  stack.c runs this on a
 * stack of its own (the coroutine's is full), then lets the signal end
 * the program.  snprintf and fflush are not promised to be safe in a
 * signal handler; we are about to die, and the line matters more.
 */
static void report_overflow(const void *addr)
{
    struct coro *c = the.current;
    struct ctx_view v;
    if (c == NULL)
        return;
    ctx_view(c->ctx, &v);
    if (!stack_guard_hit(&v.stack, addr))
        return;                 /* some other bad access */
    char line[160];
    int n = snprintf(line, sizeof line, "coro %d overflowed %s %zu KiB "
                     "stack into the guard page; give it more with "
                     "coro_stack_size()\n", c->id,
                     ctx_mode.own_stacks ? "its" : "the shared",
                     (size_t)(v.stack.hi - v.stack.lo) / 1024);
    fflush(stdout);
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}

/* Give the CPU to c until it yields or finishes. */
KEEP_FRAME static void resume(struct coro *c)
{
    SHOW_SWITCH("main %s coro %d",
                c->status == CORO_NEW ? "starts" : "resumes", c->id);
    the.current = c;
    c->status = CORO_RUNNING;
    ctx_switch(the.loop, c->ctx);
    the.current = NULL;
    if (c->status == CORO_FINISHED) {
        ctx_free(c->ctx);       /* nobody runs on its stack any more */
        c->ctx = NULL;
    }
}

static bool waiting(const struct coro *c)
{
    return c->status == CORO_NEW || c->status == CORO_SUSPENDED;
}

/* The biggest stack the coroutines alive have asked for. */
static size_t biggest_stack(void)
{
    size_t most = 0;
    for (int i = 0; i < CORO_MAX; i++)
        if (waiting(&the.slot[i]) && the.slot[i].stack_size > most)
            most = the.slot[i].stack_size;
    return most;
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
    if (ctx_begin(biggest_stack()) != 0)
        return -1;
    stack_watch(report_overflow);
    the.in_run = true;
    while (any_left())
        for (int i = 0; i < CORO_MAX; i++)
            if (waiting(&the.slot[i]))
                resume(&the.slot[i]);
    the.in_run = false;
    stack_unwatch(report_overflow);
    ctx_end();
    return 0;
}

int coro_self(void)
{
    return the.current ? the.current->id : 0;
}

void coro_stack_size(size_t bytes)
{
    if (bytes > CORO_STACK_MAX) {
        coro_complain("coro_stack_size: %zu bytes is more than the %zu "
                      "a stack may have; it stays %zu", bytes,
                      CORO_STACK_MAX, the.stack_size);
        return;
    }
    the.stack_size = bytes < 16 * 1024 ? 16 * 1024 : bytes;
}

const struct coro *coro_slot(int i) { return &the.slot[i]; }
const struct coro *coro_current(void) { return the.current; }
const struct ctx *coro_loop(void) { return the.in_run ? the.loop : NULL; }
