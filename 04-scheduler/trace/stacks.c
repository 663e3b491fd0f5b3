/*
 * stacks.c - what stage 4's drawings hold: main()'s stack first, then
 * one box per coroutine (the oldest few, and the running one) and one
 * per generator, then the scheduler's queues: who is runnable, who
 * sleeps, who waits.  With stacks of their own, a box is its stack,
 * with the guard page (or canary) under it.  In copy mode main()'s box
 * also holds the shared stack (and whoever runs on it), and a stopped
 * coroutine's box is its copy on the heap, drawn at the depths it will
 * go back to.
 */
#include <string.h>

#include "../coro_impl.h"
#include "../gen_impl.h"
#include "../tools.h"
#include "trace_impl.h"

#define MAX_BOXES 6         /* coroutines drawn; the rest are counted */
#define MAX_LISTED 24       /* coroutines named in a queue's line */

static char *main_base;         /* the top of main()'s frame */
static char  running_in[48];    /* copy mode: " in f()", where the
                                   running coroutine is */

/* Copy mode: the shared stack below the run loop, the frames of whoever
 * runs on it, and the guard page under it. */
static void add_shared(const struct ctx_view *v, void *here)
{
    const struct coro *c = coro_current();
    char words[72];
    STACK_BYTES_KEPT(v->stack.lo, v->stack.hi);  /* below our sp */
    if (c == NULL)
        snprintf(words, sizeof words, "the shared stack: empty");
    else
        snprintf(words, sizeof words, "the shared stack: coro %d runs "
                 "on it", c->id);
    struct row *d = rows_add(ROW_DIVIDER, v->stack.hi, c ? GREEN : NULL,
                             words);
    if (d != NULL && c == NULL)
        d->gap = "free";
    if (c != NULL && rows_add_walk(here, v->stack.lo, v->stack.hi, 0, NULL,
                                   "<- sp", "free") > 0)
        snprintf(running_in, sizeof running_in, " in %s()",
                 rows_walked[0].name);
    rows_add(ROW_DIVIDER, v->stack.lo, RED, "guard page: no access");
    box.end = (size_t)(box.base - v->stack.guard);
}

/* Copy mode, while the run loop runs: a coroutine's context, which
 * knows where the shared stack is.  NULL otherwise. */
static const struct ctx *on_shared_stack(void)
{
    const struct coro *c = coro_loop() ? coro_oldest() : NULL;
    return c != NULL && !ctx_mode.own_stacks ? c->ctx : NULL;
}

/* Main or the running coroutine is at `at`, marked with mark: here, or
 * where it stopped in gen_next() while generators run. */
static void draw_main(FILE *out, void *here, void *at, const char *mark)
{
    const struct ctx *loop = coro_loop(), *shared = on_shared_stack();
    bool in_coroutine = coro_current() != NULL;
    struct ctx_view v = {0};
    rows_start(NULL);
    running_in[0] = '\0';
    if (loop != NULL)
        ctx_view(loop, &v);
    main_base = rows_add_main(in_coroutine ? v.fp : at,
                              in_coroutine ? "<- saved sp" : mark,
                              shared ? "kept free for the run loop's own "
                                       "calls" : NULL);
    if (shared != NULL) {
        ctx_view(shared, &v);
        add_shared(&v, here);
    }
    draw_box(out, NULL, shared ? "main's stack, and the shared stack "
                                 "below it" : "main's stack");
}

/* A coroutine or a generator on its own stack: its frames from start
 * (none if NULL), the first marked with mark, and its guard page. */
static void add_own_stack(const struct ctx_view *v, void *start,
                          const char *mark)
{
    rows_start(v->stack.hi);
    box.end = (size_t)(v->stack.hi - v->stack.guard);
    int n = 0;
    if (start != NULL)
        n = rows_add_walk(start, v->held_lo, v->held_hi, 0,
                          ctx_mode.first_frame, mark, "free");
    if (n > 0 && box.row[0].depth > 64 && ctx_mode.top_note != NULL)
        rows_add(ROW_SPAN, v->stack.hi, NULL, ctx_mode.top_note);
    if (n == 0)
        rows_add(ROW_SPAN, v->stack.hi, NULL, "empty");
    rows_add(ROW_DIVIDER, v->stack.lo, RED, v->stack.guard ?
             "guard page: no access" : "canary: painted bytes");
    if (v->stack.guard == NULL)
        box.end = (size_t)(v->stack.hi - v->stack.lo);
}

/* A coroutine in copy mode: its frames on the heap, while it is stopped. */
static void add_copy(const struct coro *c, const struct ctx_view *v)
{
    rows_start(main_base);      /* the depths they will go back to */
    if (c != coro_current() && v->moved != 0)
        rows_add_walk(v->fp, v->held_lo, v->held_hi, v->moved,
                      ctx_mode.first_frame, "<- saved sp", NULL);
    box.end = box.rows > 0 ? box.row[box.rows - 1].depth +
                             box.row[box.rows - 1].size : 0;
}

/* "coro 1, suspended in coro_yield()" and what follows. */
static void describe(char *buf, size_t size, const char *who,
                     const char *status, bool stopped, const char *then)
{
    int n = snprintf(buf, size, "%s, %s", who, status);
    if (stopped && box.rows > 0 && n < (int)size)
        n += snprintf(buf + n, size - (size_t)n, " in %s",
                      box.row[0].text);
    else if (stopped && n < (int)size)
        n += snprintf(buf + n, size - (size_t)n, "%s", running_in);
    if (n < (int)size)
        snprintf(buf + n, size - (size_t)n, "%s", then);
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
    char who[16], head[96], then[48] = "";
    bool running = c == coro_current();
    struct ctx_view v;
    rows_start(NULL);
    ctx_view(c->ctx, &v);
    if (!ctx_mode.own_stacks) {
        add_copy(c, &v);
        if (box.rows > 0)
            snprintf(then, sizeof then, ": %zu B copied to the heap",
                     (size_t)(v.held_hi - v.held_lo));
        if (running)
            snprintf(then, sizeof then, ": on the shared stack");
    } else {
        bool stopped = !v.fresh && c->status != CORO_FINISHED;
        add_own_stack(&v, running ? at : stopped ? v.fp : NULL,
                      running ? mark : "<- saved sp");
        snprintf(then, sizeof then, ": its own %zu KiB stack",
                 c->stack_size / 1024);
    }
    snprintf(who, sizeof who, "coro %d", c->id);
    describe(head, sizeof head, who, coro_states[c->status].name, false,
             then);
    draw_own(out, head, running);
}

/* The oldest coroutines, and the running one, box by box. */
static void draw_coros(FILE *out, void *at, const char *mark)
{
    const struct coro *me = coro_current();
    int room = me ? MAX_BOXES - 1 : MAX_BOXES, hidden = 0;
    for (const struct coro *c = coro_oldest(); c != NULL; c = c->newer) {
        if (c == me) {
            draw_coro(out, c, at, mark);
        } else if (room > 0) {
            draw_coro(out, c, at, mark);
            room--;
        } else {
            hidden++;
        }
    }
    if (hidden > 0)
        fprintf(out, "\n   ... and %d more coroutine%s, not drawn\n",
                hidden, hidden == 1 ? "" : "s");
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
    struct ctx_view v;
    if (g == gen_running())
        return here;
    if (g->status == GEN_WAITING)
        for (const struct gen *h = gen_running(); h; h = h->consumer)
            if (h->consumer == g) {
                ctx_view(h->caller, &v);
                return v.fp;
            }
    if (g->status != GEN_SUSPENDED)
        return NULL;
    ctx_view(g->ctx, &v);
    return v.fp;
}

static void draw_gen(FILE *out, const struct gen *g, void *here)
{
    char who[32], head[96], then[48];
    bool running = g == gen_running();
    struct ctx_view v;
    rows_start(NULL);
    if (g->ctx != NULL) {
        ctx_view(g->ctx, &v);
        add_own_stack(&v, gen_start(g, here),
                      running ? "<- sp" : "<- saved sp");
    }
    snprintf(then, sizeof then, g->ctx == NULL ? ": its stack is freed"
             : ": its own %zu KiB stack", g->stack_size / 1024);
    snprintf(who, sizeof who, "generator \"%s\"", g->name);
    describe(head, sizeof head, who, gen_status_name[g->status],
             g->status == GEN_SUSPENDED || g->status == GEN_WAITING, then);
    draw_own(out, head, running);
}

/* ---- the scheduler's queues ------------------------------------ */

/* One entry of a queue's line, wrapped to the drawing's width. */
static void list_item(FILE *out, int *column, const char *item)
{
    int width = (int)strlen(item) + 2;
    if (*column + width > draw_width()) {
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

void stacks_draw(FILE *out, void *here)
{
    char left[48];
    snprintf(left, sizeof left, "%s mode: every stack grows down",
             ctx_mode.name);
    draw_heading(out, left);
    const struct gen *outer = outermost_running();
    struct ctx_view v = {0};
    if (outer != NULL)
        ctx_view(outer->caller, &v);
    void *at = outer ? v.fp : here;
    const char *mark = outer ? "<- saved sp" : "<- sp";
    draw_main(out, here, at, mark);
    if (coro_loop() != NULL)
        draw_coros(out, at, mark);
    for (const struct gen *g = gen_first(); g != NULL; g = g->next)
        draw_gen(out, g, here);
    print_queues(out);
}
