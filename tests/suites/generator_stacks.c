/*
 * generator_stacks.c - a generator's own stack (stage 3, carried on into
 * 4 and 5): where its frames live, its size, running off its end, and
 * what gen_next and gen_yield must keep, as every switch must.  With
 * SWITCH=copy there are no generators (generators.c).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "coro.h"
#include "cu.h"
#include "gen_impl.h"
#include "kit.h"
#include "overflow.h"
#include "regs.h"
#include "show.h"

/* ---- stacks ----------------------------------------------------- */

static struct stack stack_of(const gen *g)
{
    struct ctx_view v;
    ctx_view(g->ctx, &v);
    return v.stack;
}

static bool on_stack(const struct stack *s, const volatile void *p)
{
    return s->lo != NULL && (const char *)p >= s->lo &&
           (const char *)p < s->hi;
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
    gen *a = cu_made(gen_new(point_at_a_local, NULL, "a"));
    gen *b = cu_made(gen_new(point_at_a_local, NULL, "b"));
    gen_next(a, NULL);
    volatile char *in_a = gen_local;
    gen_next(b, NULL);
    volatile char *in_b = gen_local;
    char here;
    struct stack sa = stack_of(a), sb = stack_of(b);
    CU_ASSERT(on_stack(&sa, in_a));
    CU_ASSERT(on_stack(&sb, in_b));
    CU_ASSERT_FALSE(on_stack(&sa, &here));
    CU_ASSERT_FALSE(on_stack(&sa, in_b));
    if (sa.guard != NULL)       /* a guard page right below it... */
        CU_ASSERT_EQUAL(sa.lo - sa.guard, (long)sysconf(_SC_PAGESIZE))
    else                        /* ...or a canary (many.c, stage 4 on) */
        CU_ASSERT(KIT_STAGE >= 4);
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
    gen *g = cu_made(gen_new(nothing, NULL, NULL));
    struct stack s = stack_of(g);
    size_t size = (size_t)(s.hi - s.lo);
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

static void ask_too_much(void *bytes)
{
    gen_stack_size(32 * 1024);
    gen_stack_size(*(const size_t *)bytes);
}

/* Issue 9, defect 6: at 006d2c6 gen_stack_size(SIZE_MAX) was taken, and
 * gen_new() crashed rounding it up to whole pages.  Refused now, with a
 * line, and the size stays. */
static void more_than_the_most_is_refused(void)
{
    static const size_t sizes[] = {CORO_STACK_MAX + 1, SIZE_MAX,
                                   SIZE_MAX / 2 + 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char err[256], says[160];
        cu_catch_stderr(ask_too_much, (void *)&sizes[i], err, sizeof err);
        snprintf(says, sizeof says, "gen_stack_size: %zu bytes is more "
                 "than the 1073741824 a stack may have; it stays 32768\n",
                 sizes[i]);
        CU_ASSERT_STRING_EQUAL(err, says);
        gen *g = cu_made(gen_new(nothing, NULL, NULL));
        struct stack s = stack_of(g);
        CU_ASSERT_EQUAL(s.hi - s.lo, 32 * 1024);
        gen_free(g);
    }
    gen_stack_size(GEN_STACK_SIZE);
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
    gen *g = cu_made(gen_new(one_value, NULL, NULL));
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

/* While a generator is alive the kit watches for an overflow, from
 * gen_new to the last gen_free (not at every switch: two system calls
 * each); then the program's own SIGSEGV handler is back. */
static void the_watch_lasts_while_generators_live(void)
{
    struct sigaction was;
    own_segv_handler_set(&was);
    gen *a = cu_made(gen_new(one_value, NULL, NULL));
    gen *b = cu_made(gen_new(one_value, NULL, NULL));
    CU_ASSERT_FALSE(own_segv_handler_in_place());   /* the kit's */
    CU_ASSERT(gen_next(a, NULL));
    CU_ASSERT_FALSE(own_segv_handler_in_place());   /* still, between */
    gen_free(a);
    CU_ASSERT_FALSE(own_segv_handler_in_place());   /* b is alive */
    gen_free(b);
    CU_ASSERT(own_segv_handler_in_place());     /* the program's */
    sigaction(SIGSEGV, &was, NULL);
}

static void a_deep_call_that_fits_in_a_generator(void)
{
    void *half = (void *)(intptr_t)(GEN_STACK_SIZE / 1024 / 2);
    gen *g = cu_made(gen_new(dig_deep, half, NULL));
    CU_ASSERT_FALSE(gen_next(g, NULL));
    gen_free(g);
}

/* ---- what a switch must keep (as in switch.c) ------------------- */

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
}

static void registers_survive_gen_next_and_gen_yield(void)
{
    lost[0] = lost[1] = ~0ul;
    gen *g = cu_made(gen_new(gen_keeps_registers, NULL, "regs"));
    gen_next(g, NULL);
    lost[0] = regs_keep(0x1234567800000000ul, next_now, g);
    CU_ASSERT_FALSE(gen_next(g, NULL));
    CU_ASSERT_EQUAL(lost[0], 0);
    CU_ASSERT_EQUAL(lost[1], 0);
    gen_free(g);
}

static void gen_keeps_fp_control(void *arg)
{
    (void)arg;
    lost[1] = fpctl_keep(3, gen_yield_now, NULL);
}

static void fp_control_survives_gen_next_and_gen_yield(void)
{
    lost[0] = lost[1] = ~0ul;
    gen *g = cu_made(gen_new(gen_keeps_fp_control, NULL, "fpctl"));
    gen_next(g, NULL);
    lost[0] = fpctl_keep(1, next_now, g);
    CU_ASSERT_FALSE(gen_next(g, NULL));
    CU_ASSERT_EQUAL(lost[0], 0);
    CU_ASSERT_EQUAL(lost[1], 0);
    gen_free(g);
}

static void a_new_generator_starts_aligned(void)
{
    noted_aligned();
    gen *g = cu_made(gen_new(note_alignment, NULL, NULL));
    gen_next(g, NULL);
    gen_free(g);
    CU_ASSERT(noted_aligned());
}

static const struct cu_test tests[] = {
    {"each generator runs on its own stack",
     each_generator_runs_on_its_own_stack, NULL},
    {"a generator's stack size can be chosen",
     a_generator_stack_size_can_be_chosen, NULL},
    {"more than the most is refused", more_than_the_most_is_refused, NULL},
    {"a generator running off its stack is caught",
     a_generator_running_off_its_stack_is_caught, NULL},
    {"... after a coro_run() too", after_a_run_too, NULL},
    {"a coroutine after a generator too", a_coroutine_after_a_generator_too,
     NULL},
    {"the watch lasts while generators live",
     the_watch_lasts_while_generators_live, NULL},
    {"a deep call that fits in a generator",
     a_deep_call_that_fits_in_a_generator, NULL},
    {"registers survive gen_next and gen_yield",
     registers_survive_gen_next_and_gen_yield, NULL},
    {"floating-point control survives gen_next and gen_yield",
     fp_control_survives_gen_next_and_gen_yield, needs_fp_control_kept},
    {"a new generator starts aligned", a_new_generator_starts_aligned,
     NULL},
    CU_TESTS_END,
};

void generator_stacks_suites(void)
{
    cu_suite("generators: their stacks and switches", tests,
             needs_generators);
}
