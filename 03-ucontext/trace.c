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

#define MAX_ROWS 512
#define MAX_WALK 256        /* frames in one walk */
#define RUN_MIN  5          /* fold this many same-named frames or more */

enum row_kind { ROW_FRAME, ROW_DIVIDER, ROW_SPAN };

struct row {
    enum row_kind kind;
    size_t      depth;      /* bytes below the base where it starts */
    size_t      size;       /* a frame's bytes */
    char        text[72];   /* function name, or the row's words */
    const char *mark;       /* "<- sp" and such, or NULL */
    const char *gap;        /* what to call unused bytes below it */
    const char *color;      /* for a divider: its escape sequence */
};

static struct {
    bool        ready;      /* environment read? */
    bool        on;         /* draw at every switch */
    bool        on_set;     /* trace_enable() overrides CORO_TRACE */
    bool        step;       /* wait for Enter after each drawing */
    bool        addresses;  /* absolute addresses instead of depths */
    bool        color;      /* ANSI colours */
    FILE       *out;        /* where drawings go; NULL: stdout */
    char       *stack_hi;   /* top of the C stack: walks stop below */
    char       *main_base;  /* top of main()'s frame */
    char       *base;       /* the box's depth 0 */
    size_t      end;        /* the box's bottom, as a depth */
    struct frame walk[MAX_WALK];   /* one walk's frames */
    struct row  row[MAX_ROWS];
    int         rows;
} tr;

#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define RED    "\033[31m"
#define BOLD   "\033[1m"
#define PLAIN  "\033[0m"

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
    if (tr.rows == MAX_ROWS)
        return NULL;
    struct row *r = &tr.row[tr.rows++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->depth = (size_t)(tr.base - top);
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
    tr.base = tr.main_base = n > 0 ? f[n - 1].top : start;
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
    tr.base = hi;
    tr.end = (size_t)(hi - c->stack.guard);
    int n = 0;
    if (walkable && start != NULL)
        n = add_walk(start, lo, hi, ctx_first_frame, mark, "free");
    if (c->stack.guard == NULL)
        return;                         /* finished: freed */
    if (n > 0 && tr.row[0].depth > 64 && ctx_top_note[0] != '\0')
        add_words(ROW_SPAN, hi, NULL, ctx_top_note);
    if (n == 0)
        add_words(ROW_SPAN, hi, NULL, "empty");
    add_words(ROW_DIVIDER, lo, RED, "guard page: no access");
}

static void sort_rows(void)
{
    for (int i = 1; i < tr.rows; i++) {
        struct row r = tr.row[i];
        int j = i;
        for (; j > 0 && tr.row[j - 1].depth > r.depth; j--)
            tr.row[j] = tr.row[j - 1];
        tr.row[j] = r;
    }
}

/* ---- drawing ---------------------------------------------------- */

static const char *paint(const char *color)
{
    return tr.color && color ? color : "";
}

static const char *unpaint(const char *color)
{
    return tr.color && color ? PLAIN : "";
}

static void human(char *buf, size_t size, size_t bytes)
{
    if (bytes < 10 * 1024)
        snprintf(buf, size, "%zu B", bytes);
    else
        snprintf(buf, size, "%.1f KiB", bytes / 1024.0);
}

/* Where a row is: its depth below the base, or its address. */
static void where(char *buf, size_t size, size_t depth)
{
    if (tr.addresses)
        snprintf(buf, size, "%p", (void *)(tr.base - depth));
    else
        snprintf(buf, size, "+0x%04zx", depth);
}

static void print_frame(FILE *out, const struct row *r, int number)
{
    char name[32], pos[24], size[16];
    snprintf(name, sizeof name, "%-26.26s", r->text);
    where(pos, sizeof pos, r->depth);
    human(size, sizeof size, r->size);
    fprintf(out, "   | %s frame #%-3d%*s %9s", name, number,
            tr.addresses ? 16 : 10, pos, size);
    if (r->mark)
        fprintf(out, "  %s%s%s", paint(RED), r->mark, unpaint(RED));
    fputc('\n', out);
}

/* A line of words between marks, padded with fill to column 78. */
static void print_line(FILE *out, const char *color, const char *lead,
                       const char *words, char fill)
{
    char line[128];
    int n = snprintf(line, sizeof line, "%s %s ", lead, words);
    for (; n < 78 && n < (int)sizeof line - 1; n++)
        line[n] = fill;
    line[n] = '\0';
    fprintf(out, "%s%s%s\n", paint(color), line, unpaint(color));
}

/* Bytes from..to that hold no frame, if there are enough to mention. */
static void print_unused(FILE *out, size_t from, size_t to, const char *what)
{
    if (what == NULL || to <= from + 64)
        return;
    char size[16];
    human(size, sizeof size, to - from);
    fprintf(out, "   |    : %s %s\n", size, what);
}

/* Rows from i on with the same name as row i. */
static int run_length(int i)
{
    int j = i;
    while (j < tr.rows && tr.row[j].kind == ROW_FRAME &&
           strcmp(tr.row[j].text, tr.row[i].text) == 0)
        j++;
    return j - i;
}

/* Rows i+1 .. i+hidden of a deep recursion, as one line. */
static void print_fold(FILE *out, int i, int hidden)
{
    const struct row *first = &tr.row[i], *last = &tr.row[i + hidden + 1];
    char size[16];
    human(size, sizeof size, last->depth - first->depth - first->size);
    fprintf(out, "   |    : %d more %s frames, %s\n", hidden,
            first->text, size);
}

static void print_rows(FILE *out)
{
    int number = 0;
    for (int i = 0; i < tr.rows; i++) {
        const struct row *r = &tr.row[i];
        size_t next = i + 1 < tr.rows ? tr.row[i + 1].depth : tr.end;
        if (r->kind == ROW_DIVIDER) {
            print_line(out, r->color, "   |==", r->text, '=');
        } else if (r->kind == ROW_SPAN) {
            print_unused(out, r->depth, next, r->text);
            continue;
        } else {
            int run = run_length(i);
            if (run >= RUN_MIN) {       /* a deep recursion: fold it */
                print_frame(out, r, ++number);
                print_fold(out, i, run - 2);
                number += run - 2;
                i += run - 1;
                r = &tr.row[i];
                next = i + 1 < tr.rows ? tr.row[i + 1].depth : tr.end;
            }
            print_frame(out, r, ++number);
        }
        print_unused(out, r->depth + r->size, next, r->gap);
    }
}

/* One box: its head, its rows in depth order, and the way it grows. */
static void print_box(FILE *out, const char *color, const char *head)
{
    sort_rows();
    fputc('\n', out);
    print_line(out, color, "  ", head, '-');
    print_rows(out);
    fprintf(out, "   v\n");
}

/* "coro 1, suspended in coro_yield()" and what follows. */
static void describe(char *buf, size_t size, const char *who,
                     const char *status, bool stopped, const char *then)
{
    int n = snprintf(buf, size, "%s, %s", who, status);
    if (stopped && tr.rows > 0 && n < (int)size)
        n += snprintf(buf + n, size - (size_t)n, " in %s",
                      tr.row[0].text);
    if (n < (int)size)
        snprintf(buf + n, size - (size_t)n, "%s", then);
}

/* Main or the running coroutine is at `at`, marked with mark: here, or
 * where it stopped in gen_next() while generators run. */
static void draw_main(FILE *out, void *at, const char *mark)
{
    const struct ctx *loop = coro_loop();
    bool in_coroutine = coro_current() != NULL;
    tr.rows = 0;
    tr.end = 0;
    add_main(in_coroutine ? loop->fp : at,
             in_coroutine ? "<- saved sp" : mark, NULL);
    print_box(out, NULL, "main's stack");
}

/* A coroutine's or a generator's box, once its rows are in. */
static void draw_own(FILE *out, const char *head, bool running)
{
    if (tr.rows == 0) {                 /* nothing to draw but the head */
        fputc('\n', out);
        print_line(out, running ? GREEN : YELLOW, "  ", head, '-');
        return;
    }
    print_box(out, running ? GREEN : YELLOW, head);
}

static void draw_coro(FILE *out, const struct coro *c, void *at,
                      const char *mark)
{
    char who[16], head[96], then[48];
    bool running = c == coro_current();
    tr.rows = 0;
    tr.end = 0;
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
    tr.rows = 0;
    tr.end = 0;
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
    fprintf(out, "\n%s%s%s\n", paint(BOLD), line, unpaint(BOLD));
    char left[48];
    snprintf(left, sizeof left, "%s mode: every stack grows down", ctx_mode);
    fprintf(out, "   %-40s %*s %9s\n", left, tr.addresses ? 14 : 8,
            tr.addresses ? "address" : "depth", "size");
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
    tr.addresses = env_on("CORO_ADDR");
    tr.color = isatty(fileno(out)) && getenv("NO_COLOR") == NULL;
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
