/*
 * generators_drawn.c - the tracer's boxes for generators (stage 3,
 * carried on into 4 and 5): a walk stopped deep in its recursion, the
 * one running, one waiting for another, a new one and a finished one;
 * and main, or a coroutine, drawn where it stopped to let a generator
 * run.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "cu.h"
#include "drawing.h"
#include "fringe.h"
#include "gen_impl.h"
#include "kit.h"
#include "show.h"
#include "trace.h"

static void draw_now(void *title)
{
    trace_stacks("%s", (const char *)title);
}

/* The two walks of same_fringe(), as the tests see them: one leaf in. */
static struct tree *left_comb, *right_comb;
static gen *left_walk, *right_walk;

static void two_walks_one_leaf_in(void)
{
    left_comb = tree_parse("(((1 2) 3) 4)");
    right_comb = tree_parse("(1 (2 (3 4)))");
    left_walk = cu_made(leaves_new(left_comb, "left comb"));
    right_walk = cu_made(leaves_new(right_comb, "right comb"));
    gen_next(left_walk, NULL);
    gen_next(right_walk, NULL);
    gen_next(right_walk, NULL);             /* at 2: three levels */
}

static void free_the_walks(void)
{
    gen_free(left_walk);
    gen_free(right_walk);
    tree_free(left_comb);
    tree_free(right_comb);
}

static void walks_are_drawn_stopped_mid_recursion(void)
{
    two_walks_one_leaf_in();
    const char *d = drawn_while(draw_now, "two walks", false);
    char b[4096];
    CU_ASSERT_FATAL(box_of(d, "generator \"left comb\", suspended in "
                           "gen_yield(): its own 64 KiB stack", b,
                           sizeof b) != NULL);
    const char *w = strstr(b, "| leaves()");
    CU_ASSERT_FATAL(w != NULL);
    CU_ASSERT_EQUAL(count_of(w, "| walk()"), 4);    /* not folded */
    const char *y = strstr(w, "| gen_yield()");
    CU_ASSERT(cu_line_has(y, "<- saved sp"));
    CU_ASSERT_PTR_NOT_NULL(y ? strstr(y, "guard page: no access") : NULL);
    CU_ASSERT_PTR_NOT_NULL(box_of(d, "generator \"right comb\", suspended "
                                  "in", b, sizeof b));
    CU_ASSERT_EQUAL(count_of(b, "| walk()"), 3);
    CU_ASSERT_PTR_NOT_NULL(in_order(d, "main's stack", "left comb",
                                    "right comb", NULL));
    free_the_walks();
}

KEEP_FRAME static void draw_from_inside(void *arg)
{
    (void)arg;
    trace_stacks("inside the generator");
    gen_yield(0);
}

static void next_of(void *g)
{
    gen_next(g, NULL);
}

static void main_is_drawn_where_it_stopped(void)
{
    gen *g = cu_made(gen_new(draw_from_inside, NULL, "inside"));
    const char *d = drawn_while(next_of, g, false);
    char b[4096];
    CU_ASSERT_FATAL(box_of(d, "main's stack", b, sizeof b) != NULL);
    const char *next = strstr(b, "| gen_next()");
    CU_ASSERT(cu_line_has(next, "<- saved sp"));
    CU_ASSERT_PTR_NULL(next ? strstr(next + 1, "\n   | ") : NULL);
    CU_ASSERT_FATAL(box_of(d, "generator \"inside\", running", b,
                           sizeof b) != NULL);
    CU_ASSERT(cu_line_has(strstr(b, "| draw_from_inside()"), "<- sp"));
    gen_free(g);
}

KEEP_FRAME static void outer_fn(void *inner)
{
    gen_next(inner, NULL);
}

static void a_waiting_generator_is_drawn(void)
{
    gen *inner = cu_made(gen_new(draw_from_inside, NULL, "inside"));
    gen *outer = cu_made(gen_new(outer_fn, inner, "outer"));
    const char *d = drawn_while(next_of, outer, false);
    char b[4096];
    CU_ASSERT_FATAL(box_of(d, "generator \"outer\", waiting in gen_next(): "
                           "its own 64 KiB stack", b, sizeof b) != NULL);
    const char *n = in_order(b, "| outer_fn()", "| gen_next()", NULL);
    CU_ASSERT(cu_line_has(n, "<- saved sp"));
    CU_ASSERT_FATAL(box_of(d, "main's stack", b, sizeof b) != NULL);
    CU_ASSERT(cu_line_has(strstr(b, "| gen_next()"), "<- saved sp"));
    CU_ASSERT_PTR_NOT_NULL(box_of(d, "generator \"inside\", running", b,
                                  sizeof b));
    gen_free(outer);
    gen_free(inner);
}

KEEP_FRAME static void consume_and_draw(void *g)
{
    gen_next(g, NULL);
}

static void run_a_consumer(void *g)
{
    coro_spawn(consume_and_draw, g);
    coro_run();
}

static void a_coroutine_is_drawn_where_it_stopped(void)
{
    gen *g = cu_made(gen_new(draw_from_inside, NULL, "inside"));
    const char *d = drawn_while(run_a_consumer, g, false);
    char b[4096];
    CU_ASSERT_FATAL(box_of(d, ", running: its own 64 KiB stack", b,
                           sizeof b) != NULL);
    CU_ASSERT(strncmp(b, "   coro ", 8) == 0);
    const char *n = in_order(b, "| consume_and_draw()", "| gen_next()",
                             NULL);
    CU_ASSERT(cu_line_has(n, "<- saved sp"));
    CU_ASSERT_FATAL(box_of(d, "main's stack", b, sizeof b) != NULL);
    CU_ASSERT(cu_line_has(strstr(b, kit_run_loop), "<- saved sp"));
    gen_free(g);
}

static void one_value(void *arg)
{
    (void)arg;
    gen_yield(1);
}

static void new_and_finished_generators_are_drawn(void)
{
    gen *fresh = cu_made(gen_new(draw_from_inside, NULL, "fresh"));
    gen *done = cu_made(gen_new(one_value, NULL, "done"));
    gen_next(done, NULL);
    gen_next(done, NULL);
    const char *d = drawn_while(draw_now, "one new, one done", false);
    char b[4096];
    CU_ASSERT_FATAL(box_of(d, "generator \"fresh\", not started: its own "
                           "64 KiB stack", b, sizeof b) != NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(b, ": 64.0 KiB empty"));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "   generator \"done\", finished: "
                                     "its stack is freed"));
    gen_free(fresh);
    gen_free(done);
    d = drawn_while(draw_now, "none left", false);
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "main's stack"));
    CU_ASSERT_PTR_NULL(strstr(d, "   generator \""));
}

static const struct cu_test tests[] = {
    {"walks are drawn stopped mid-recursion",
     walks_are_drawn_stopped_mid_recursion, NULL},
    {"main is drawn where it stopped", main_is_drawn_where_it_stopped,
     NULL},
    {"a waiting generator is drawn", a_waiting_generator_is_drawn, NULL},
    {"a coroutine is drawn where it stopped",
     a_coroutine_is_drawn_where_it_stopped, NULL},
    {"new and finished generators are drawn",
     new_and_finished_generators_are_drawn, NULL},
    CU_TESTS_END,
};

void generators_drawn_suites(void)
{
    cu_suite("the tracer: generators", tests, needs_generators);
}
