/*
 * generators.c - generators: coroutines that hand values to whoever
 * asks.
 *
 *     ./generators              the numbers, then same fringe
 *     ./generators --numbers    main takes numbers from a generator
 *     ./generators --fringe     same fringe: two tree walks, side by side
 *     ./generators --overflow   a generator digs past the bottom of its
 *                               stack
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fringe.h"
#include "gen.h"
#include "show.h"
#include "trace/trace.h"

/* Draw at switches only while show is true, and only if CORO_TRACE
 * asked for drawings at all: one value's switches tell the story, and
 * a projector holds a handful of drawings, not dozens. */
static void draw_switches(bool show)
{
    const char *v = getenv("CORO_TRACE");
    trace_enable(show && v != NULL && *v != '\0' && strcmp(v, "0") != 0);
}

/* ---- (a) numbers ------------------------------------------------ */

/* Hand out the numbers range[0] .. range[1], one per gen_next(). */
KEEP_FRAME static void count(void *range)
{
    const long *from_to = range;
    for (long n = from_to[0]; n <= from_to[1]; n++)
        gen_yield(n);
}

KEEP_FRAME static void numbers(void)
{
    printf("\n== a generator of numbers, consumed in a loop\n");
    long range[2] = {1, 5};
    gen *g = gen_new(count, range, "count");
    long n;
    while (gen_next(g, &n)) {
        printf("main: got %ld\n", n);
        draw_switches(n == range[1]);   /* the first value, the end */
    }
    draw_switches(false);
    trace_stacks("gen_next() said false: count has finished");
    gen_free(g);
}

/* ---- (b) same fringe -------------------------------------------- */

/* Draw at this step of the comparison; 0: where the leaves differ. */
static int draw_at;

KEEP_FRAME static void show_step(int step, const long *a, const long *b)
{
    if (a == NULL || b == NULL) {
        printf("step %d: %s\n", step, a ? "the second tree has no more"
               : b ? "the first tree has no more" : "neither tree has more");
        return;
    }
    printf("step %d: %ld and %ld%s\n", step, *a, *b,
           *a == *b ? "" : ": they differ, stop");
    if (step == draw_at)
        trace_stacks("step %d: each walk stopped at its leaf %ld", step,
                     *a);
    if (draw_at == 0 && *a != *b)
        trace_stacks("step %d: %ld and %ld differ; nobody walks on",
                     step, *a, *b);
}

KEEP_FRAME static void compare(const char *first, const char *second,
                               int draw_step)
{
    struct tree *a = tree_parse(first), *b = tree_parse(second);
    printf("\nfirst tree:  %s\nsecond tree: %s\n", first, second);
    draw_at = draw_step;
    bool same = same_fringe(a, b, show_step);
    printf("same fringe: %s\n", same ? "yes" : "no");
    tree_free(a);
    tree_free(b);
}

KEEP_FRAME static void fringe(void)
{
    printf("\n== same fringe: the same leaves in the same order?\n");
    draw_switches(false);
    compare("(((1 2) 3) (4 5))", "(1 ((2 3) (4 5)))", 1);
    compare("(((1 2) 3) (4 (5 6)))", "(1 ((2 9) ((4 5) 6)))", 0);
    printf("main: the walks stopped at the difference were freed as "
           "they were,\n      their walk() frames abandoned\n");
}

/* ---- running off the stack ------------------------------------- */

static char *volatile dug;      /* so that each block must really exist */

/* 1 KiB of locals per call: enough calls run past any stack. */
KEEP_FRAME static int dig(int calls)
{
    char block[1024];
    dug = block;
    memset(block, calls, sizeof block);
    if (calls > 0)
        return dig(calls - 1) + block[calls % sizeof block];
    return block[0];
}

KEEP_FRAME static void digger(void *arg)
{
    (void)arg;
    printf("digger: digs %d KiB deep, past its %d KiB stack\n",
           GEN_STACK_SIZE / 1024 + 16, GEN_STACK_SIZE / 1024);
    gen_yield(dig(GEN_STACK_SIZE / 1024 + 16));
}

KEEP_FRAME static void overflow(void)
{
    gen *g = gen_new(digger, NULL, "digger");
    gen_next(g, NULL);
    printf("not reached\n");
}

int main(int argc, char **argv)
{
    const char *flag = argc > 1 ? argv[1] : "";
    if (strcmp(flag, "--overflow") == 0)
        overflow();
    else if (strcmp(flag, "--fringe") == 0)
        fringe();
    else if (strcmp(flag, "--numbers") == 0)
        numbers();
    else {
        numbers();
        fringe();
    }
    return 0;
}
