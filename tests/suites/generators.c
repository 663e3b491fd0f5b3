/*
 * generators.c - stage 3's generators (gen.h), carried on into stages 4
 * and 5: values in order, early stops, finishing, nesting, generators
 * inside coroutines, misuse.  A generator needs a stack of its own:
 * with SWITCH=copy gen_new() refuses, and that is all there is to test.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "coro.h"
#include "cu.h"
#include "drawing.h"
#include "gen_impl.h"
#include "journal.h"
#include "kit.h"

/* ---- generators to test with ------------------------------------ */

static bool count_returned;     /* count() ran to its end */

/* Yield range[0] .. range[1], then return. */
static void count(void *range)
{
    const long *from_to = range;
    for (long n = from_to[0]; n <= from_to[1]; n++)
        gen_yield(n);
    count_returned = true;
}

/* "v1 v2 v3 ..." of the next max values of g; how many it gave. */
static int take(gen *g, int max, char *out, size_t size)
{
    long v;
    int n = 0;
    out[0] = '\0';
    while (n < max && gen_next(g, &v)) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%ld", n ? " " : "", v);
        n++;
    }
    return n;
}

/* ---- values ----------------------------------------------------- */

static void values_come_in_order(void)
{
    long range[2] = {3, 7};
    char got[64];
    gen *g = cu_made(gen_new(count, range, "count"));
    CU_ASSERT_EQUAL(take(g, 100, got, sizeof got), 5);
    CU_ASSERT_STRING_EQUAL(got, "3 4 5 6 7");
    gen_free(g);
}

static void a_generator_that_finishes(void)
{
    long range[2] = {1, 2}, v = 0;
    count_returned = false;
    gen *g = cu_made(gen_new(count, range, NULL));
    CU_ASSERT(gen_next(g, &v) && v == 1);
    CU_ASSERT(gen_next(g, &v) && v == 2);
    CU_ASSERT_FALSE(count_returned);    /* stopped in its loop */
    CU_ASSERT_FALSE(gen_next(g, &v));   /* ran to its end, came back */
    CU_ASSERT_TRUE(count_returned);
    CU_ASSERT_EQUAL(g->status, GEN_FINISHED);
    CU_ASSERT_PTR_NULL(g->ctx);             /* stack given back at once */
    gen_free(g);
}

static bool nexts_said;          /* what the last gen_next() said */

static void three_more_nexts(void *g)
{
    long v = 42;
    nexts_said = false;
    for (int i = 0; i < 3; i++)
        nexts_said |= gen_next(g, &v);
    nexts_said |= v != 42;                      /* it was left alone */
}

static void next_after_the_end(void)
{
    long range[2] = {1, 1}, v = 0;
    gen *g = cu_made(gen_new(count, range, "once"));
    CU_ASSERT(gen_next(g, &v) && v == 1);
    CU_ASSERT_FALSE(gen_next(g, &v));
    /* drawing at every switch: a switch would draw */
    CU_ASSERT_STRING_EQUAL(drawn_while(three_more_nexts, g, true), "");
    CU_ASSERT_FALSE(nexts_said);
    gen_free(g);
}

static void empty(void *arg)
{
    (void)arg;
}

static void a_generator_with_no_values(void)
{
    gen *g = cu_made(gen_new(empty, NULL, "empty"));
    CU_ASSERT_FALSE(gen_next(g, NULL));
    CU_ASSERT_FALSE(gen_next(g, NULL));
    gen_free(g);
}

static bool endless_cleaned_up;

static void endless(void *arg)
{
    (void)arg;
    for (long n = 0; n < 1000000; n++)
        gen_yield(n);
    endless_cleaned_up = true;
}

/* Stopping early is freeing a suspended generator: whatever its stack
 * costs goes (back to the kernel, or to the pool of stages 4-5) and
 * the next one takes it. */
static void an_early_stop(void)
{
    char got[64];
    endless_cleaned_up = false;
    gen *warm = cu_made(gen_new(endless, NULL, NULL)); /* stdio and such */
    take(warm, 2, got, sizeof got);
    gen_free(warm);
    long before = cu_mappings();
    for (int i = 0; i < 50; i++) {
        gen *g = cu_made(gen_new(endless, NULL, "endless"));
        CU_ASSERT_EQUAL(take(g, 3, got, sizeof got), 3);
        gen_free(g);                            /* mid-loop */
    }
    CU_ASSERT_STRING_EQUAL(got, "0 1 2");
    CU_ASSERT(cu_mappings() - before <= kit_mappings_slack());  /* none kept */
    CU_ASSERT_FALSE(endless_cleaned_up);        /* abandoned, not run */
    CU_ASSERT_PTR_NULL(gen_first());            /* and forgotten */
}

static void the_argument_reaches_the_generator(void)
{
    long range[2] = {-2, -1}, v = 0;
    gen *g = cu_made(gen_new(count, range, NULL));
    CU_ASSERT(gen_next(g, &v) && v == -2);
    CU_ASSERT(gen_next(g, NULL));               /* value not wanted */
    CU_ASSERT_FALSE(gen_next(g, &v));
    CU_ASSERT_EQUAL(v, -2);
    gen_free(g);
}

/* Locals on a generator's stack keep their values across yields. */
static void keep_locals(void *arg)
{
    volatile long a = 11, b = 22;
    long *wrong = arg;
    for (int i = 0; i < 3; i++) {
        gen_yield(a + b);
        *wrong += a != 11 || b != 22;
    }
}

static void locals_survive_yields(void)
{
    long wrong = 0, v;
    gen *g1 = cu_made(gen_new(keep_locals, &wrong, NULL));
    gen *g2 = cu_made(gen_new(keep_locals, &wrong, NULL));
    while (gen_next(g1, &v) && gen_next(g2, &v))
        CU_ASSERT_EQUAL(v, 33);
    CU_ASSERT_EQUAL(wrong, 0);
    gen_free(g1);
    gen_free(g2);
}

static void many_generators_at_once(void)
{
    enum { MANY = 200 };
    static gen *g[MANY];
    static long range[MANY][2];
    long sum = 0, v;
    for (int i = 0; i < MANY; i++) {
        range[i][0] = i;
        range[i][1] = i + 2;
        g[i] = cu_made(gen_new(count, range[i], NULL));
    }
    for (int round = 0; round < 4; round++)
        for (int i = 0; i < MANY; i++)
            if (gen_next(g[i], &v))
                sum += v;
    for (int i = 0; i < MANY; i++)
        gen_free(g[i]);
    CU_ASSERT_EQUAL(sum, 3L * MANY * (MANY - 1) / 2 + 3L * MANY);
}

/* ---- nesting ---------------------------------------------------- */

/* Yield ten times each even value of the generator at arg. */
static void tens_of_evens(void *inner)
{
    long v;
    while (gen_next(inner, &v))
        if (v % 2 == 0)
            gen_yield(v * 10);
}

static void a_generator_inside_a_generator(void)
{
    long range[2] = {1, 7};
    char got[64];
    gen *inner = cu_made(gen_new(count, range, "inner"));
    gen *outer = cu_made(gen_new(tens_of_evens, inner, "outer"));
    CU_ASSERT_EQUAL(take(outer, 100, got, sizeof got), 3);
    CU_ASSERT_STRING_EQUAL(got, "20 40 60");
    CU_ASSERT_EQUAL(inner->status, GEN_FINISHED);
    gen_free(outer);
    gen_free(inner);
}

/* Yield 1 more than each value of the generator at arg, making (and
 * freeing) its own inner generator when arg is NULL. */
static void plus_one(void *inner)
{
    long range[2] = {1, 3}, v;
    gen *own = inner ? NULL : gen_new(count, range, "innermost");
    while (gen_next(inner ? inner : own, &v))
        gen_yield(v + 1);
    gen_free(own);
}

static void three_deep(void)
{
    char got[64];
    gen *middle = cu_made(gen_new(plus_one, NULL, "middle"));
    gen *top = cu_made(gen_new(plus_one, middle, "top"));
    CU_ASSERT_EQUAL(take(top, 100, got, sizeof got), 3);
    CU_ASSERT_STRING_EQUAL(got, "3 4 5");
    CU_ASSERT_PTR_NULL(gen_running());
    gen_free(top);
    gen_free(middle);
}

/* ---- generators and coroutines ---------------------------------- */

static void consume_in_turns(void *g)
{
    long v;
    while (gen_next(g, &v)) {
        note("%d:%ld ", coro_self(), v);
        coro_yield();
    }
}

static void two_coroutines_share_a_generator(void)
{
    long range[2] = {1, 5};
    journal_clear();
    gen *g = cu_made(gen_new(count, range, "shared"));
    int a = coro_spawn(consume_in_turns, g);
    int b = coro_spawn(consume_in_turns, g);
    CU_ASSERT_EQUAL(coro_run(), 0);
    char want[128];
    snprintf(want, sizeof want, "%d:1 %d:2 %d:3 %d:4 %d:5 ", a, b, a, b,
             a);
    CU_ASSERT_STRING_EQUAL(journal, want);
    gen_free(g);
}

/* ---- misuse ----------------------------------------------------- */

static void call_gen_yield(void *arg)
{
    (void)arg;
    gen_yield(1);
}

static void yield_outside_a_generator_aborts(void)
{
    CU_ASSERT(cu_aborts_with(call_gen_yield, NULL,
                             "gen_yield: called outside a generator"));
}

static void yield_in_a_coroutine(void *arg)
{
    coro_spawn(call_gen_yield, arg);
    coro_run();
}

static void yield_from_a_plain_coroutine_aborts(void)
{
    CU_ASSERT(cu_aborts_with(yield_in_a_coroutine, NULL,
                             "gen_yield: called outside a generator"));
}

static void new_with_null(void *result)
{
    *(gen **)result = gen_new(NULL, NULL, "nothing");
}

static void a_null_function_is_refused(void)
{
    char err[256];
    gen *g = (gen *)1;
    cu_catch_stderr(new_with_null, &g, err, sizeof err);
    CU_ASSERT_PTR_NULL(g);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "gen_new: fn is NULL"));
}

static void next_of_null(void *result)
{
    *(bool *)result = gen_next(NULL, NULL);
}

static void next_of_a_null_generator_is_refused(void)
{
    char err[256];
    bool result = true;
    cu_catch_stderr(next_of_null, &result, err, sizeof err);
    CU_ASSERT_FALSE(result);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "gen_next: g is NULL"));
}

/* What a generator saw when it asked for a running generator's next. */
struct refusal {
    gen  *target;       /* which one to ask; NULL: itself */
    bool  result;       /* what gen_next() said */
    char  err[256];     /* and wrote on stderr */
};

static void ask(void *arg)
{
    struct refusal *r = arg;
    r->result = gen_next(r->target, NULL);
}

static void ask_running(void *arg)
{
    struct refusal *r = arg;
    cu_catch_stderr(ask, r, r->err, sizeof r->err);
    gen_yield(7);
}

static void ask_itself(void *arg)
{
    struct refusal *r = arg;
    r->target = (gen *)gen_running();
    ask_running(r);
}

static void next_of_a_running_generator_is_refused(void)
{
    struct refusal r = {.result = true};
    long v = 0;
    gen *g = cu_made(gen_new(ask_itself, &r, "selfish"));
    CU_ASSERT(gen_next(g, &v) && v == 7);       /* and it carried on */
    CU_ASSERT_FALSE(r.result);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "gen_next: generator \"selfish\" "
                                         "is running already"));
    CU_ASSERT_FALSE(gen_next(g, &v));
    gen_free(g);
}

static void next_of_a_waiting_generator_is_refused(void)
{
    struct refusal r = {.result = true};
    gen *inner = cu_made(gen_new(ask_running, &r, "inner"));
    gen *outer = cu_made(gen_new(plus_one, inner, "outer"));
    r.target = outer;                   /* inner asks its own consumer */
    long v = 0;
    CU_ASSERT(gen_next(outer, &v) && v == 8);
    CU_ASSERT_FALSE(r.result);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "gen_next: generator \"outer\" "
                                         "is running already"));
    gen_free(outer);
    gen_free(inner);
}

static void free_itself(void *arg)
{
    (void)arg;
    gen_free((gen *)gen_running());
}

static void run_free_itself(void *arg)
{
    (void)arg;
    gen_next(gen_new(free_itself, NULL, "suicidal"), NULL);
}

static void freeing_a_running_generator_aborts(void)
{
    char err[256];
    int status = cu_in_child(run_free_itself, NULL, err, sizeof err);
    CU_ASSERT(cu_aborted(status));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "gen_free: generator \"suicidal\" "
                                       "is running"));
}

static void free_null(void *arg)
{
    (void)arg;
    gen *g = gen_new(empty, NULL, "kept");
    gen_free(NULL);
    if (gen_first() != g)
        fprintf(stderr, "lost\n");
    gen_free(g);
}

static void freeing_null_does_nothing(void)
{
    char err[256];
    int status = cu_in_child(free_null, NULL, err, sizeof err);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CU_ASSERT_STRING_EQUAL(err, "");
}

/* A generator's function must not stop its consumer's coroutine: it
 * calls coro_yield() (arg NULL) or coro_exit().  (Issue 9, defect 10:
 * at 006d2c6 nothing stopped it, although gen.h said it must not.) */
static void stop_the_coroutine(void *arg)
{
    if (arg == NULL)
        coro_yield();
    coro_exit();
}

static void consume(void *arg)
{
    gen_next(gen_new(stop_the_coroutine, arg, "rogue"), NULL);
}

static void run_a_consumer(void *arg)
{
    coro_spawn(consume, arg);
    coro_run();
}

static void a_generator_cannot_stop_its_coroutine(void)
{
    CU_ASSERT(cu_aborts_with(run_a_consumer, NULL, "coro_yield: called "
                             "from generator \"rogue\", which may only "
                             "gen_yield()"));
    CU_ASSERT(cu_aborts_with(run_a_consumer, "exit", "coro_exit: called "
                             "from generator \"rogue\", which may only "
                             "gen_yield()"));
}

static const struct cu_test tests[] = {
    {"values come in order", values_come_in_order, NULL},
    {"a generator that finishes", a_generator_that_finishes, NULL},
    {"gen_next after the end", next_after_the_end, NULL},
    {"a generator with no values", a_generator_with_no_values, NULL},
    {"an early stop frees a suspended generator", an_early_stop, NULL},
    {"the argument reaches the generator", the_argument_reaches_the_generator,
     NULL},
    {"locals survive yields", locals_survive_yields, NULL},
    {"many generators at once", many_generators_at_once, NULL},
    {"a generator inside a generator", a_generator_inside_a_generator, NULL},
    {"three deep, the inner one made inside", three_deep, NULL},
    {"two coroutines share a generator", two_coroutines_share_a_generator,
     NULL},
    {"gen_yield outside a generator aborts", yield_outside_a_generator_aborts,
     NULL},
    {"gen_yield from a plain coroutine aborts",
     yield_from_a_plain_coroutine_aborts, NULL},
    {"a NULL function is refused", a_null_function_is_refused, NULL},
    {"gen_next of NULL is refused", next_of_a_null_generator_is_refused, NULL},
    {"gen_next of a running generator is refused",
     next_of_a_running_generator_is_refused, NULL},
    {"gen_next of a waiting generator is refused",
     next_of_a_waiting_generator_is_refused, NULL},
    {"freeing a running generator aborts", freeing_a_running_generator_aborts,
     NULL},
    {"freeing NULL does nothing", freeing_null_does_nothing, NULL},
    {"a generator cannot stop its coroutine",
     a_generator_cannot_stop_its_coroutine, NULL},
    CU_TESTS_END,
};

/* ---- with SWITCH=copy ------------------------------------------- */

static void make_one(void *result)
{
    *(gen **)result = gen_new(empty, NULL, "refused");
}

static void gen_new_refuses_copy_mode(void)
{
    char err[256];
    gen *g = (gen *)1;
    cu_catch_stderr(make_one, &g, err, sizeof err);
    CU_ASSERT_PTR_NULL(g);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "gen_new: with SWITCH=copy there is "
                                       "one shared stack, which only "
                                       "coro_run() sets up; a generator "
                                       "needs a stack of its own"));
    CU_ASSERT_PTR_NULL(gen_first());
}

static const struct cu_test copy_tests[] = {
    {"gen_new refuses copy mode", gen_new_refuses_copy_mode, NULL},
    CU_TESTS_END,
};

void generators_suites(void)
{
    cu_suite("generators", tests, needs_generators);
    cu_suite("generators: copy mode refused", copy_tests, needs_copy);
}

