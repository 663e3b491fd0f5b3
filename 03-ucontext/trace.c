/*
 * trace.c - draw stage 3's stacks: main()'s first, then one box per
 * coroutine and one per generator: its own stack, with the guard page
 * under it.
 *
 * A box is a list of rows (frames, dividers, spans of bytes), each at
 * its depth: how many bytes below the box's base it starts.  Sorted by
 * depth, the rows come out in the order the stack grows.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coro_impl.h"
#include "frames.h"
#include "gen_impl.h"
#include "tools.h"
#include "trace.h"
#include "trace_impl.h"

#define MAX_WALK 256        /* frames in one walk */


static struct {
    bool        ready;      /* environment read? */
    bool        on;         /* draw at every switch */
    bool        on_set;     /* trace_enable() overrides CORO_TRACE */
    bool        step;       /* wait for Enter after each drawing */
    FILE       *out;        /* where drawings go; NULL: stdout */
    char       *stack_hi;   /* top of the C stack: walks stop below */
    char       *main_base;  /* top of main()'s frame */
    struct frame walk[MAX_WALK];   /* one walk's frames */
} tr;


static bool env_on(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

static void setup(void)
{
    if (tr.ready)
        return;
    tr.ready = true;
    if (!tr.on_set)
        tr.on = env_on("CORO_TRACE");
    pthread_attr_t a;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &a) == 0) {
        pthread_attr_getstack(&a, &lo, &size);
        tr.stack_hi = (char *)lo + size;
        pthread_attr_destroy(&a);
    }
}

/* ---- collecting rows ------------------------------------------- */

static struct row *add_row(enum row_kind kind, char *top, const char *color)
{
    if (box.rows == MAX_ROWS)
        return NULL;
    struct row *r = &box.row[box.rows++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->depth = (size_t)(box.base - top);
    r->color = color;
    return r;
}

static void add_frame(const struct frame *f, const char *mark,
                      const char *gap)
{
    struct row *r = add_row(ROW_FRAME, f->top, NULL);
    if (r == NULL)
        return;
    r->size = (size_t)(f->top - f->bottom);
    snprintf(r->text, sizeof r->text, "%s()", f->name);
    r->mark = mark;
    r->gap = gap;
}

/* A divider across the box, or a span of bytes, at top. */
static struct row *add_words(enum row_kind kind, char *top,
                             const char *color, const char *words)
{
    struct row *r = add_row(kind, top, color);
    if (r != NULL)
        snprintf(r->text, sizeof r->text, "%s", words);
    return r;
}

/* The frames found from start, within lo .. hi.  The first gets mark.
 * Returns how many. */
static int add_walk(void *start, char *lo, char *hi, const char *stop_at,
                    const char *mark, const char *gap)
{
    struct frame *f = tr.walk;
    int n = frames_walk(start, lo, hi, 0, stop_at, f, MAX_WALK);
    for (int k = 0; k < n; k++)
        add_frame(&f[k], k == 0 ? mark : NULL, gap);
    return n;
}

/* main()'s frames, from start up; sets the base at main()'s top. */
static void add_main(void *start, const char *mark, const char *gap)
{
    struct frame *f = tr.walk;
    int n = frames_walk(start, start, tr.stack_hi, 0, "main", f, MAX_WALK);
    box.base = tr.main_base = n > 0 ? f[n - 1].top : start;
    for (int k = 0; k < n; k++)
        add_frame(&f[k], k == 0 ? mark : NULL, gap);
}

/* A coroutine or a generator on its own stack: its frames from start
 * (none if NULL), the first marked with mark, and its guard page. */
static void add_own_stack(const struct ctx *c, void *start,
                          const char *mark)
{
    char *lo, *hi;
    bool walkable = ctx_frames(c, &lo, &hi);
    box.base = hi;
    box.end = (size_t)(hi - c->stack.guard);
    int n = 0;
    if (walkable && start != NULL)
        n = add_walk(start, lo, hi, ctx_first_frame, mark, "free");
    if (c->stack.guard == NULL)
        return;                         /* finished: freed */
    if (n > 0 && box.row[0].depth > 64 && ctx_top_note[0] != '\0')
        add_words(ROW_SPAN, hi, NULL, ctx_top_note);
    if (n == 0)
        add_words(ROW_SPAN, hi, NULL, "empty");
    add_words(ROW_DIVIDER, lo, RED, "guard page: no access");
}

/* "coro 1, suspended in coro_yield()" and what follows. */
static void describe(char *buf, size_t size, const char *who,
                     const char *status, bool stopped, const char *then)
{
    int n = snprintf(buf, size, "%s, %s", who, status);
    if (stopped && box.rows > 0 && n < (int)size)
        n += snprintf(buf + n, size - (size_t)n, " in %s",
                      box.row[0].text);
    if (n < (int)size)
        snprintf(buf + n, size - (size_t)n, "%s", then);
}

/* Main or the running coroutine is at `at`, marked with mark: here, or
 * where it stopped in gen_next() while generators run. */
static void draw_main(FILE *out, void *at, const char *mark)
{
    const struct ctx *loop = coro_loop();
    bool in_coroutine = coro_current() != NULL;
    box.rows = 0;
    box.end = 0;
    add_main(in_coroutine ? loop->fp : at,
             in_coroutine ? "<- saved sp" : mark, NULL);
    draw_box(out, NULL, "main's stack");
}

/* A coroutine's or a generator's box, once its rows are in. */
static void draw_own(FILE *out, const char *head, bool running)
{
    if (box.rows == 0) {                 /* nothing to draw but the head */
        fputc('\n', out);
        draw_line(out, running ? GREEN : YELLOW, "  ", head, '-');
        return;
    }
    draw_box(out, running ? GREEN : YELLOW, head);
}

static void draw_coro(FILE *out, const struct coro *c, void *at,
                      const char *mark)
{
    char who[16], head[96], then[48];
    bool running = c == coro_current();
    box.rows = 0;
    box.end = 0;
    if (running)
        add_own_stack(&c->ctx, at, mark);
    else
        add_own_stack(&c->ctx, c->status == CORO_SUSPENDED ? c->ctx.fp
                                                           : NULL,
                      "<- saved sp");
    snprintf(then, sizeof then, c->ctx.stack.guard == NULL ?
             ": its stack is freed" : ": its own %zu KiB stack",
             c->stack_size / 1024);
    snprintf(who, sizeof who, "coro %d", c->id);
    describe(head, sizeof head, who, coro_status_name[c->status],
             c->status == CORO_SUSPENDED, then);
    draw_own(out, head, running);
}

/* The outermost generator of those running: the one that main or a
 * coroutine called gen_next() on, and so knows where they stopped.
 * NULL: no generator runs. */
static const struct gen *outermost_running(void)
{
    const struct gen *g = gen_running();
    while (g != NULL && g->consumer != NULL)
        g = g->consumer;
    return g;
}

/* Where g's frames start: the running one's here; one that waits in
 * gen_next() stopped where it switched to the generator it runs; a
 * suspended one, where it yielded.  NULL: it has none. */
static void *gen_start(const struct gen *g, void *here)
{
    if (g == gen_running())
        return here;
    if (g->status == GEN_WAITING)
        for (const struct gen *h = gen_running(); h; h = h->consumer)
            if (h->consumer == g)
                return h->caller.fp;
    return g->status == GEN_SUSPENDED ? g->ctx.fp : NULL;
}

static void draw_gen(FILE *out, const struct gen *g, void *here)
{
    char who[32], head[96], then[48];
    bool running = g == gen_running();
    box.rows = 0;
    box.end = 0;
    add_own_stack(&g->ctx, gen_start(g, here),
                  running ? "<- sp" : "<- saved sp");
    snprintf(then, sizeof then, g->ctx.stack.guard == NULL ?
             ": its stack is freed" : ": its own %zu KiB stack",
             g->stack_size / 1024);
    snprintf(who, sizeof who, "generator \"%s\"", g->name);
    describe(head, sizeof head, who, gen_status_name[g->status],
             g->status == GEN_SUSPENDED || g->status == GEN_WAITING, then);
    draw_own(out, head, running);
}

static void render(FILE *out, const char *title, void *here)
{
    char line[96];
    int n = snprintf(line, sizeof line, "-- %s ", title);
    for (; n < 78 && n < (int)sizeof line - 1; n++)
        line[n] = '-';
    line[n] = '\0';
    fprintf(out, "\n%s%s%s\n", draw_paint(BOLD), line, draw_unpaint(BOLD));
    char left[48];
    snprintf(left, sizeof left, "%s mode: every stack grows down", ctx_mode);
    fprintf(out, "   %-40s %*s %9s\n", left, box.addresses ? 14 : 8,
            box.addresses ? "address" : "depth", "size");
    const struct gen *outer = outermost_running();
    void *at = outer ? outer->caller.fp : here;
    const char *mark = outer ? "<- saved sp" : "<- sp";
    draw_main(out, at, mark);
    for (int i = 0; coro_loop() != NULL && i < CORO_MAX; i++)
        if (coro_slot(i)->status != CORO_FREE)
            draw_coro(out, coro_slot(i), at, mark);
    for (const struct gen *g = gen_first(); g != NULL; g = g->next)
        draw_gen(out, g, here);
}

/* ---- the interface ---------------------------------------------- */

static void draw(void *here, const char *fmt, va_list ap)
{
    char title[72];
    vsnprintf(title, sizeof title, fmt, ap);
    FILE *out = tr.out ? tr.out : stdout;
    tr.step = env_on("CORO_STEP");
    box.addresses = env_on("CORO_ADDR");
    box.color = isatty(fileno(out)) && getenv("NO_COLOR") == NULL;
    render(out, title, here);
    fflush(out);
    if (tr.step) {
        fprintf(out, "   [Enter] ");
        fflush(out);
        for (int ch = getchar(); ch != '\n' && ch != EOF; ch = getchar())
            ;
    }
}

__attribute__((noinline))
void trace_stacks(const char *fmt, ...)
{
    setup();
    va_list ap;
    va_start(ap, fmt);
    draw(__builtin_frame_address(0), fmt, ap);
    va_end(ap);
}

__attribute__((noinline))
void trace_switch(const char *fmt, ...)
{
    setup();
    if (!tr.on)
        return;
    va_list ap;
    va_start(ap, fmt);
    draw(__builtin_frame_address(0), fmt, ap);
    va_end(ap);
}

void trace_enable(bool on)
{
    tr.on = on;
    tr.on_set = true;
}

void trace_output(FILE *out)
{
    tr.out = out;
}
