/*
 * api.c - the coroutine interface every stage offers (coro.h): spawn,
 * yield, exit, self, run, and their misuse.  Every stage's program runs
 * this suite against its own library, with every switch: what stage 1
 * promises, the later stages keep.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "cu.h"
#include "journal.h"

/* ---- order and interleaving ------------------------------------- */

static void say_once(void *tag)
{
    note("%s", (const char *)tag);
}

static void spawn_order(void)
{
    journal_clear();
    coro_spawn(say_once, "a");
    coro_spawn(say_once, "b");
    coro_spawn(say_once, "c");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "abc");
}

static void three_turns(void *tag)
{
    for (int turn = 1; turn <= 3; turn++) {
        note("%s%d ", (const char *)tag, turn);
        coro_yield();
    }
}

static void interleaving(void)
{
    journal_clear();
    coro_spawn(three_turns, "a");
    coro_spawn(three_turns, "b");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "a1 b1 a2 b2 a3 b3 ");
}

/* ---- arguments, ids, finishing ---------------------------------- */

struct pair {
    int in, out;
};

static void doubler(void *arg)
{
    struct pair *p = arg;
    coro_yield();
    p->out = p->in * 2;
}

static void argument_reaches_coroutine(void)
{
    struct pair p = {21, 0};
    CU_ASSERT(coro_spawn(doubler, &p) > 0);
    coro_run();
    CU_ASSERT_EQUAL(p.out, 42);
}

static void record_self(void *where)
{
    *(int *)where = coro_self();
    coro_yield();
    CU_ASSERT_EQUAL(coro_self(), *(int *)where);
}

static void self_is_the_spawned_id(void)
{
    int seen1 = -1, seen2 = -1;
    CU_ASSERT_EQUAL(coro_self(), 0);
    int id1 = coro_spawn(record_self, &seen1);
    int id2 = coro_spawn(record_self, &seen2);
    CU_ASSERT(id1 > 0 && id2 > id1);
    coro_run();
    CU_ASSERT_EQUAL(seen1, id1);
    CU_ASSERT_EQUAL(seen2, id2);
    CU_ASSERT_EQUAL(coro_self(), 0);
}

static void ids_are_never_reused(void)
{
    int first = coro_spawn(say_once, "");
    coro_run();
    int second = coro_spawn(say_once, "");
    coro_run();
    CU_ASSERT(first > 0);
    CU_ASSERT(second > first);
}

static void leave_from_deep(int depth)
{
    if (depth > 0) {
        leave_from_deep(depth - 1);
        note("unreachable ");
    }
    note("exit ");
    coro_exit();
}

static void exits_early(void *arg)
{
    (void)arg;
    note("start ");
    leave_from_deep(5);
    note("after exit ");
}

static void exit_from_deep_inside(void)
{
    journal_clear();
    coro_spawn(exits_early, NULL);
    coro_spawn(three_turns, "t");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "start exit t1 t2 t3 ");
}

/* ---- spawning from a coroutine, and running again --------------- */

static void parent(void *arg)
{
    int *child_id = arg;
    note("parent ");
    *child_id = coro_spawn(say_once, "child ");
    coro_yield();
    note("parent again ");
}

static void spawn_from_a_coroutine(void)
{
    journal_clear();
    int child = 0;
    int id = coro_spawn(parent, &child);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT(child > id);
    CU_ASSERT_STRING_EQUAL(journal, "parent child parent again ");
}

static void run_with_nothing_to_run(void)
{
    CU_ASSERT_EQUAL(coro_run(), 0);
}

static void run_again_after_a_run(void)
{
    journal_clear();
    coro_spawn(say_once, "1 ");
    coro_run();
    coro_spawn(say_once, "2 ");
    coro_spawn(three_turns, "t");
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_STRING_EQUAL(journal, "1 2 t1 t2 t3 ");
}

/* ---- many at once, and registers across switches ---------------- */

#ifdef CORO_MAX
#define MANY CORO_MAX
#else
#define MANY 1000
#endif

static int turns_taken;

static void five_turns(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        turns_taken++;
        coro_yield();
    }
}

static void many_coroutines(void)
{
    turns_taken = 0;
    for (int i = 0; i < MANY; i++)
        CU_ASSERT(coro_spawn(five_turns, NULL) > 0);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(turns_taken, 5 * MANY);
}

/* Lots of live values: at -O2 they sit in callee-saved registers, which
 * every switch must save and give back. */
static unsigned long mix(unsigned long seed, int yields)
{
    unsigned long a = seed, b = seed * 3, c = seed ^ 0x55, d = seed + 7;
    unsigned long e = seed << 2, f = ~seed, g = seed * seed, h = 11;
    for (int i = 0; i < 8; i++) {
        a += b ^ h; b += c * 5; c ^= d + a; d += e >> 1;
        e ^= f + i; f += g; g ^= a >> 3; h += b + c;
        if (yields)
            coro_yield();
    }
    return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
}

static void mixer(void *arg)
{
    unsigned long *p = arg;
    p[1] = mix(p[0], 1);
}

static void registers_survive_switches(void)
{
    unsigned long x[2] = {12345, 0}, y[2] = {987654321, 0};
    coro_spawn(mixer, x);
    coro_spawn(mixer, y);
    coro_run();
    CU_ASSERT_EQUAL(x[1], mix(x[0], 0));
    CU_ASSERT_EQUAL(y[1], mix(y[0], 0));
}

/* Each stops at a depth of its own, with locals in every frame: a
 * switch must give each its frames back whole, however deep the one
 * that ran before it had stopped.  (Stages 4-5 with SWITCH=copy once
 * handed the CPU from one coroutine straight to the next, and copied
 * the next one's frames over the very frames doing the copying.) */
#define LOCALS_PER_FRAME 8

__attribute__((noinline)) static long nest(int depth, long seed)
{
    volatile long here[LOCALS_PER_FRAME];
    for (int i = 0; i < LOCALS_PER_FRAME; i++)
        here[i] = seed * 1000 + depth * LOCALS_PER_FRAME + i;
    long sum = 0;
    if (depth > 0)
        sum = nest(depth - 1, seed);
    else
        for (int turn = 0; turn < 3; turn++)
            coro_yield();
    for (int i = 0; i < LOCALS_PER_FRAME; i++)
        sum += here[i];
    return sum;
}

struct nesting {
    int  depth;
    long sum;
};

static void nester(void *arg)
{
    struct nesting *n = arg;
    n->sum = nest(n->depth, n->depth);
}

static void each_stops_at_a_depth_of_its_own(void)
{
    struct nesting n[] = {{1, 0}, {40, 0}, {7, 0}, {25, 0}, {0, 0}};
    int count = (int)(sizeof n / sizeof n[0]);
    for (int i = 0; i < count; i++)
        coro_spawn(nester, &n[i]);
    CU_ASSERT_EQUAL(coro_run(), 0);
    for (int i = 0; i < count; i++) {
        long want = 0;
        for (int d = 0; d <= n[i].depth; d++)
            for (int k = 0; k < LOCALS_PER_FRAME; k++)
                want += n[i].depth * 1000L + d * LOCALS_PER_FRAME + k;
        CU_ASSERT_EQUAL(n[i].sum, want);
    }
}

/* ---- misuse ----------------------------------------------------- */

static void spawn_null(void *result)
{
    *(int *)result = coro_spawn(NULL, NULL);
}

static void null_function_is_refused(void)
{
    char err[256];
    int result = 0;
    cu_catch_stderr(spawn_null, &result, err, sizeof err);
    CU_ASSERT_EQUAL(result, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "coro_spawn: fn is NULL"));
    CU_ASSERT_EQUAL(coro_run(), 0);
}

static void call_yield(void *arg)
{
    (void)arg;
    coro_yield();
}

static void call_exit(void *arg)
{
    (void)arg;
    coro_exit();
}

static void yield_outside_aborts(void)
{
    CU_ASSERT(cu_aborts_with(call_yield, NULL,
                             "coro_yield: called outside a coroutine"));
}

static void exit_outside_aborts(void)
{
    CU_ASSERT(cu_aborts_with(call_exit, NULL,
                             "coro_exit: called outside a coroutine"));
}

static int nested_result;
static char nested_err[256];

static void run_nested(void *arg)
{
    (void)arg;
    nested_result = coro_run();
}

static void run_inside(void *arg)
{
    cu_catch_stderr(run_nested, arg, nested_err, sizeof nested_err);
}

static void run_inside_a_coroutine_is_refused(void)
{
    nested_result = 0;
    coro_spawn(run_inside, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(nested_result, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(nested_err, "coro_run: called from inside"));
}

/* ---- the program's own signal handling -------------------------- */

static void on_segv(int sig)
{
    (void)sig;
}

/* While coro_run() runs, a SIGSEGV is the kit's to report; afterwards
 * the program's own handler and alternate signal stack are back.
 * (Issue 9, defect 13: at 006d2c6 stages 2-5 put their own in place at
 * the first coro_run() and never gave the program's back.) */
static void the_program_keeps_its_sigsegv_handler(void)
{
    static char alt[64 * 1024];
    stack_t mine = {.ss_sp = alt, .ss_size = sizeof alt}, old, now;
    struct sigaction sa = {.sa_handler = on_segv}, was, is;
    sigemptyset(&sa.sa_mask);
    sigaltstack(&mine, &old);
    sigaction(SIGSEGV, &sa, &was);
    coro_spawn(call_yield, NULL);
    CU_ASSERT_EQUAL(coro_run(), 0);
    sigaltstack(NULL, &now);
    sigaction(SIGSEGV, NULL, &is);
    CU_ASSERT_PTR_EQUAL(now.ss_sp, alt);
    CU_ASSERT_PTR_EQUAL(is.sa_handler, on_segv);
    sigaction(SIGSEGV, &was, NULL);
    sigaltstack(&old, NULL);
}

static const struct cu_test tests[] = {
    {"spawn order is run order", spawn_order, NULL},
    {"yields interleave", interleaving, NULL},
    {"the argument reaches the coroutine", argument_reaches_coroutine,
     NULL},
    {"coro_self is the spawned id", self_is_the_spawned_id, NULL},
    {"ids are never reused", ids_are_never_reused, NULL},
    {"coro_exit from deep inside", exit_from_deep_inside, NULL},
    {"spawn from a coroutine", spawn_from_a_coroutine, NULL},
    {"run with nothing to run", run_with_nothing_to_run, NULL},
    {"run again after a run", run_again_after_a_run, NULL},
    {"many coroutines at once", many_coroutines, NULL},
    {"registers survive switches", registers_survive_switches, NULL},
    {"each stops at a depth of its own", each_stops_at_a_depth_of_its_own,
     NULL},
    {"a NULL function is refused", null_function_is_refused, NULL},
    {"yield outside a coroutine aborts", yield_outside_aborts, NULL},
    {"exit outside a coroutine aborts", exit_outside_aborts, NULL},
    {"run inside a coroutine is refused", run_inside_a_coroutine_is_refused,
     NULL},
    {"the program keeps its SIGSEGV handler",
     the_program_keeps_its_sigsegv_handler, NULL},
    CU_TESTS_END,
};

void api_suites(void)
{
    cu_suite("the coroutine API", tests, NULL);
}
