/*
 * trace.c - draw stage 2's stacks: main()'s first, then one box per
 * coroutine.  In asm and sigstack modes a coroutine's box is its own
 * stack, with the guard page under it.  In copy mode main()'s box also
 * holds the shared stack (and whoever runs on it), and a stopped
 * coroutine's box is its copy on the heap, drawn at the depths it will
 * go back to.
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
    char        running_in[48]; /* copy mode: where the runner is */
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

/* The frames found from start, within lo .. hi (where records have
 * moved by `moved`).  The first gets mark.  Returns how many. */
static int add_walk(void *start, char *lo, char *hi, long moved,
                    const char *stop_at, const char *mark, const char *gap)
{
    struct frame *f = tr.walk;
    int n = frames_walk(start, lo, hi, moved, stop_at, f, MAX_WALK);
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

/* Copy mode: the shared stack below the run loop, the frames of whoever
 * runs on it, and the guard page under it.  false in other modes. */
static bool add_shared(void *here)
{
    char *guard, *lo, *hi;
    if (coro_loop() == NULL || !ctx_shared(&guard, &lo, &hi))
        return false;
    const struct coro *c = coro_current();
    STACK_BYTES_KEPT(lo, hi);           /* below our stack pointer */
    struct row *d = add_words(ROW_DIVIDER, hi, c ? GREEN : NULL, "");
    if (d == NULL)
        return true;
    if (c == NULL) {
        snprintf(d->text, sizeof d->text, "the shared stack: empty");
        d->gap = "free";
    } else {
        snprintf(d->text, sizeof d->text, "the shared stack: coro %d "
                 "runs on it", c->id);
        if (add_walk(here, lo, hi, 0, NULL, "<- sp", "free") > 0)
            snprintf(tr.running_in, sizeof tr.running_in, " in %s()",
                     tr.walk[0].name);
    }
    add_words(ROW_DIVIDER, lo, RED, "guard page: no access");
    box.end = (size_t)(box.base - guard);
    return true;
}

/* A coroutine on its own stack (asm and sigstack modes). */
static void add_own_stack(const struct coro *c, void *here)
{
    char *lo, *hi;
    long moved;
    bool walkable = ctx_frames(&c->ctx, &lo, &hi, &moved);
    box.base = hi;
    box.end = (size_t)(hi - c->ctx.stack.guard);
    int n = 0;
    if (c == coro_current())
        n = add_walk(here, lo, hi, 0, ctx_first_frame, "<- sp", "free");
    else if (walkable && c->status == CORO_SUSPENDED)
        n = add_walk(c->ctx.fp, lo, hi, 0, ctx_first_frame, "<- saved sp",
                     "free");
    if (c->ctx.stack.guard == NULL)
        return;                         /* finished: freed */
    if (n > 0 && box.row[0].depth > 64 && ctx_top_note[0] != '\0')
        add_words(ROW_SPAN, hi, NULL, ctx_top_note);
    if (n == 0)
        add_words(ROW_SPAN, hi, NULL, "empty");
    add_words(ROW_DIVIDER, lo, RED, "guard page: no access");
}

/* A coroutine in copy mode: its frames on the heap, while it is stopped. */
static void add_copy(const struct coro *c)
{
    char *lo, *hi;
    long moved;
    box.base = tr.main_base;             /* the depths they will go back to */
    if (c->status == CORO_SUSPENDED && ctx_frames(&c->ctx, &lo, &hi, &moved))
        add_walk(c->ctx.fp, lo, hi, moved, ctx_first_frame, "<- saved sp",
                 NULL);
    box.end = box.rows > 0 ? box.row[box.rows - 1].depth +
                           box.row[box.rows - 1].size : 0;
}

/* "coro 1, suspended in coro_yield()" and what follows. */
static void describe(char *buf, size_t size, const struct coro *c,
                     const char *then)
{
    int n = snprintf(buf, size, "coro %d, %s", c->id,
                     coro_status_name[c->status]);
    if (c->status == CORO_SUSPENDED && box.rows > 0 && n < (int)size)
        n += snprintf(buf + n, size - (size_t)n, " in %s",
                      box.row[0].text);
    else if (c->status == CORO_SUSPENDED && n < (int)size)
        n += snprintf(buf + n, size - (size_t)n, "%s", tr.running_in);
    if (n < (int)size)
        snprintf(buf + n, size - (size_t)n, "%s", then);
}

static void draw_main(FILE *out, void *here)
{
    const struct ctx *loop = coro_loop();
    bool in_coroutine = coro_current() != NULL;
    char *unused;
    bool shared = loop && ctx_shared(&unused, &unused, &unused);
    box.rows = 0;
    box.end = 0;
    tr.running_in[0] = '\0';
    add_main(in_coroutine ? loop->fp : here,
             in_coroutine ? "<- saved sp" : "<- sp",
             shared ? "kept free for the run loop's own calls" : NULL);
    add_shared(here);
    draw_box(out, NULL, shared ? "main's stack, and the shared stack "
                                  "below it" : "main's stack");
}

static void draw_coro(FILE *out, const struct coro *c, void *here)
{
    char *unused, head[96], then[48];
    bool running = c == coro_current();
    box.rows = 0;
    box.end = 0;
    if (ctx_shared(&unused, &unused, &unused)) {
        add_copy(c);
        char *lo, *hi;
        long moved;
        snprintf(then, sizeof then, "%s", "");
        if (box.rows > 0 && ctx_frames(&c->ctx, &lo, &hi, &moved))
            snprintf(then, sizeof then, ": %zu B copied to the heap",
                     (size_t)(hi - lo));
        if (running)
            snprintf(then, sizeof then, ": on the shared stack");
    } else {
        add_own_stack(c, here);
        snprintf(then, sizeof then, c->ctx.stack.guard == NULL ?
                 ": its stack is freed" : ": its own %zu KiB stack",
                 c->stack_size / 1024);
    }
    describe(head, sizeof head, c, then);
    if (box.rows == 0) {                 /* nothing to draw but the head */
        fputc('\n', out);
        draw_line(out, running ? GREEN : YELLOW, "  ", head, '-');
        return;
    }
    draw_box(out, running ? GREEN : YELLOW, head);
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
    draw_main(out, here);
    if (coro_loop() == NULL)
        return;
    for (int i = 0; i < CORO_MAX; i++)
        if (coro_slot(i)->status != CORO_FREE)
            draw_coro(out, coro_slot(i), here);
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
