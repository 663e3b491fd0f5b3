/*
 * stacks.c - what stage 2's drawings hold: main()'s stack first, then
 * one box per coroutine.  With stacks of their own (asm, sigstack), a
 * coroutine's box is its stack, with the guard page under it.  In copy
 * mode main()'s box also holds the shared stack (and whoever runs on
 * it), and a stopped coroutine's box is its copy on the heap, drawn at
 * the depths it will go back to.
 */
#include <string.h>

#include "../coro_impl.h"
#include "../tools.h"
#include "trace_impl.h"

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
    for (int i = 0; coro_loop() && !ctx_mode.own_stacks && i < CORO_MAX; i++)
        if (coro_slot(i)->ctx != NULL)
            return coro_slot(i)->ctx;
    return NULL;
}

static void draw_main(FILE *out, void *here)
{
    const struct ctx *loop = coro_loop(), *shared = on_shared_stack();
    bool in_coroutine = coro_current() != NULL;
    struct ctx_view v = {0};
    rows_start(NULL);
    running_in[0] = '\0';
    if (loop != NULL)
        ctx_view(loop, &v);
    main_base = rows_add_main(in_coroutine ? v.fp : here,
                              in_coroutine ? "<- saved sp" : "<- sp",
                              shared ? "kept free for the run loop's own "
                                       "calls" : NULL);
    if (shared != NULL) {
        ctx_view(shared, &v);
        add_shared(&v, here);
    }
    draw_box(out, NULL, shared ? "main's stack, and the shared stack "
                                 "below it" : "main's stack");
}

/* A coroutine on its own stack (asm and sigstack modes). */
static void add_own_stack(const struct coro *c, const struct ctx_view *v,
                          void *here)
{
    rows_start(v->stack.hi);
    box.end = (size_t)(v->stack.hi - v->stack.guard);
    int n = 0;
    if (c == coro_current())
        n = rows_add_walk(here, v->held_lo, v->held_hi, 0,
                          ctx_mode.first_frame, "<- sp", "free");
    else if (!v->fresh && c->status == CORO_SUSPENDED)
        n = rows_add_walk(v->fp, v->held_lo, v->held_hi, 0,
                          ctx_mode.first_frame, "<- saved sp", "free");
    if (n > 0 && box.row[0].depth > 64 && ctx_mode.top_note != NULL)
        rows_add(ROW_SPAN, v->stack.hi, NULL, ctx_mode.top_note);
    if (n == 0)
        rows_add(ROW_SPAN, v->stack.hi, NULL, "empty");
    rows_add(ROW_DIVIDER, v->stack.lo, RED, "guard page: no access");
}

/* A coroutine in copy mode: its frames on the heap, while it is stopped. */
static void add_copy(const struct coro *c, const struct ctx_view *v)
{
    rows_start(main_base);      /* the depths they will go back to */
    if (c->status == CORO_SUSPENDED && v->moved != 0)
        rows_add_walk(v->fp, v->held_lo, v->held_hi, v->moved,
                      ctx_mode.first_frame, "<- saved sp", NULL);
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
        n += snprintf(buf + n, size - (size_t)n, "%s", running_in);
    if (n < (int)size)
        snprintf(buf + n, size - (size_t)n, "%s", then);
}

static void draw_coro(FILE *out, const struct coro *c, void *here)
{
    char head[96], then[48] = "";
    bool running = c == coro_current();
    struct ctx_view v;
    rows_start(NULL);
    if (c->ctx == NULL) {
        snprintf(then, sizeof then, ": its stack is freed");
    } else if (!ctx_mode.own_stacks) {
        ctx_view(c->ctx, &v);
        add_copy(c, &v);
        if (box.rows > 0)
            snprintf(then, sizeof then, ": %zu B copied to the heap",
                     (size_t)(v.held_hi - v.held_lo));
        if (running)
            snprintf(then, sizeof then, ": on the shared stack");
    } else {
        ctx_view(c->ctx, &v);
        add_own_stack(c, &v, here);
        snprintf(then, sizeof then, ": its own %zu KiB stack",
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

void stacks_draw(FILE *out, void *here)
{
    char left[48];
    snprintf(left, sizeof left, "%s mode: every stack grows down",
             ctx_mode.name);
    draw_heading(out, left);
    draw_main(out, here);
    if (coro_loop() == NULL)
        return;
    for (int i = 0; i < CORO_MAX; i++)
        if (coro_slot(i)->status != CORO_FREE)
            draw_coro(out, coro_slot(i), here);
}
