/*
 * trace.c - draw stage 5's stacks: main()'s first, then one box per
 * coroutine (its own stack, with the guard page or canary under it),
 * then the scheduler's queues: who is runnable, who sleeps, who waits.
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
#define MAX_BOXES 6         /* coroutines drawn; the rest are counted */
#define MAX_LISTED 24       /* coroutines named in a queue's line */


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

/* A coroutine on its own stack. */
static void add_own_stack(const struct coro *c, void *here)
{
    char *lo, *hi;
    bool walkable = ctx_frames(&c->ctx, &lo, &hi);
    const struct stack *s = &c->ctx.stack;
    box.base = hi;
    box.end = (size_t)(hi - (s->guard ? s->guard : lo));
    int n = 0;
    if (c == coro_current())
        n = add_walk(here, lo, hi, ctx_first_frame, "<- sp", "free");
    else if (walkable && c->status != CORO_FINISHED)
        n = add_walk(c->ctx.fp, lo, hi, ctx_first_frame, "<- saved sp",
                     "free");
    if (n > 0 && box.row[0].depth > 64 && ctx_top_note[0] != '\0')
        add_words(ROW_SPAN, hi, NULL, ctx_top_note);
    if (n == 0)
        add_words(ROW_SPAN, hi, NULL, "empty: not started");
    add_words(ROW_DIVIDER, lo, RED, s->guard ? "guard page: no access"
                                             : "canary: painted bytes");
}

/* "coro 1, suspended in coro_yield()" and what follows. */
static void describe(char *buf, size_t size, const struct coro *c,
                     const char *then)
{
    int n = snprintf(buf, size, "coro %d, %s", c->id,
                     coro_status_name[c->status]);
    if (n < (int)size)
        snprintf(buf + n, size - (size_t)n, "%s", then);
}

static void draw_main(FILE *out, void *here)
{
    const struct ctx *loop = coro_loop();
    bool in_coroutine = coro_current() != NULL;
    box.rows = 0;
    box.end = 0;
    add_main(in_coroutine ? loop->fp : here,
             in_coroutine ? "<- saved sp" : "<- sp", NULL);
    draw_box(out, NULL, "main's stack");
}

static void draw_coro(FILE *out, const struct coro *c, void *here)
{
    char head[96], then[48];
    bool running = c == coro_current();
    box.rows = 0;
    box.end = 0;
    add_own_stack(c, here);
    snprintf(then, sizeof then, ": its own %zu KiB stack",
             c->stack_size / 1024);
    describe(head, sizeof head, c, then);
    if (box.rows == 0) {                 /* nothing to draw but the head */
        fputc('\n', out);
        draw_line(out, running ? GREEN : YELLOW, "  ", head, '-');
        return;
    }
    draw_box(out, running ? GREEN : YELLOW, head);
}

/* The oldest coroutines, and the running one, box by box. */
static void draw_coros(FILE *out, void *here)
{
    const struct coro *me = coro_current();
    int room = me ? MAX_BOXES - 1 : MAX_BOXES, hidden = 0;
    for (const struct coro *c = coro_oldest(); c != NULL; c = c->newer) {
        if (c == me) {
            draw_coro(out, c, here);
        } else if (room > 0) {
            draw_coro(out, c, here);
            room--;
        } else {
            hidden++;
        }
    }
    if (hidden > 0)
        fprintf(out, "\n   ... and %d more coroutine%s, not drawn\n",
                hidden, hidden == 1 ? "" : "s");
}

/* ---- the scheduler's queues ------------------------------------ */

/* One entry of a queue's line, wrapped to 78 columns. */
static void list_item(FILE *out, int *column, const char *item)
{
    int width = (int)strlen(item) + 2;
    if (*column + width > 78) {
        fprintf(out, ",\n%15s", "");
        *column = 15;
    } else if (*column > 15) {
        fputs(", ", out);
    }
    fputs(item, out);
    *column += width;
}

static void list_start(FILE *out, int *column, const char *what)
{
    *column = fprintf(out, "   %-12s", what);
}

static void list_end(FILE *out, int column, int count)
{
    if (count > MAX_LISTED)
        fprintf(out, "%s... (%d in all)", column > 15 ? ", " : "", count);
    if (count == 0)
        fputs("nobody", out);
    fputc('\n', out);
}

static void print_run_queue(FILE *out)
{
    int column, count = 0;
    char item[32];
    list_start(out, &column, "run queue:");
    for (const struct coro *c = coro_queue(); c != NULL; c = c->next)
        if (++count <= MAX_LISTED) {
            snprintf(item, sizeof item, "coro %d", c->id);
            list_item(out, &column, item);
        }
    list_end(out, column, count);
}

/* The next sleeper to wake after (wake_at, order), or NULL. */
static const struct coro *next_sleeper(const struct coro *after)
{
    const struct coro *best = NULL;
    for (const struct coro *c = coro_oldest(); c != NULL; c = c->newer) {
        if (c->status != CORO_SLEEPING)
            continue;
        bool later = after == NULL || c->wake_at > after->wake_at ||
                     (c->wake_at == after->wake_at &&
                      c->fell_asleep > after->fell_asleep);
        if (later && (best == NULL || c->wake_at < best->wake_at ||
                      (c->wake_at == best->wake_at &&
                       c->fell_asleep < best->fell_asleep)))
            best = c;
    }
    return best;
}

static void print_sleepers(FILE *out)
{
    int column, count = 0;
    char item[48];
    list_start(out, &column, "sleeping:");
    for (const struct coro *c = next_sleeper(NULL); c != NULL &&
         ++count <= MAX_LISTED; c = next_sleeper(c)) {
        snprintf(item, sizeof item, "coro %d for %ld ms", c->id,
                 c->slept_ms);
        list_item(out, &column, item);
    }
    list_end(out, column, count);
}

static void print_blocked(FILE *out)
{
    int column, count = 0;
    char item[48];
    list_start(out, &column, "blocked:");
    for (const struct coro *c = coro_oldest(); c != NULL; c = c->newer) {
        if (c->status == CORO_JOINING)
            snprintf(item, sizeof item, "coro %d in coro_join(%d)", c->id,
                     c->joining);
        else if (c->status == CORO_WAITING_FD)
            snprintf(item, sizeof item, "coro %d in coro_wait_fd(fd %d)",
                     c->id, c->fd);
        else if (c->status == CORO_SENDING)
            snprintf(item, sizeof item, "coro %d in chan_send(chan %d)",
                     c->id, c->chan_id);
        else if (c->status == CORO_RECEIVING)
            snprintf(item, sizeof item, "coro %d in chan_recv(chan %d)",
                     c->id, c->chan_id);
        else if (c->status == CORO_SELECTING)
            snprintf(item, sizeof item, "coro %d in chan_select(%d cases)",
                     c->id, c->select_cases);
        else
            continue;
        if (++count <= MAX_LISTED)
            list_item(out, &column, item);
    }
    list_end(out, column, count);
}

static void print_queues(FILE *out)
{
    if (coro_loop() == NULL)
        return;
    fputc('\n', out);
    print_run_queue(out);
    print_sleepers(out);
    print_blocked(out);
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
    snprintf(left, sizeof left, "%s switch: every stack grows down",
             ctx_mode);
    fprintf(out, "   %-40s %*s %9s\n", left, box.addresses ? 14 : 8,
            box.addresses ? "address" : "depth", "size");
    draw_main(out, here);
    draw_coros(out, here);
    print_queues(out);
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
