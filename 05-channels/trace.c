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

#define MAX_ROWS 512
#define MAX_WALK 256        /* frames in one walk */
#define RUN_MIN  5          /* fold this many same-named frames or more */
#define MAX_BOXES 6         /* coroutines drawn; the rest are counted */
#define MAX_LISTED 24       /* coroutines named in a queue's line */

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

/* A coroutine on its own stack. */
static void add_own_stack(const struct coro *c, void *here)
{
    char *lo, *hi;
    bool walkable = ctx_frames(&c->ctx, &lo, &hi);
    const struct stack *s = &c->ctx.stack;
    tr.base = hi;
    tr.end = (size_t)(hi - (s->guard ? s->guard : lo));
    int n = 0;
    if (c == coro_current())
        n = add_walk(here, lo, hi, ctx_first_frame, "<- sp", "free");
    else if (walkable && c->status != CORO_FINISHED)
        n = add_walk(c->ctx.fp, lo, hi, ctx_first_frame, "<- saved sp",
                     "free");
    if (n > 0 && tr.row[0].depth > 64 && ctx_top_note[0] != '\0')
        add_words(ROW_SPAN, hi, NULL, ctx_top_note);
    if (n == 0)
        add_words(ROW_SPAN, hi, NULL, "empty: not started");
    add_words(ROW_DIVIDER, lo, RED, s->guard ? "guard page: no access"
                                             : "canary: painted bytes");
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
    tr.rows = 0;
    tr.end = 0;
    add_main(in_coroutine ? loop->fp : here,
             in_coroutine ? "<- saved sp" : "<- sp", NULL);
    print_box(out, NULL, "main's stack");
}

static void draw_coro(FILE *out, const struct coro *c, void *here)
{
    char head[96], then[48];
    bool running = c == coro_current();
    tr.rows = 0;
    tr.end = 0;
    add_own_stack(c, here);
    snprintf(then, sizeof then, ": its own %zu KiB stack",
             c->stack_size / 1024);
    describe(head, sizeof head, c, then);
    if (tr.rows == 0) {                 /* nothing to draw but the head */
        fputc('\n', out);
        print_line(out, running ? GREEN : YELLOW, "  ", head, '-');
        return;
    }
    print_box(out, running ? GREEN : YELLOW, head);
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
    fprintf(out, "\n%s%s%s\n", paint(BOLD), line, unpaint(BOLD));
    char left[48];
    snprintf(left, sizeof left, "%s switch: every stack grows down",
             ctx_mode);
    fprintf(out, "   %-40s %*s %9s\n", left, tr.addresses ? 14 : 8,
            tr.addresses ? "address" : "depth", "size");
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
