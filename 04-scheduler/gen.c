/*
 * gen.c - generators, on the same seam as the coroutines (ctx.h): a
 * stack each.  There is no run loop here: gen_next() switches straight
 * from its caller into the generator, and keeps the caller's context in
 * the generator (g->caller), so that gen_yield() knows where to go back:
 *
 *     main --gen_next--> g --gen_yield--> main         (g->caller: main)
 *     main --gen_next--> g --gen_next--> h --gen_yield--> g ...
 *
 * When g's function returns, so does ctx_start, the first frame on g's
 * stack, and the context's link (g->caller) takes the CPU back into
 * gen_next(), in whoever called it last.  With SWITCH=ucontext that
 * link is the ucontext's uc_link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro_impl.h"
#include "gen_impl.h"
#include "many.h"
#include "show.h"
#include "tools.h"

const char *const gen_status_name[] = {
    [GEN_NEW] = "not started",      [GEN_RUNNING] = "running",
    [GEN_WAITING] = "waiting",      [GEN_SUSPENDED] = "suspended",
    [GEN_FINISHED] = "finished",
};

/* The one state object of the generators. */
static struct {
    struct gen *running;        /* the innermost one running; or NULL */
    struct gen *first, *last;   /* every one alive, in making order */
    int         made;           /* how many so far, for default names */
    size_t      stack_size;     /* for generators made from now on */
} the = {.stack_size = GEN_STACK_SIZE};

/* Who gets g's values: "main", "coro 2", or another generator's name. */
static const char *consumer_name(const struct gen *g)
{
    static char name[32];
    if (g->consumer != NULL)
        snprintf(name, sizeof name, "%s", g->consumer->name);
    else if (coro_self() > 0)
        snprintf(name, sizeof name, "coro %d", coro_self());
    else
        snprintf(name, sizeof name, "main");
    return name;
}

static void gen_entry(void);

/* Its caller's context, and its own, which goes back to the caller's
 * when its function returns: true, or false with no memory. */
static bool make_contexts(struct gen *g)
{
    g->caller = ctx_new(0, NULL, NULL);
    g->ctx = g->caller ? ctx_new(the.stack_size, gen_entry, g->caller)
                       : NULL;
    return g->ctx != NULL;
}

static void report_overflow(const void *addr);

gen *gen_new(gen_fn fn, void *arg, const char *name)
{
    if (fn == NULL) {
        coro_complain("gen_new: fn is NULL");
        return NULL;
    }
    if (!ctx_mode.own_stacks) {
        coro_complain("gen_new: with SWITCH=%s there is one shared stack, "
                      "which only coro_run() sets up; a generator needs "
                      "a stack of its own", ctx_mode.name);
        return NULL;
    }
    struct gen *g = calloc(1, sizeof *g);
    if (g == NULL || !make_contexts(g)) {
        coro_complain("gen_new: no memory for a %zu KiB stack",
                      the.stack_size / 1024);
        if (g != NULL)
            ctx_free(g->caller);
        free(g);
        return NULL;
    }
    the.made++;
    if (name != NULL)
        snprintf(g->name, sizeof g->name, "%s", name);
    else
        snprintf(g->name, sizeof g->name, "gen %d", the.made);
    g->status = GEN_NEW;
    g->fn = fn;
    g->arg = arg;
    g->stack_size = the.stack_size;
    /* While any generator is alive, stack.c watches for an overflow:
     * put in place once here, not at every switch (two system calls). */
    if (the.first == NULL)
        stack_watch(report_overflow);
    if (the.last != NULL)
        the.last->next = g;
    else
        the.first = g;
    the.last = g;
    return g;
}

/* The first frame of every generator, at the top of its stack.  When it
 * returns, the context's link takes the CPU back into gen_next(). */
static void gen_entry(void)
{
    struct gen *self = the.running;
    self->fn(self->arg);
    self->status = GEN_FINISHED;
    SHOW_SWITCH("%s returns: %s takes it back to %s", self->name,
                strcmp(ctx_mode.name, "ucontext") == 0 ? "uc_link"
                                                       : "its link",
                consumer_name(self));
}

/*
 * A generator that runs off the bottom of its stack touches the guard
 * page below it (or runs past the canary there, and on until it faults:
 * many.c).  Called on a stack of its own, just before the program dies
 * (see stack.h); a fault elsewhere is somebody else's to report.
 */
static void report_overflow(const void *addr)
{
    struct gen *g = the.running;
    struct ctx_view v;
    if (g == NULL)
        return;
    ctx_view(g->ctx, &v);
    const char *how = stack_guard_hit(&v.stack, addr) ? "into the guard page"
                      : !many_intact(g->ctx) ? "(it went past the canary "
                                               "below it)"
                      : NULL;
    if (how == NULL)
        return;
    char line[160];
    int n = snprintf(line, sizeof line, "generator \"%s\" overflowed its "
                     "%zu KiB stack %s; give it more with gen_stack_size()\n",
                     g->name, g->stack_size / 1024, how);
    fflush(stdout);
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}

/* Can gen_next() switch into g?  If not, say why. */
static bool resumable(const struct gen *g)
{
    if (g == NULL) {
        coro_complain("gen_next: g is NULL");
        return false;
    }
    if (g->status == GEN_RUNNING || g->status == GEN_WAITING) {
        coro_complain("gen_next: generator \"%s\" is running already",
                      g->name);
        return false;
    }
    return true;
}

/* Just before gen_next() switches into g: g runs, its consumer (if a
 * generator) waits for it, and stack.c's watch reports for us. */
static void enter(struct gen *g)
{
    if (g->consumer != NULL)
        g->consumer->status = GEN_WAITING;
    g->status = GEN_RUNNING;
    the.running = g;
}

/* Just after: g has yielded or returned, and its consumer runs again.
 * A stack without a guard page has a canary instead (many.c): looked
 * at now, before the damage spreads. */
static void leave(struct gen *g)
{
    if (!many_intact(g->ctx))
        coro_fail("generator \"%s\" overflowed its %zu KiB stack (it went "
                  "past the canary below it); give it more with "
                  "gen_stack_size()", g->name, g->stack_size / 1024);
    the.running = g->consumer;
    if (g->consumer != NULL)
        g->consumer->status = GEN_RUNNING;
    if (g->status == GEN_FINISHED) {
        ctx_free(g->ctx);       /* nobody runs on its stack any more */
        g->ctx = NULL;
    }
}

/* == exercise gen (gen_next): the answer begins == */
KEEP_FRAME
bool gen_next(gen *g, long *value)
{
    if (!resumable(g) || g->status == GEN_FINISHED)
        return false;
    g->consumer = the.running;
    SHOW_SWITCH("%s %s generator %s", consumer_name(g),
                g->status == GEN_NEW ? "starts" : "resumes", g->name);
    enter(g);
    ctx_switch(g->caller, g->ctx);      /* until it yields or returns */
    leave(g);
    if (g->status == GEN_FINISHED)
        return false;
    if (value != NULL)
        *value = g->value;
    return true;
}
/* == exercise gen (gen_next): the answer ends == */

/* == exercise gen (gen_yield): the answer begins == */
KEEP_FRAME
void gen_yield(long value)
{
    struct gen *self = the.running;
    if (self == NULL)
        coro_fail("gen_yield: called outside a generator");
    self->value = value;
    self->status = GEN_SUSPENDED;
    SHOW_SWITCH("%s yields %ld to %s", self->name, value,
                consumer_name(self));
    ctx_switch(self->ctx, self->caller);
}
/* == exercise gen (gen_yield): the answer ends == */

/* Take g out of the list of those alive. */
static void unlink_gen(struct gen *g)
{
    struct gen **p = &the.first, *before = NULL;
    while (*p != g) {
        before = *p;
        p = &(*p)->next;
    }
    *p = g->next;
    if (the.last == g)
        the.last = before;
}

void gen_free(gen *g)
{
    if (g == NULL)
        return;
    if (g->status == GEN_RUNNING || g->status == GEN_WAITING)
        coro_fail("gen_free: generator \"%s\" is %s", g->name,
                  gen_status_name[g->status]);
    unlink_gen(g);
    if (the.first == NULL)      /* the last one: the program's own
                                   SIGSEGV handler comes back */
        stack_unwatch(report_overflow);
    /* Abandoned frames may leave AddressSanitizer's red zones marked
     * in the stack; clear them before the pages go back. */
    if (g->status == GEN_SUSPENDED) {
        struct ctx_view v;
        ctx_view(g->ctx, &v);
        STACK_UNPOISON(v.stack.lo, (size_t)(v.stack.hi - v.stack.lo));
    }
    ctx_free(g->ctx);
    ctx_free(g->caller);
    free(g);
}

void gen_stack_size(size_t bytes)
{
    if (bytes > CORO_STACK_MAX) {
        coro_complain("gen_stack_size: %zu bytes is more than the %zu a "
                      "stack may have; it stays %zu", bytes,
                      CORO_STACK_MAX, the.stack_size);
        return;
    }
    the.stack_size = bytes < 16 * 1024 ? 16 * 1024 : bytes;
}

const struct gen *gen_first(void) { return the.first; }
const struct gen *gen_running(void) { return the.running; }
