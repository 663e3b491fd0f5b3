/*
 * stacks.c - what stage 1's drawings hold: the one C stack, main()'s
 * frames at the top, the room the run loop keeps for its own calls,
 * then one slice per coroutine, each with the frames it holds.
 */
#include <string.h>

#include "../coro_impl.h"
#include "../tools.h"
#include "trace_impl.h"

/* Slice i: a divider, then the frames of the coroutine on it. */
static void add_slice(int i, const struct coro *c, void *here)
{
    char *lo, *top, *bottom, *unused;
    ctx_slice(i, &lo, &top);
    ctx_slice(CORO_MAX - 1, &bottom, &unused);
    bool running = c == coro_current();
    bool walked = running || c->status == CORO_SUSPENDED;
    int n = 0;
    struct row *d = rows_add(ROW_DIVIDER, top, running ? GREEN : YELLOW,
                             NULL);
    if (walked)
        n = rows_add_walk(running ? here : c->ctx.fp, bottom, top, 0,
                          "carve_slice", NULL, "free");
    if (d == NULL)
        return;
    int len = snprintf(d->text, sizeof d->text, "slice %d: coro %d, %s",
                       i + 1, c->id, coro_status_name[c->status]);
    if (c->status == CORO_SUSPENDED && n > 0)
        snprintf(d->text + len, sizeof d->text - (size_t)len, " in %s()",
                 rows_walked[0].name);
    if (walked && (n == 0 || strcmp(rows_walked[n - 1].name,
                                    "carve_slice") != 0))
        snprintf(d->text + len, sizeof d->text - (size_t)len,
                 ": its frames are overwritten");
    d->gap = walked ? NULL : "free";
    for (int k = 0; k < n; k++) {           /* where each frame is */
        struct row *r = &box.row[box.rows - n + k];
        bool past = rows_walked[k].bottom < lo;
        r->mark = past ? "!! past its slice" : NULL;
        if (k == 0)
            r->mark = past ? (running ? "<- sp !! past its slice"
                                      : "<- saved sp !! past its slice")
                           : (running ? "<- sp" : "<- saved sp");
    }
}

/* The slices nobody has used yet, as one divider. */
static void add_unused(int first)
{
    char *lo, *top, words[40];
    ctx_slice(first, &lo, &top);
    snprintf(words, sizeof words, "slices %d-%d: not used yet", first + 1,
             CORO_MAX);
    rows_add(ROW_DIVIDER, top, NULL, words);
}

void stacks_draw(FILE *out, void *here)
{
    const struct ctx *loop = coro_loop();
    bool in_coroutine = coro_current() != NULL;
    draw_heading(out, "the one C stack, growing down");
    rows_start(NULL);
    rows_add_main(in_coroutine ? loop->fp : here,
                  in_coroutine ? "<- saved sp" : "<- sp",
                  loop ? "kept free for the run loop's own calls" : NULL);
    if (loop != NULL) {
        char *bottom, *top, *unused;
        ctx_slice(CORO_MAX - 1, &bottom, &unused);
        ctx_slice(0, &unused, &top);
        STACK_BYTES_KEPT(bottom, top);  /* the slices below us: tools.h */
        for (int i = 0; i < CORO_MAX; i++) {
            const struct coro *c = coro_slot(i);
            if (c->status == CORO_FREE) {
                add_unused(i);
                break;
            }
            add_slice(i, c, here);
        }
    }
    draw_box(out, NULL, NULL);
}
