/*
 * coro.c - stage 3: a handful of coroutines taking turns, each on a
 * stack of its own, switched by the C library's ucontext functions.
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
#include "trace.h"

const char *const coro_status_name[] = {
    [CORO_FREE] = "free",           [CORO_NEW] = "not started",
    [CORO_RUNNING] = "running",     [CORO_SUSPENDED] = "suspended",
    [CORO_FINISHED] = "finished",
};

/* The one state object of this stage. */
static struct {
    struct coro  slot[CORO_MAX]; /* every coroutine alive */
    struct coro *current;        /* running now; NULL in the run loop */
    struct ctx   loop;           /* the run loop's context */
    bool         in_run;         /* is coro_run() on the stack? */
    int          last_id;        /* ids count up from 1 */
    size_t       stack_size;     /* for coroutines spawned from now on */
} the = {.stack_size = CORO_STACK_SIZE};

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

static void coro_entry(void);

int coro_spawn(coro_fn fn, void *arg)
{
    if (fn == NULL) {
        complain("coro_spawn: fn is NULL");
        return -1;
    }
    struct coro *c = free_slot();
    if (c == NULL) {
        complain("coro_spawn: %d coroutines are alive already", CORO_MAX);
        return -1;
    }
    if (ctx_init(&c->ctx, the.stack_size, coro_entry, &the.loop) != 0) {
        complain("coro_spawn: no memory for a %zu KiB stack",
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
    ctx_leave(&self->ctx, &the.loop);
}

/* The first frame of every coroutine, at the top of its stack.  When it
 * returns, the context's uc_link takes us back to the run loop. */
static void coro_entry(void)
{
    struct coro *self = the.current;
    self->fn(self->arg);
    self->status = CORO_FINISHED;
    trace_switch("coro %d finishes", self->id);
}

/*
 * A coroutine that runs off the bottom of its stack touches the guard
 * page below it, and the kernel sends SIGSEGV.  stack.c runs this on a
 * stack of its own (the coroutine's is full), then lets the signal end
 * the program.  snprintf and fflush are not promised to be safe in a
 * signal handler; we are about to die, and the line matters more.
 */
void coro_report_overflow(const void *addr)
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

/* Give the CPU to c until it yields or finishes. */
KEEP_FRAME static void resume(struct coro *c)
{
    trace_switch("main %s coro %d",
                 c->status == CORO_NEW ? "starts" : "resumes", c->id);
    the.current = c;
    c->status = CORO_RUNNING;
    ctx_switch(&the.loop, &c->ctx);
    the.current = NULL;
    if (c->status == CORO_FINISHED)
        ctx_free(&c->ctx);      /* nobody runs on its stack any more */
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
    stack_watch(coro_report_overflow);
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

void coro_stack_size(size_t bytes)
{
    the.stack_size = bytes < 16 * 1024 ? 16 * 1024 : bytes;
}

const struct coro *coro_slot(int i) { return &the.slot[i]; }
const struct coro *coro_current(void) { return the.current; }
const struct ctx *coro_loop(void) { return the.in_run ? &the.loop : NULL; }
