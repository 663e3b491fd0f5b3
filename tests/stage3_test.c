/*
 * stage3_test.c - stage 3 (03-ucontext): the coroutine API on
 * getcontext/makecontext/swapcontext; what stage 2 promised that still
 * holds (stacks of their own, guard pages, the registers a switch must
 * keep); and the tracer's boxes for coroutines and generators.  The
 * generators themselves are in gen3_test.c.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "coro_impl.h"
#include "cu.h"
#include "fringe.h"
#include "gen_impl.h"
#include "regs.h"
#include "stacks_test.h"
#include "switch_test.h"
#include "tools.h"
#include "trace.h"

void coro_api_suite(void);
void gen_suites(void);

/* ---- stacks ----------------------------------------------------- */

static volatile int *local_of[CORO_MAX];    /* a local of each */
static int values_seen_wrong;

KEEP_FRAME static void keep_a_local(void *arg)
{
    volatile int mine = (int)(intptr_t)arg;
    local_of[mine] = &mine;
    for (int i = 0; i < 3; i++) {
        coro_yield();
        if (mine != (int)(intptr_t)arg)
            values_seen_wrong++;
    }
}

static bool on_stack(const struct stack *s, const volatile void *p)
{
    return s->lo != NULL && (const char *)p >= s->lo &&
           (const char *)p < s->hi;
}

/* Which coroutine's stack holds p?  -1: none. */
static int owner(const volatile int *p)
{
    for (int i = 0; i < CORO_MAX; i++)
        if (on_stack(&coro_slot(i)->ctx.stack, p))
            return i;
    return -1;
}

KEEP_FRAME static void check_owners(void *arg)
{
    (void)arg;
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(owner(local_of[i]), i);
}

static void each_coroutine_keeps_its_locals(void)
{
    values_seen_wrong = 0;
    for (intptr_t i = 0; i < 4; i++)
        coro_spawn(keep_a_local, (void *)i);
    coro_spawn(check_owners, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(values_seen_wrong, 0);
    CU_ASSERT_PTR_NOT_EQUAL(local_of[0], local_of[1]);
}

static volatile char *gen_local;

KEEP_FRAME static void point_at_a_local(void *arg)
{
    volatile char mine = 1;
    (void)arg;
    gen_local = &mine;
    gen_yield(0);
}

static void each_generator_runs_on_its_own_stack(void)
{
    gen *a = gen_new(point_at_a_local, NULL, "a");
    gen *b = gen_new(point_at_a_local, NULL, "b");
    gen_next(a, NULL);
    volatile char *in_a = gen_local;
    gen_next(b, NULL);
    volatile char *in_b = gen_local;
    char here;
    CU_ASSERT(on_stack(&a->ctx.stack, in_a));
    CU_ASSERT(on_stack(&b->ctx.stack, in_b));
    CU_ASSERT_FALSE(on_stack(&a->ctx.stack, &here));
    CU_ASSERT_PTR_NOT_NULL(a->ctx.stack.guard);
    CU_ASSERT_EQUAL(a->ctx.stack.lo - a->ctx.stack.guard,
                    (long)sysconf(_SC_PAGESIZE));
    gen_free(a);
    gen_free(b);
}

static void nothing(void *arg)
{
    (void)arg;
}

static size_t gen_stack_of(size_t bytes)
{
    gen_stack_size(bytes);
    gen *g = gen_new(nothing, NULL, NULL);
    size_t size = (size_t)(g->ctx.stack.hi - g->ctx.stack.lo);
    gen_free(g);
    gen_stack_size(GEN_STACK_SIZE);
    return size;
}

static void a_generator_stack_size_can_be_chosen(void)
{
    CU_ASSERT_EQUAL(gen_stack_of(32 * 1024), 32 * 1024);
    CU_ASSERT_EQUAL(gen_stack_of(1000), 16 * 1024);
    CU_ASSERT_EQUAL(gen_stack_of(GEN_STACK_SIZE), GEN_STACK_SIZE);
}

static void overflow_generator(void *arg)
{
    (void)arg;
    gen_stack_size(16 * 1024);
    gen_next(gen_new(dig_deep, (void *)(intptr_t)64, "digger"), NULL);
    fprintf(stderr, "not stopped\n");
}

static void a_generator_running_off_its_stack_is_caught(void)
{
    CU_ASSERT(overflow_reported(overflow_generator, "generator \"digger\" "
              "overflowed its 16 KiB stack into the guard page; give it "
              "more with gen_stack_size()"));
}

static void yield_once(void *arg)
{
    (void)arg;
    coro_yield();
}

/* coro_run() sets stack.c's watch to the coroutines' report; the next
 * gen_next() must set it to the generators'. */
static void overflow_generator_after_a_run(void *arg)
{
    coro_spawn(yield_once, NULL);
    coro_run();
    overflow_generator(arg);
}

static void after_a_run_too(void)
{
    CU_ASSERT(overflow_reported(overflow_generator_after_a_run,
                                "generator \"digger\" overflowed its 16 "
                                "KiB stack"));
}

static void one_value(void *arg)
{
    (void)arg;
    gen_yield(1);
}

static void take_a_value_then_dig(void *arg)
{
    gen *g = gen_new(one_value, NULL, NULL);
    gen_next(g, NULL);          /* the generators' watch, from now on */
    dig_deep(arg);
}

/* ...and the generators' report passes on what is a coroutine's. */
static void overflow_coroutine_after_a_generator(void *arg)
{
    (void)arg;
    coro_stack_size(16 * 1024);
    coro_spawn(take_a_value_then_dig, (void *)(intptr_t)64);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void a_coroutine_after_a_generator_too(void)
{
    CU_ASSERT(overflow_reported(overflow_coroutine_after_a_generator,
                                " overflowed its 16 KiB stack into the "
                                "guard page; give it more with "
                                "coro_stack_size()"));
}

static void a_deep_call_that_fits_in_a_generator(void)
{
    gen *g = gen_new(dig_deep, (void *)(intptr_t)(GEN_STACK_SIZE / 1024 / 2),
                     NULL);
    CU_ASSERT_FALSE(gen_next(g, NULL));
    gen_free(g);
}

static const CU_TestInfo stack_tests[] = {
    {"each coroutine keeps its locals", each_coroutine_keeps_its_locals},
    {"each generator runs on its own stack", each_generator_runs_on_its_own_stack},
    {"a generator's stack size can be chosen", a_generator_stack_size_can_be_chosen},
    {"a generator running off its stack is caught", a_generator_running_off_its_stack_is_caught},
    {"... after a coro_run() too", after_a_run_too},
    {"a coroutine after a generator too", a_coroutine_after_a_generator_too},
    {"a deep call that fits in a generator", a_deep_call_that_fits_in_a_generator},
    CU_TEST_INFO_NULL,
};

/* ---- what a switch must keep (besides switch_test.c) ----------- */

static unsigned long lost[2];

static void gen_yield_now(void *arg)
{
    (void)arg;
    gen_yield(0);
}

static void next_now(void *g)
{
    gen_next(g, NULL);
}

static void gen_keeps_registers(void *arg)
{
    (void)arg;
    lost[1] = regs_keep(0x5a5a5a5a00000000ul, gen_yield_now, NULL);
    lost[1] |= fpctl_keep(3, gen_yield_now, NULL) << 16;
}

static void registers_survive_gen_next_and_gen_yield(void)
{
    lost[0] = lost[1] = ~0ul;
    gen *g = gen_new(gen_keeps_registers, NULL, "regs");
    gen_next(g, NULL);
    lost[0] = regs_keep(0x1234567800000000ul, next_now, g);
    lost[0] |= fpctl_keep(1, next_now, g) << 16;
    CU_ASSERT_FALSE(gen_next(g, NULL));
    CU_ASSERT_EQUAL(lost[0], 0);
    CU_ASSERT_EQUAL(lost[1], 0);
    gen_free(g);
}

static void a_new_generator_starts_aligned(void)
{
    noted_aligned();
    gen *g = gen_new(note_alignment, NULL, NULL);
    gen_next(g, NULL);
    gen_free(g);
    CU_ASSERT(noted_aligned());
}

static const CU_TestInfo switch_tests[] = {
    {"registers survive gen_next and gen_yield", registers_survive_gen_next_and_gen_yield},
    {"a new generator starts aligned", a_new_generator_starts_aligned},
    CU_TEST_INFO_NULL,
};

/* ---- the drawings ----------------------------------------------- */

static char *drawing;
static size_t drawing_size;
static FILE *drawing_out;

static void start_drawing(void)
{
    free(drawing);
    drawing = NULL;
    drawing_out = open_memstream(&drawing, &drawing_size);
    trace_output(drawing_out);
}

static void stop_drawing(void)
{
    trace_output(NULL);
    fclose(drawing_out);
}

/* The first box whose head holds head, up to the box's end. */
static const char *box(const char *head, char *copy, size_t size)
{
    const char *start = strstr(drawing, head);
    if (start == NULL)
        return NULL;
    while (start > drawing && start[-1] != '\n')
        start--;
    const char *end = strstr(start + 1, "\n   v\n");
    size_t len = end ? (size_t)(end - start) : strlen(start);
    snprintf(copy, size, "%.*s", (int)(len < size ? len : size - 1), start);
    return copy;
}

/* How many lines of text hold what? */
static int lines_with(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
        n++;
    return n;
}

KEEP_FRAME static void three_(void) { coro_yield(); }
KEEP_FRAME static void two_(void) { three_(); }
KEEP_FRAME static void one_(void *arg) { (void)arg; two_(); }

KEEP_FRAME static void artist(void *arg)
{
    (void)arg;
    trace_stacks("the artist draws");
}

static void a_suspended_coroutine_is_drawn(void)
{
    start_drawing();
    coro_spawn(one_, NULL);
    coro_spawn(artist, NULL);
    coro_run();
    stop_drawing();
    char b[2048];
    CU_ASSERT_FATAL(box(", suspended in coro_yield(): its own 64 KiB "
                        "stack", b, sizeof b) != NULL);
    const char *a = strstr(b, "| one_()");
    const char *t = a ? strstr(a, "| two_()") : NULL;
    const char *c = t ? strstr(t, "| three_()") : NULL;
    const char *y = c ? strstr(c, "| coro_yield()") : NULL;
    CU_ASSERT_FATAL(y != NULL);
    CU_ASSERT(cu_line_has(y, "<- saved sp"));
    CU_ASSERT_PTR_NOT_NULL(strstr(y, "guard page: no access"));
    const char *me = strstr(drawing, "| artist()");
    CU_ASSERT_FATAL(me != NULL);
    CU_ASSERT(cu_line_has(me, "<- sp"));
}

/* The two walks of same_fringe(), as the tests see them: one leaf in. */
static struct tree *left_comb, *right_comb;
static gen *left_walk, *right_walk;

static void two_walks_one_leaf_in(void)
{
    left_comb = tree_parse("(((1 2) 3) 4)");
    right_comb = tree_parse("(1 (2 (3 4)))");
    left_walk = leaves_new(left_comb, "left comb");
    right_walk = leaves_new(right_comb, "right comb");
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

static void walks_are_drawn_suspended_mid_recursion(void)
{
    two_walks_one_leaf_in();
    start_drawing();
    trace_stacks("two walks");
    stop_drawing();
    char b[2048];
    CU_ASSERT_FATAL(box("generator \"left comb\", suspended in gen_yield()"
                        ": its own 64 KiB stack", b, sizeof b) != NULL);
    const char *w = strstr(b, "| leaves()");
    CU_ASSERT_FATAL(w != NULL);
    CU_ASSERT_EQUAL(lines_with(w, "| walk()"), 4);   /* not folded */
    const char *y = strstr(w, "| gen_yield()");
    CU_ASSERT_FATAL(y != NULL);
    CU_ASSERT(cu_line_has(y, "<- saved sp"));
    CU_ASSERT_PTR_NOT_NULL(strstr(y, "guard page: no access"));
    CU_ASSERT_FATAL(box("generator \"right comb\", suspended in", b,
                        sizeof b) != NULL);
    CU_ASSERT_EQUAL(lines_with(b, "| walk()"), 3);
    const char *main_box = strstr(drawing, "main's stack");
    CU_ASSERT(main_box != NULL && main_box < strstr(drawing, "left comb"));
    CU_ASSERT(strstr(drawing, "left comb") < strstr(drawing, "right comb"));
    free_the_walks();
}

KEEP_FRAME static void draw_from_inside(void *arg)
{
    (void)arg;
    trace_stacks("inside the generator");
    gen_yield(0);
}

static void main_is_drawn_where_it_stopped(void)
{
    start_drawing();
    gen *g = gen_new(draw_from_inside, NULL, "inside");
    gen_next(g, NULL);
    stop_drawing();
    char b[2048];
    CU_ASSERT_FATAL(box("main's stack", b, sizeof b) != NULL);
    const char *next = strstr(b, "| gen_next()");
    CU_ASSERT_FATAL(next != NULL);
    CU_ASSERT(cu_line_has(next, "<- saved sp"));
    CU_ASSERT_PTR_NULL(strstr(next + 1, "\n   | "));   /* the last frame */
    CU_ASSERT_FATAL(box("generator \"inside\", running", b, sizeof b) !=
                    NULL);
    const char *me = strstr(b, "| draw_from_inside()");
    CU_ASSERT(me != NULL && cu_line_has(me, "<- sp"));
    gen_free(g);
}

KEEP_FRAME static void outer_fn(void *inner)
{
    gen_next(inner, NULL);
}

static void a_waiting_generator_is_drawn(void)
{
    start_drawing();
    gen *inner = gen_new(draw_from_inside, NULL, "inside");
    gen *outer = gen_new(outer_fn, inner, "outer");
    gen_next(outer, NULL);
    stop_drawing();
    char b[2048];
    CU_ASSERT_FATAL(box("generator \"outer\", waiting in gen_next(): its "
                        "own 64 KiB stack", b, sizeof b) != NULL);
    const char *o = strstr(b, "| outer_fn()");
    const char *n = o ? strstr(o, "| gen_next()") : NULL;
    CU_ASSERT(n != NULL && cu_line_has(n, "<- saved sp"));
    CU_ASSERT_FATAL(box("main's stack", b, sizeof b) != NULL);
    CU_ASSERT(cu_line_has(strstr(b, "| gen_next()"), "<- saved sp"));
    CU_ASSERT_PTR_NOT_NULL(box("generator \"inside\", running", b,
                               sizeof b));
    gen_free(outer);
    gen_free(inner);
}

KEEP_FRAME static void consume_and_draw(void *g)
{
    gen_next(g, NULL);
}

static void a_coroutine_is_drawn_where_it_stopped(void)
{
    start_drawing();
    gen *g = gen_new(draw_from_inside, NULL, "inside");
    coro_spawn(consume_and_draw, g);
    coro_run();
    stop_drawing();
    char b[2048];
    CU_ASSERT_FATAL(box(", running: its own 64 KiB stack", b, sizeof b) !=
                    NULL);
    CU_ASSERT(strncmp(b, "   coro ", 8) == 0);
    const char *c = strstr(b, "| consume_and_draw()");
    const char *n = c ? strstr(c, "| gen_next()") : NULL;
    CU_ASSERT(n != NULL && cu_line_has(n, "<- saved sp"));
    CU_ASSERT_FATAL(box("main's stack", b, sizeof b) != NULL);
    CU_ASSERT(cu_line_has(strstr(b, "| resume()"), "<- saved sp"));
    gen_free(g);
}

static void new_and_finished_generators_are_drawn(void)
{
    gen *fresh = gen_new(draw_from_inside, NULL, "fresh");
    gen *done = gen_new(one_value, NULL, "done");
    gen_next(done, NULL);
    gen_next(done, NULL);
    start_drawing();
    trace_stacks("one new, one done");
    stop_drawing();
    char b[2048];
    CU_ASSERT_FATAL(box("generator \"fresh\", not started: its own 64 KiB "
                        "stack", b, sizeof b) != NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(b, ": 64.0 KiB empty"));
    CU_ASSERT_PTR_NOT_NULL(strstr(drawing, "   generator \"done\", "
                                           "finished: its stack is freed"));
    gen_free(fresh);
    gen_free(done);
    start_drawing();
    trace_stacks("none left");
    stop_drawing();
    CU_ASSERT_PTR_NULL(strstr(drawing, "   generator \""));
}

static const CU_TestInfo trace_tests[] = {
    {"a suspended coroutine is drawn", a_suspended_coroutine_is_drawn},
    {"walks are drawn suspended mid-recursion", walks_are_drawn_suspended_mid_recursion},
    {"main is drawn where it stopped", main_is_drawn_where_it_stopped},
    {"a waiting generator is drawn", a_waiting_generator_is_drawn},
    {"a coroutine is drawn where it stopped", a_coroutine_is_drawn_where_it_stopped},
    {"new and finished generators are drawn", new_and_finished_generators_are_drawn},
    CU_TEST_INFO_NULL,
};

static void stage3_suites(void)
{
    cu_add("stage 3: stacks", stack_tests);
    cu_add("stage 3: a switch keeps what it must", switch_tests);
    cu_add("stage 3: the tracer", trace_tests);
}

void open_defect_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, switch_suite,
                                         stacks_suite, stage3_suites,
                                         gen_suites, open_defect_suites,
                                         NULL};
    return cu_main(suites);
}
