/*
 * trace.c - draw stage 1's one C stack: main()'s frames at the top,
 * the room the run loop keeps for its own calls, then one slice per
 * coroutine, each with the frames it holds.
 *
 * A drawing is a list of rows (frames and dividers), each placed at
 * its depth: how many bytes below the top of main()'s frame it starts.
 * Sorted by depth, the rows come out in the order the stack grows.
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

#define MAX_ROWS 512
#define MAX_WALK 256        /* frames in one walk */
#define RUN_MIN  5          /* fold this many same-named frames or more */

struct row {
    size_t      depth;      /* bytes below the base where it starts */
    size_t      size;       /* a frame's bytes; 0 marks a divider */
    char        text[64];   /* function name, or the divider's words */
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
    char       *base;       /* top of main()'s frame: depth 0 */
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

static struct row *add_row(char *top, const char *color)
{
    if (tr.rows == MAX_ROWS)
        return NULL;
    struct row *r = &tr.row[tr.rows++];
    memset(r, 0, sizeof *r);
    r->depth = (size_t)(tr.base - top);
    r->color = color;
    return r;
}

static void add_frame(const struct frame *f, const char *mark,
                      const char *gap)
{
    struct row *r = add_row(f->top, NULL);
    if (r == NULL)
        return;
    r->size = (size_t)(f->top - f->bottom);
    snprintf(r->text, sizeof r->text, "%s()", f->name);
    r->mark = mark;
    r->gap = gap;
}

/* main()'s part of the stack, from start up to main(); sets the base. */
static void add_main(void *start, const char *mark, const char *gap)
{
    struct frame *f = tr.walk;
    int n = frames_walk(start, start, tr.stack_hi, "main", f, MAX_WALK);
    tr.base = n > 0 ? f[n - 1].top : start;
    for (int k = 0; k < n; k++)
        add_frame(&f[k], k == 0 ? mark : NULL, gap);
}

/* Slice i: a divider, then the frames of the coroutine on it. */
static void add_slice(int i, const struct coro *c, void *here)
{
    char *lo, *top, *bottom, *unused;
    ctx_slice(i, &lo, &top);
    ctx_slice(CORO_MAX - 1, &bottom, &unused);
    struct frame *f = tr.walk;
    int n = 0;
    bool running = c == coro_current();
    if (running || c->status == CORO_SUSPENDED)
        n = frames_walk(running ? here : c->ctx.fp, bottom, top,
                        "carve_slice", f, MAX_WALK);
    struct row *d = add_row(top, running ? GREEN : YELLOW);
    if (d == NULL)
        return;
    int len = snprintf(d->text, sizeof d->text, "slice %d: coro %d, %s",
                       i + 1, c->id, coro_status_name[c->status]);
    if (c->status == CORO_SUSPENDED && n > 0)
        snprintf(d->text + len, sizeof d->text - (size_t)len, " in %s()",
                 f[0].name);
    bool walked = running || c->status == CORO_SUSPENDED;
    if (walked && (n == 0 || strcmp(f[n - 1].name, "carve_slice") != 0))
        snprintf(d->text + len, sizeof d->text - (size_t)len,
                 ": its frames are overwritten");
    d->gap = walked ? NULL : "free";
    for (int k = 0; k < n; k++) {
        bool past = f[k].bottom < lo;
        const char *mark = past ? "!! past its slice" : NULL;
        if (k == 0 && running)
            mark = past ? "<- sp !! past its slice" : "<- sp";
        else if (k == 0)
            mark = past ? "<- saved sp !! past its slice" : "<- saved sp";
        add_frame(&f[k], mark, "free");
    }
}

/* The slices nobody has used yet, as one divider. */
static void add_unused(int first)
{
    char *lo, *top;
    ctx_slice(first, &lo, &top);
    struct row *d = add_row(top, NULL);
    if (d == NULL)
        return;
    snprintf(d->text, sizeof d->text, "slices %d-%d: not used yet",
             first + 1, CORO_MAX);
}

static void collect(void *here)
{
    const struct ctx *loop = coro_loop();
    bool in_coroutine = coro_current() != NULL;
    tr.rows = 0;
    add_main(in_coroutine ? loop->fp : here,
             in_coroutine ? "<- saved sp" : "<- sp",
             loop ? "kept free for the run loop's own calls" : NULL);
    if (loop == NULL)
        return;
    char *bottom, *top, *unused;
    ctx_slice(CORO_MAX - 1, &bottom, &unused);
    ctx_slice(0, &unused, &top);
    STACK_BYTES_KEPT(bottom, top);    /* the slices below us: tools.h */
    for (int i = 0; i < CORO_MAX; i++) {
        const struct coro *c = coro_slot(i);
        if (c->status == CORO_FREE) {
            add_unused(i);
            break;
        }
        add_slice(i, c, here);
    }
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

static void print_divider(FILE *out, const struct row *r)
{
    char line[96];
    int n = snprintf(line, sizeof line, "   |== %s ", r->text);
    for (; n < 78 && n < (int)sizeof line - 1; n++)
        line[n] = '=';
    line[n] = '\0';
    fprintf(out, "%s%s%s\n", paint(r->color), line, unpaint(r->color));
}

/* Between a row and the next one: the bytes nobody is using. */
static void print_gap(FILE *out, const struct row *r, size_t next_depth)
{
    size_t end = r->depth + r->size;
    if (r->gap == NULL || next_depth <= end + 64)
        return;
    char size[16];
    human(size, sizeof size, next_depth - end);
    fprintf(out, "   |    : %s %s\n", size, r->gap);
}

/* Rows from i on with the same name as row i and no divider between. */
static int run_length(int i)
{
    int j = i;
    while (j < tr.rows && tr.row[j].size > 0 &&
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
        if (r->size == 0) {
            print_divider(out, r);
        } else {
            int run = run_length(i);
            if (run >= RUN_MIN) {       /* a deep recursion: fold it */
                print_frame(out, r, ++number);
                print_fold(out, i, run - 2);
                number += run - 2;
                i += run - 1;
                r = &tr.row[i];
            }
            print_frame(out, r, ++number);
        }
        print_gap(out, r, i + 1 < tr.rows ? tr.row[i + 1].depth : 0);
    }
}

static void render(FILE *out, const char *title)
{
    char line[96];
    int n = snprintf(line, sizeof line, "-- %s ", title);
    for (; n < 78 && n < (int)sizeof line - 1; n++)
        line[n] = '-';
    line[n] = '\0';
    fprintf(out, "\n%s%s%s\n", paint(BOLD), line, unpaint(BOLD));
    fprintf(out, "   the one C stack, growing down %*s %9s\n",
            tr.addresses ? 25 : 19, tr.addresses ? "address" : "depth",
            "size");
    print_rows(out);
    fprintf(out, "   v\n");
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
    collect(here);
    sort_rows();
    render(out, title);
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
