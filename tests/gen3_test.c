/*
 * gen3_test.c - stage 3's generators (gen.h): values in order, early
 * stops, finishing, nesting, generators inside coroutines, misuse; the
 * same-fringe walk (fringe.h); and what a ucontext switch costs in
 * system calls (syscount.h).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coro.h"
#include "ctx.h"
#include "cu.h"
#include "fringe.h"
#include "gen_impl.h"
#include "syscount.h"
#include "tools.h"

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

/* How many mappings does the process have? */
static int mappings(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    int lines = 0;
    for (int ch; maps && (ch = fgetc(maps)) != EOF;)
        lines += ch == '\n';
    if (maps)
        fclose(maps);
    return lines;
}

/* ---- values ----------------------------------------------------- */

static void values_come_in_order(void)
{
    long range[2] = {3, 7};
    char got[64];
    gen *g = gen_new(count, range, "count");
    CU_ASSERT_FATAL(g != NULL);
    CU_ASSERT_EQUAL(take(g, 100, got, sizeof got), 5);
    CU_ASSERT_STRING_EQUAL(got, "3 4 5 6 7");
    gen_free(g);
}

static void a_generator_that_finishes(void)
{
    long range[2] = {1, 2}, v = 0;
    count_returned = false;
    gen *g = gen_new(count, range, NULL);
    CU_ASSERT(gen_next(g, &v) && v == 1);
    CU_ASSERT(gen_next(g, &v) && v == 2);
    CU_ASSERT_FALSE(count_returned);    /* stopped in its loop */
    CU_ASSERT_FALSE(gen_next(g, &v));   /* ran to its end, came back */
    CU_ASSERT_TRUE(count_returned);
    CU_ASSERT_EQUAL(g->status, GEN_FINISHED);
    CU_ASSERT_PTR_NULL(g->ctx.stack.lo);    /* stack given back at once */
    gen_free(g);
}

static void next_after_the_end(void)
{
    long range[2] = {1, 1}, v = 0;
    gen *g = gen_new(count, range, NULL);
    CU_ASSERT(gen_next(g, &v) && v == 1);
    CU_ASSERT_FALSE(gen_next(g, &v));
    unsigned long switches = ctx_switches();
    v = 42;
    for (int i = 0; i < 3; i++)
        CU_ASSERT_FALSE(gen_next(g, &v));
    CU_ASSERT_EQUAL(v, 42);                     /* left alone */
    CU_ASSERT_EQUAL(ctx_switches(), switches);  /* and no switch */
    gen_free(g);
}

static void empty(void *arg)
{
    (void)arg;
}

static void a_generator_with_no_values(void)
{
    gen *g = gen_new(empty, NULL, "empty");
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

static void an_early_stop(void)
{
    char got[64];
    endless_cleaned_up = false;
    gen *warm = gen_new(endless, NULL, NULL);   /* stdio and such */
    take(warm, 2, got, sizeof got);
    gen_free(warm);
    int before = mappings();
    gen *g = gen_new(endless, NULL, "endless");
    CU_ASSERT_EQUAL(take(g, 3, got, sizeof got), 3);
    CU_ASSERT_STRING_EQUAL(got, "0 1 2");
    CU_ASSERT(mappings() > before);             /* its stack, guard */
    gen_free(g);                                /* mid-loop */
    CU_ASSERT_EQUAL(mappings(), before);        /* all given back */
    CU_ASSERT_FALSE(endless_cleaned_up);        /* abandoned, not run */
}

static void the_argument_reaches_the_generator(void)
{
    long range[2] = {-2, -1}, v = 0;
    gen *g = gen_new(count, range, NULL);
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
    gen *g1 = gen_new(keep_locals, &wrong, NULL);
    gen *g2 = gen_new(keep_locals, &wrong, NULL);
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
        g[i] = gen_new(count, range[i], NULL);
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
    gen *inner = gen_new(count, range, "inner");
    gen *outer = gen_new(tens_of_evens, inner, "outer");
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
    gen *middle = gen_new(plus_one, NULL, "middle");
    gen *top = gen_new(plus_one, middle, "top");
    CU_ASSERT_EQUAL(take(top, 100, got, sizeof got), 3);
    CU_ASSERT_STRING_EQUAL(got, "3 4 5");
    CU_ASSERT_PTR_NULL(gen_running());
    gen_free(top);
    gen_free(middle);
}

/* ---- generators and coroutines ---------------------------------- */

static char journal[128];

static void consume_in_turns(void *g)
{
    long v;
    while (gen_next(g, &v)) {
        size_t len = strlen(journal);
        snprintf(journal + len, sizeof journal - len, "%d:%ld ",
                 coro_self(), v);
        coro_yield();
    }
}

static void two_coroutines_share_a_generator(void)
{
    long range[2] = {1, 5};
    journal[0] = '\0';
    gen *g = gen_new(count, range, "shared");
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
    gen *g = gen_new(ask_itself, &r, "selfish");
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
    gen *inner = gen_new(ask_running, &r, "inner");
    gen *outer = gen_new(plus_one, inner, "outer");
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
    gen_free(NULL);                     /* and NULL is nothing */
}

static const CU_TestInfo gen_tests[] = {
    {"values come in order", values_come_in_order},
    {"a generator that finishes", a_generator_that_finishes},
    {"gen_next after the end", next_after_the_end},
    {"a generator with no values", a_generator_with_no_values},
    {"an early stop frees a suspended generator", an_early_stop},
    {"the argument reaches the generator", the_argument_reaches_the_generator},
    {"locals survive yields", locals_survive_yields},
    {"many generators at once", many_generators_at_once},
    {"a generator inside a generator", a_generator_inside_a_generator},
    {"three deep, the inner one made inside", three_deep},
    {"two coroutines share a generator", two_coroutines_share_a_generator},
    {"gen_yield outside a generator aborts", yield_outside_a_generator_aborts},
    {"gen_yield from a plain coroutine aborts", yield_from_a_plain_coroutine_aborts},
    {"a NULL function is refused", a_null_function_is_refused},
    {"gen_next of NULL is refused", next_of_a_null_generator_is_refused},
    {"gen_next of a running generator is refused", next_of_a_running_generator_is_refused},
    {"gen_next of a waiting generator is refused", next_of_a_waiting_generator_is_refused},
    {"freeing a running generator aborts", freeing_a_running_generator_aborts},
    CU_TEST_INFO_NULL,
};

/* ---- same fringe ------------------------------------------------ */

static int steps;
static char steps_seen[128];

/* Note "a/b" for each step: the two leaves, -1 for none. */
static void note_step(int step, const long *a, const long *b)
{
    size_t len = strlen(steps_seen);
    snprintf(steps_seen + len, sizeof steps_seen - len, "%s%ld/%ld",
             step > 1 ? " " : "", a ? *a : -1, b ? *b : -1);
    steps = step;
}

/* same_fringe() of two trees, noting its steps. */
static bool compare(const char *first, const char *second)
{
    struct tree *a = tree_parse(first), *b = tree_parse(second);
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    steps = 0;
    steps_seen[0] = '\0';
    bool same = same_fringe(a, b, note_step);
    tree_free(a);
    tree_free(b);
    return same;
}

static void equal_fringes_of_different_shapes(void)
{
    CU_ASSERT_TRUE(compare("(((1 2) 3) (4 5))", "(1 ((2 3) (4 5)))"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/3 4/4 5/5 -1/-1");
    CU_ASSERT_TRUE(compare("((((1 2) 3) 4) 5)", "(1 (2 (3 (4 5))))"));
    CU_ASSERT_TRUE(compare("7", "7"));
    CU_ASSERT_TRUE(compare("(1 2)", "(1 2)"));
}

static void a_difference_stops_the_walk(void)
{
    CU_ASSERT_FALSE(compare("(((1 2) 3) (4 (5 6)))",
                            "(1 ((2 9) ((4 5) 6)))"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/9");  /* no further */
    CU_ASSERT_FALSE(compare("((1 2) 3)", "(5 (2 3))"));
    CU_ASSERT_EQUAL(steps, 1);
    CU_ASSERT_EQUAL(gen_first(), NULL);     /* both walks were freed */
}

static void one_fringe_longer_than_the_other(void)
{
    CU_ASSERT_FALSE(compare("((1 2) 3)", "(1 (2 (3 4)))"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/3 -1/4");
    CU_ASSERT_FALSE(compare("(1 (2 (3 4)))", "(1 2)"));
    CU_ASSERT_STRING_EQUAL(steps_seen, "1/1 2/2 3/-1");
}

static void the_walks_are_generators(void)
{
    struct tree *t = tree_parse("((1 (2 3)) 4)");
    gen *g = leaves_new(t, "leaves");
    char got[64];
    CU_ASSERT_EQUAL(take(g, 100, got, sizeof got), 4);
    CU_ASSERT_STRING_EQUAL(got, "1 2 3 4");
    gen_free(g);
    tree_free(t);
}

static void parse_bad(void *text)
{
    struct tree *t = tree_parse(text);
    if (t != NULL)
        fprintf(stderr, "parsed\n");
    tree_free(t);
}

static void a_bad_tree_is_refused(void)
{
    const char *bad[] = {"", "(1)", "(1 2", "(1 2) 3", "(x 2)", "((1 2)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256];
        cu_catch_stderr(parse_bad, (void *)bad[i], err, sizeof err);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, "tree_parse: not one tree"));
        CU_ASSERT_PTR_NULL(strstr(err, "parsed"));
    }
}

static const CU_TestInfo fringe_tests[] = {
    {"equal fringes of different shapes", equal_fringes_of_different_shapes},
    {"a difference stops the walk", a_difference_stops_the_walk},
    {"one fringe longer than the other", one_fringe_longer_than_the_other},
    {"the walks are generators", the_walks_are_generators},
    {"a bad tree is refused", a_bad_tree_is_refused},
    CU_TEST_INFO_NULL,
};

/* ---- what a switch costs ---------------------------------------- */

#define ROUNDS 100

static void forever(void *arg)
{
    (void)arg;
    for (long n = 0;; n++)
        gen_yield(n);
}

static void take_rounds(void *g)
{
    for (int i = 0; i < ROUNDS; i++)
        gen_next(g, NULL);
}

static void make_one(void *arg)
{
    (void)arg;
    gen_free(gen_new(forever, NULL, NULL));
}

static void no_switch(void *arg)
{
    (void)arg;
    for (volatile int i = 0; i < ROUNDS; i++)
        ;
}

static bool under_valgrind(void)
{
#ifdef HAVE_VALGRIND
    return RUNNING_ON_VALGRIND;
#else
    return false;
#endif
}

static void try_traceme(void *arg)
{
    (void)arg;
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
        fprintf(stderr, "no ptrace\n");
}

/* Does this system refuse ptrace (qemu-user, some containers)? */
static bool ptrace_refused(void)
{
    char err[64];
    cu_in_child(try_traceme, NULL, err, sizeof err);
    return strstr(err, "no ptrace") != NULL;
}

static void one_system_call_a_switch(void)
{
    gen *g = gen_new(forever, NULL, "forever");
    gen_next(g, NULL);
    unsigned long before = ctx_switches();
    take_rounds(g);
    CU_ASSERT_EQUAL(ctx_switches() - before, 2 * ROUNDS);
    long calls = syscalls_made(SYS_rt_sigprocmask, take_rounds, g);
    if (calls < 0) {                    /* it cannot be counted here */
        CU_ASSERT(under_valgrind() || ptrace_refused());
    } else {
        CU_ASSERT_EQUAL(calls, 2 * ROUNDS);
    }
    gen_free(g);
}

static void the_counter_tells_calls_apart(void)
{
    long none = syscalls_made(SYS_rt_sigprocmask, no_switch, NULL);
    long made = syscalls_made(SYS_rt_sigprocmask, make_one, NULL);
    if (none < 0 || made < 0) {
        CU_ASSERT(under_valgrind() || ptrace_refused());
        return;
    }
    CU_ASSERT_EQUAL(none, 0);
    CU_ASSERT_EQUAL(made, 1);           /* getcontext reads the mask */
}

/* Block SIGUSR1 in here, and see whether it stays blocked. */
static void mask_of_its_own(void *arg)
{
    int *blocked_here = arg;
    sigset_t usr1, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    gen_yield(0);
    sigprocmask(SIG_BLOCK, NULL, &now);
    *blocked_here = sigismember(&now, SIGUSR1);
}

static int usr1_blocked(void)
{
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGUSR1);
}

/* Why the system call is there: every context has its own signal mask,
 * and swapcontext puts the one it switches to in place. */
static void each_context_has_its_own_signal_mask(void)
{
    int blocked_in_gen = -1;
    CU_ASSERT_EQUAL(usr1_blocked(), 0);
    gen *g = gen_new(mask_of_its_own, &blocked_in_gen, "masked");
    CU_ASSERT(gen_next(g, NULL));
    CU_ASSERT_EQUAL(usr1_blocked(), 0);         /* main's mask again */
    CU_ASSERT_FALSE(gen_next(g, NULL));
    CU_ASSERT_EQUAL(blocked_in_gen, 1);         /* and the generator's */
    CU_ASSERT_EQUAL(usr1_blocked(), 0);
    gen_free(g);
}

static const CU_TestInfo cost_tests[] = {
    {"one rt_sigprocmask system call a switch", one_system_call_a_switch},
    {"the counter tells calls apart", the_counter_tells_calls_apart},
    {"each context has its own signal mask", each_context_has_its_own_signal_mask},
    CU_TEST_INFO_NULL,
};

void gen_suites(void)
{
    cu_add("stage 3: generators", gen_tests);
    cu_add("stage 3: same fringe", fringe_tests);
    cu_add("stage 3: what a switch costs", cost_tests);
}
