/*
 * many.c - very many coroutines at once (stage 4's many.c, carried on
 * into stage 5), with every switch: 100,000 alive in `make test`, and
 * a long sequence of spawns that stays flat.  And the stacks that make
 * it possible: carved from slabs, each above a guard region where the
 * kernel makes them, above a painted canary where it does not.
 * lib/guards.c plays a kernel without guard regions, so that canaries
 * are tested on any machine.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coro_impl.h"
#include "cu.h"
#include "gen_impl.h"
#include "guards.h"
#include "kit.h"
#include "overflow.h"
#include "tools.h"

#ifdef HAVE_ASAN     /* in both runtimes; only clang ships the header */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* ---- at once, and one after another ------------------------------ */

#define ALIVE 100000        /* coroutines alive at once: the lesson's scale */

static long alive_now, alive_most, finished;

static void stay_a_while(void *arg)
{
    (void)arg;
    if (++alive_now > alive_most)
        alive_most = alive_now;
    coro_yield();                   /* everyone else starts meanwhile */
    coro_sleep_ms(0);
    alive_now--;
    finished++;
}

static void a_hundred_thousand_at_once(void)
{
    alive_now = alive_most = finished = 0;
    coro_stack_size(16 * 1024);
    int spawned = 0;
    while (spawned < ALIVE && coro_spawn(stay_a_while, NULL) > 0)
        spawned++;
    CU_ASSERT_EQUAL(spawned, ALIVE);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(alive_most, ALIVE);
    CU_ASSERT_EQUAL(finished, ALIVE);
    coro_stack_size(CORO_STACK_SIZE);
}

/* Memory in use, in KiB: what is resident.  Under AddressSanitizer,
 * which keeps freed memory aside for a while to catch use after free,
 * the bytes allocated, and a page per mapping, instead. */
static long in_use_kib(void)
{
#ifdef HAVE_ASAN
    return (long)(__sanitizer_get_current_allocated_bytes() / 1024) +
           cu_mappings() * 4;
#else
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
#endif
}

static long memory_at[2], maps_at[2];

static void child_of(void *arg)
{
    (void)arg;
    finished++;
}

/* Spawn and join n children, one after the other; measure memory
 * after the first tenth and at the end. */
static void one_after_another(void *arg)
{
    long n = (long)(intptr_t)arg;
    for (long i = 1; i <= n; i++) {
        coro_join(coro_spawn(child_of, NULL));
        if (i == n / 10) {
            memory_at[0] = in_use_kib();
            maps_at[0] = cu_mappings();
        }
    }
    memory_at[1] = in_use_kib();
    maps_at[1] = cu_mappings();
}

/* A million, or a tenth of it where every spawn costs much more: under
 * valgrind, and with sigstack, whose every spawn raises a signal. */
static void a_long_sequence_stays_flat(void)
{
    bool slow = kit_under_valgrind() || strcmp(KIT_SWITCH, "sigstack") == 0;
    long n = slow ? 100000 : 1000000;
    finished = 0;
    coro_spawn(one_after_another, (void *)(intptr_t)n);
    CU_ASSERT_EQUAL(coro_run(), 0);
    CU_ASSERT_EQUAL(finished, n);
    CU_ASSERT(memory_at[0] > 0);
    CU_ASSERT(memory_at[1] - memory_at[0] < 1024);  /* under 1 MiB more */
    CU_ASSERT(maps_at[1] - maps_at[0] <= 2);        /* no stacks kept */
}

/* ---- canaries ---------------------------------------------------- */

#define CANARY_STACK (36 * 1024)    /* a size no other test asks for */
#define SPAWNS_MAX   100000

static void nothing(void *arg)
{
    (void)arg;
}

static bool has_canary(int id)
{
    struct ctx_view v;
    if (id < 0 || kit_ctx_of(id) == NULL) {
        fprintf(stderr, "cannot spawn\n");
        _exit(1);
    }
    ctx_view(kit_ctx_of(id), &v);
    return v.stack.lo != NULL && v.stack.guard == NULL;
}

/* In a child: make the stacks of CANARY_STACK bytes made from now on
 * have canaries.  Play a kernel without guard regions; where the kernel
 * has none anyway (or after KIT_NO_GUARD_REGIONS=1), stacks get mappings
 * of their own, with guard pages, until a budget is spent: spend it, on
 * coroutines that do nothing when they run. */
static void canaries_from_now(void)
{
    guards_refuse(true);
    coro_stack_size(CANARY_STACK);
    for (int i = 0; i < SPAWNS_MAX; i++)
        if (has_canary(coro_spawn(nothing, NULL)))
            return;
    fprintf(stderr, "no canary after %d spawns\n", SPAWNS_MAX);
    _exit(1);
}

/* What an overflow would do: write over the bottom bytes of the stack
 * we run on (without really running off it, which would land in memory
 * that is nobody's). */
static void scribble_on_my_canary(const struct stack *s)
{
    if (s->guard != NULL) {
        fprintf(stderr, "not on a canary stack\n");
        return;
    }
    s->lo[3] ^= 0x5a;
}

static void scribbler(void *arg)
{
    struct stack s = kit_my_stack();
    (void)arg;
    scribble_on_my_canary(&s);
    coro_yield();
}

static void coroutine_over_its_canary(void *arg)
{
    (void)arg;
    canaries_from_now();
    coro_spawn(scribbler, NULL);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void running_over_a_canary_is_caught(void)
{
    char err[512];
    int status = cu_in_child(coroutine_over_its_canary, NULL, err,
                             sizeof err);
    CU_ASSERT(cu_aborted(status));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, " overflowed its 36 KiB stack (it "
                                       "went past the canary below it); "
                                       "give it more with "
                                       "coro_stack_size()"));
    CU_ASSERT_PTR_NULL(strstr(err, "not "));
}

static void dig_half(void *arg)
{
    (void)arg;
    if (kit_my_stack().guard != NULL)
        fprintf(stderr, "not on a canary stack\n");
    dig(CANARY_STACK / 1024 / 2);
    coro_yield();
    dig(CANARY_STACK / 1024 / 2);
}

static void canary_stacks_that_hold(void *arg)
{
    (void)arg;
    canaries_from_now();
    for (int i = 0; i < 100; i++)
        coro_spawn(dig_half, NULL);
    if (coro_run() != 0)
        fprintf(stderr, "coro_run failed\n");
}

static void a_canary_that_holds_says_nothing(void)
{
    char err[512];
    int status = cu_in_child(canary_stacks_that_hold, NULL, err,
                             sizeof err);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CU_ASSERT_STRING_EQUAL(err, "");
}

static void gen_scribbler(void *arg)
{
    struct ctx_view v;
    (void)arg;
    ctx_view(gen_running()->ctx, &v);
    scribble_on_my_canary(&v.stack);
    gen_yield(1);
}

static void generator_over_its_canary(void *arg)
{
    (void)arg;
    canaries_from_now();
    gen_stack_size(CANARY_STACK);
    gen *g = gen_new(gen_scribbler, NULL, "scribbler");
    gen_next(g, NULL);
    fprintf(stderr, "not stopped\n");
    gen_free(g);
}

/* gen.h: "A generator that runs past its stack is stopped with a
 * message that names it" - on a canary stack too. */
static void a_generator_over_a_canary_is_caught(void)
{
    char err[512];
    int status = cu_in_child(generator_over_its_canary, NULL, err,
                             sizeof err);
    CU_ASSERT(cu_aborted(status));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "generator \"scribbler\" "
                                       "overflowed its 36 KiB stack"));
    CU_ASSERT_PTR_NULL(strstr(err, "not "));
}

/* One that runs on past its canary, out of its slab, faults before
 * anybody could look at the canary: the report of the fault names it,
 * coroutine or generator (it died saying nothing before). */
#define FAR_PAST (4 * 1024)         /* KiB: more than a slab */

static void dig_far(void *arg)
{
    (void)arg;
    if (kit_my_stack().guard != NULL)
        fprintf(stderr, "not on a canary stack\n");
    dig(FAR_PAST);
}

static void coroutine_far_past_its_canary(void *arg)
{
    (void)arg;
    canaries_from_now();
    coro_spawn(dig_far, NULL);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void gen_dig_far(void *arg)
{
    struct ctx_view v;
    (void)arg;
    ctx_view(gen_running()->ctx, &v);
    if (v.stack.guard != NULL)
        fprintf(stderr, "not on a canary stack\n");
    dig(FAR_PAST);
    gen_yield(1);
}

static void generator_far_past_its_canary(void *arg)
{
    (void)arg;
    canaries_from_now();
    gen_stack_size(CANARY_STACK);
    gen *g = gen_new(gen_dig_far, NULL, "far");
    gen_next(g, NULL);
    fprintf(stderr, "not stopped\n");
}

/* who: "generator \"far\"", or "" for the coroutine, whose number
 * comes before " overflowed". */
static void check_far_past(void (*fn)(void *), const char *who)
{
    char err[512], says[160];
    int status = cu_in_child(fn, NULL, err, sizeof err);
    snprintf(says, sizeof says, "%s overflowed its 36 KiB stack (it went "
             "past the canary below it); give it more with ", who);
    bool ok = (cu_killed_by(status, SIGSEGV) || cu_aborted(status)) &&
              strstr(err, says) != NULL && strstr(err, "not ") == NULL;
    CU_ASSERT(ok);
    if (!ok)
        cu_tell(who[0] ? who : "a coroutine", status, err);
}

static void running_far_past_a_canary_is_caught(void)
{
    check_far_past(coroutine_far_past_its_canary, "");
    check_far_past(generator_far_past_its_canary, "generator \"far\"");
}

static const struct cu_test tests[] = {
    {"a hundred thousand at once", a_hundred_thousand_at_once, NULL},
    {"a long sequence stays flat", a_long_sequence_stays_flat, NULL},
    {"running over a canary is caught", running_over_a_canary_is_caught,
     needs_own_stacks},
    {"a canary that holds says nothing", a_canary_that_holds_says_nothing,
     needs_own_stacks},
    {"a generator over a canary is caught",
     a_generator_over_a_canary_is_caught, needs_own_stacks},
    {"running far past a canary is caught",
     running_far_past_a_canary_is_caught, needs_own_stacks},
    CU_TESTS_END,
};

void many_suites(void)
{
    cu_suite("very many coroutines", tests, NULL);
}
