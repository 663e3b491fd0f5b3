/*
 * probe_coro.c - coro.h of stages 1 to 3: spawn, yield, exit, self,
 * run, and (stages 2 and 3) coro_stack_size, fed boundary and misuse
 * inputs.  Every function runs in a fresh child (see harness.c).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "probe.h"

static int ran, turns;
static void *seen_arg;

static void count_run(void *arg)
{
    seen_arg = arg;
    ran++;
}

static void count_turns(void *arg)
{
    long rounds = (long)(intptr_t)arg;
    for (long i = 0; i < rounds; i++) {
        turns++;
        coro_yield();
    }
}

/* ---- coro_spawn --------------------------------------------------------- */

static void spawn_null(long arg)
{
    (void)arg;
    must(coro_spawn(NULL, NULL) == -1, "coro_spawn(NULL) did not give -1");
    must(coro_run() == 0, "coro_run after a refused spawn");
}

static void spawn_arg(long arg)
{
    void *given = (void *)(uintptr_t)arg;
    must(coro_spawn(count_run, given) > 0, "coro_spawn refused");
    must(coro_run() == 0 && ran == 1, "the coroutine did not run once");
    must(seen_arg == given, "arg %p came as %p", given, seen_arg);
}

static void spawn_one_too_many(long arg)
{
    (void)arg;
    int last = 0;
    for (int i = 0; i < CORO_MAX; i++) {
        int id = coro_spawn(count_run, NULL);
        must(id > last, "spawn %d gave id %d after %d", i, id, last);
        last = id;
    }
    must(coro_spawn(count_run, NULL) == -1, "spawn %d was not refused",
         CORO_MAX + 1);
    must(coro_run() == 0 && ran == CORO_MAX, "%d of %d ran", ran,
         CORO_MAX);
}

static void spawner(void *arg)
{
    long more = (long)(intptr_t)arg;
    for (long i = 0; i < more; i++)
        coro_spawn(count_run, NULL);
}

static void spawn_inside(long arg)
{
    coro_spawn(spawner, (void *)(intptr_t)arg);
    must(coro_run() == 0, "coro_run failed");
    must(ran == (arg < CORO_MAX ? arg : CORO_MAX - 1), "%d spawned from "
         "a coroutine ran", ran);
}

static void ids_never_reused(long arg)
{
    (void)arg;
    int last = 0;
    for (int round = 0; round < 63; round++) {
        for (int i = 0; i < CORO_MAX; i++) {
            int id = coro_spawn(count_run, NULL);
            must(id > last, "id %d came after %d", id, last);
            last = id;
        }
        must(coro_run() == 0, "run %d failed", round);
    }
    must(ran == 63 * CORO_MAX, "%d ran", ran);
}

/* ---- coro_yield, coro_exit, coro_self ----------------------------------- */

static void yield_outside(long arg)
{
    (void)arg;
    coro_yield();
}

static void exit_outside(long arg)
{
    (void)arg;
    coro_exit();
}

static void many_yields(long arg)
{
    arg = probe_scaled(arg);
    for (int i = 0; i < 3; i++)
        coro_spawn(count_turns, (void *)(intptr_t)arg);
    must(coro_run() == 0 && turns == 3 * arg, "%d turns of %ld", turns,
         3 * arg);
}

__attribute__((noinline)) static long deep(int depth, long value, bool quit)
{
    volatile long here = value * 31 + depth;
    if (depth > 0) {
        long below = deep(depth - 1, value, quit);
        return below + here;
    }
    if (quit)
        coro_exit();
    coro_yield();
    return here;
}

static long deep_results[2];

static void deep_yielder(void *arg)
{
    int me = (int)(intptr_t)arg;
    deep_results[me] = deep(200, me + 1, false);
}

static void yield_deep(long arg)
{
    (void)arg;
    coro_spawn(deep_yielder, (void *)0);
    coro_spawn(deep_yielder, (void *)1);
    must(coro_run() == 0, "coro_run failed");
    long want[2] = {0, 0};
    for (int me = 0; me < 2; me++)
        for (int d = 0; d <= 200; d++)
            want[me] += (me + 1) * 31L + d;
    must(deep_results[0] == want[0] && deep_results[1] == want[1],
         "locals changed across yields: %ld %ld", deep_results[0],
         deep_results[1]);
}

static void *volatile escaped;

static void big_locals(void *arg)
{
    size_t n = (size_t)(uintptr_t)arg;
    unsigned char *block = __builtin_alloca(n);
    escaped = block;
    memset(block, coro_self(), n);
    coro_yield();
    for (size_t i = 0; i < n; i++)
        must(block[i] == (unsigned char)coro_self(), "byte %zu of the "
             "locals of coro %d changed", i, coro_self());
    escaped = NULL;
}

static void yield_big_locals(long arg)
{
    coro_spawn(big_locals, (void *)(intptr_t)arg);
    coro_spawn(big_locals, (void *)(intptr_t)arg);
    must(coro_run() == 0, "coro_run failed");
}

static int after_exit;

static void exit_deep(void *arg)
{
    (void)arg;
    deep(200, 1, true);
    after_exit = 1;
}

static void exit_from_deep(long arg)
{
    (void)arg;
    coro_spawn(exit_deep, NULL);
    coro_spawn(count_turns, (void *)3);
    must(coro_run() == 0 && !after_exit && turns == 3, "after coro_exit: "
         "%d, turns %d", after_exit, turns);
}

static void exit_at_once(void *arg)
{
    (void)arg;
    coro_exit();
}

static void exit_first(long arg)
{
    (void)arg;
    coro_spawn(exit_at_once, NULL);
    must(coro_run() == 0, "coro_run failed");
}

static int self_seen;

static void note_self(void *arg)
{
    (void)arg;
    coro_yield();
    self_seen = coro_self();
}

static void self_inside(long arg)
{
    (void)arg;
    must(coro_self() == 0, "coro_self() outside is %d", coro_self());
    int id = coro_spawn(note_self, NULL);
    coro_run();
    must(self_seen == id, "coro_self() said %d in coro %d", self_seen, id);
    must(coro_self() == 0, "coro_self() after coro_run is %d",
         coro_self());
}

/* ---- coro_run ----------------------------------------------------------- */

static void run_nothing(long arg)
{
    for (long i = 0; i < arg; i++)
        must(coro_run() == 0, "coro_run %ld with nothing to run", i);
}

static int inner_result = 1;

static void run_inside(void *arg)
{
    (void)arg;
    inner_result = coro_run();
    ran++;
}

static void run_from_inside(long arg)
{
    (void)arg;
    coro_spawn(run_inside, NULL);
    must(coro_run() == 0, "coro_run failed");
    must(inner_result == -1 && ran == 1, "coro_run inside gave %d",
         inner_result);
}

static void run_again(long arg)
{
    (void)arg;
    coro_spawn(count_turns, (void *)3);
    coro_run();
    coro_spawn(count_turns, (void *)3);
    must(coro_run() == 0 && turns == 6, "%d turns", turns);
}

/* ---- the stacks --------------------------------------------------------- */

#if PROBE_STAGE == 1
static void overrun_slice(void *arg)
{
    (void)arg;
    probe_culprit("coro %d", coro_self());
    probe_dig(CORO_SLICE_SIZE / 1024 + 8);
}

static void runaway(void *arg)
{
    (void)arg;
    probe_culprit("coro %d", coro_self());
    probe_dig(16 * 1024);
}

static void overrun(long arg)
{
    coro_spawn(arg ? runaway : overrun_slice, NULL);
    coro_spawn(count_turns, (void *)3);
    coro_run();
}
#else
#ifndef PROBE_COPY  /* copy mode carves its one stack out of main's */
static void big_frame_in_stack(long arg)
{
    (void)arg;
    coro_stack_size(64 * 1024);
    probe_duel(64 * 1024, CORO_MAX - 2);
}
#endif

static uintptr_t main_local;    /* an address on main's stack */
static bool on_main_stack;      /* did a coroutine run just below it? */

static void dig_some(void *arg)
{
    char here;
    uintptr_t below = main_local - (uintptr_t)&here;
    on_main_stack = below < 1024 * 1024;    /* (mapped stacks are far
                                               away, or above it) */
    probe_dig((int)(intptr_t)arg);
    ran = 1;
}

/* A stack of arg bytes, then a coroutine that uses 8 KiB of it, on a
 * stack of its own (but in copy mode, which carves its one stack out
 * of main's). */
static void stack_size_then_use(long arg)
{
    char here;
    main_local = (uintptr_t)&here;
    coro_stack_size((size_t)arg);
    if (coro_spawn(dig_some, (void *)8) < 0)
        refused();
    if (coro_run() != 0)
        refused();
    must(ran, "the coroutine did not run");
#ifndef PROBE_COPY
    must(!on_main_stack, "the coroutine ran on main's stack");
#endif
}

static void stack_size_then_dig(long arg)
{
    coro_stack_size((size_t)32 << 20);
    if (coro_spawn(dig_some, (void *)(intptr_t)arg) < 0)
        refused();
    if (coro_run() != 0)
        refused();
    must(ran, "the coroutine did not run");
}

/* The culprit is noted before it runs: on a stack of 16 KiB with a
 * signal frame at its top (sigstack; big on aarch64), a line printed
 * from the coroutine could be what runs off its end. */
static void overflow_it(void *arg)
{
    (void)arg;
    probe_dig(64);
}

static void overflow_small(long arg)
{
    (void)arg;
    coro_stack_size(16 * 1024);
    probe_culprit("coro %d", coro_spawn(overflow_it, NULL));
    coro_run();
}

static void size_holds_from_spawn(long arg)
{
    (void)arg;
    coro_stack_size(64 * 1024);
    coro_spawn(dig_some, (void *)40);
    coro_stack_size(16 * 1024);         /* for later spawns */
    must(coro_run() == 0 && ran, "the coroutine did not finish");
}

/* ---- the program's signals ---------------------------------------------- */

static void own_handler(int sig)
{
    (void)sig;
}

static void sigusr1_blocked(long arg)
{
    (void)arg;
    sigset_t usr1, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    coro_spawn(count_turns, (void *)3);
    must(coro_run() == 0 && turns == 3, "%d turns", turns);
    sigprocmask(SIG_BLOCK, NULL, &now);
    must(sigismember(&now, SIGUSR1), "SIGUSR1 is no longer blocked");
}

static void own_sigusr1(long arg)
{
    (void)arg;
    struct sigaction own = {.sa_handler = own_handler}, after;
    sigaction(SIGUSR1, &own, NULL);
    coro_spawn(count_turns, (void *)3);
    must(coro_run() == 0 && turns == 3, "%d turns", turns);
    sigaction(SIGUSR1, NULL, &after);
    must(after.sa_handler == own_handler, "the program's SIGUSR1 handler "
         "was replaced");
}

static char own_stack[64 * 1024];

static void own_segv(int sig)
{
    (void)sig;
    _exit(7);                   /* the program's own way out */
}

static void handle_segv_ourselves(void)
{
    stack_t own = {.ss_sp = own_stack, .ss_size = sizeof own_stack};
    struct sigaction handler = {.sa_handler = own_segv,
                                .sa_flags = SA_ONSTACK};
    sigaltstack(&own, NULL);
    sigaction(SIGSEGV, &handler, NULL);
}

static void own_segv_kept(long arg)
{
    (void)arg;
    stack_t now;
    struct sigaction after;
    handle_segv_ourselves();
    coro_spawn(count_turns, (void *)3);
    coro_run();
    sigaltstack(NULL, &now);
    sigaction(SIGSEGV, NULL, &after);
    must(after.sa_handler == own_segv, "coro_run left its own SIGSEGV "
         "handler in place of the program's");
    must(now.ss_sp == own_stack, "coro_run left its own alternate signal "
         "stack in place of the program's");
}

static void own_segv_then_overflow(long arg)
{
    handle_segv_ourselves();
    overflow_small(arg);
}
#endif

const struct probe coro_probes[] = {
    {"coro_spawn", "fn NULL", spawn_null, SAYS, "coro_spawn: ", 0, 0},
    {"coro_spawn", "arg NULL", spawn_arg, WORKS, NULL, 0, 0},
    {"coro_spawn", "arg (void *)UINTPTR_MAX", spawn_arg, WORKS, NULL, 0,
     (long)UINTPTR_MAX},
    {"coro_spawn", "one more than CORO_MAX alive", spawn_one_too_many,
     SAYS, "coro_spawn: ", 0, 0},
    {"coro_spawn", "from a coroutine", spawn_inside, WORKS, NULL, 0, 3},
    {"coro_spawn", "from a coroutine, past CORO_MAX", spawn_inside, SAYS,
     "coro_spawn: ", 0, CORO_MAX},
    {"coro_spawn", "63 runs of CORO_MAX: ids never reused",
     ids_never_reused, WORKS, NULL, 0, 0},
    {"coro_yield", "outside a coroutine", yield_outside, ABORTS,
     "coro_yield: ", 0, 0},
    {"coro_yield", "10,000 times in each of 3", many_yields, WORKS, NULL,
     0, 10000},
    {"coro_yield", "200 calls deep, locals kept", yield_deep, WORKS, NULL,
     0, 0},
    {"coro_yield", "with 32 KiB of locals live", yield_big_locals, WORKS,
     NULL, 0, 32 * 1024},
    {"coro_exit", "outside a coroutine", exit_outside, ABORTS,
     "coro_exit: ", 0, 0},
    {"coro_exit", "200 calls deep", exit_from_deep, WORKS, NULL, 0, 0},
    {"coro_exit", "first thing", exit_first, WORKS, NULL, 0, 0},
    {"coro_self", "outside, inside, after", self_inside, WORKS, NULL, 0, 0},
    {"coro_run", "nothing spawned", run_nothing, WORKS, NULL, 0, 1},
    {"coro_run", "three times, nothing spawned", run_nothing, WORKS, NULL,
     0, 3},
    {"coro_run", "from a coroutine", run_from_inside, SAYS, "coro_run: ",
     0, 0},
    {"coro_run", "again after new spawns", run_again, WORKS, NULL, 0, 0},
#if PROBE_STAGE == 1
    {"coro_run", "a coroutine 8 KiB past its slice", overrun, OVERFLOWS,
     NULL, 0, 0},
    {"coro_run", "a runaway recursion of 16 MiB", overrun, OVERFLOWS, NULL,
     12, 1},
    /* No frame that skips a slice's paint: stage 1 has no guard page to
     * catch one, and its ctx.h says so (issue 9, defect 4). */
#else
#ifndef PROBE_COPY  /* copy mode carves its one stack out of main's */
    {"coro_run", "an 8 KiB frame at the end of a stack",
     big_frame_in_stack, OVERFLOWS, NULL, 4, 0},
#endif
    {"coro_run", "SIGUSR1 blocked by the program", sigusr1_blocked, WORKS,
     NULL, 5, 0},
    {"coro_run", "the program's own SIGUSR1 handler", own_sigusr1, WORKS,
     NULL, 0, 0},
    {"coro_run", "the program's own SIGSEGV handler and stack",
     own_segv_kept, WORKS, NULL, 13, 0},
    {"coro_run", "an overflow, with the program's own SIGSEGV handler",
     own_segv_then_overflow, OVERFLOWS, NULL, 13, 0},
    {"coro_stack_size", "0", stack_size_then_use, WORKS, NULL, 0, 0},
    {"coro_stack_size", "1", stack_size_then_use, WORKS, NULL, 0, 1},
    {"coro_stack_size", "16 KiB - 1", stack_size_then_use, WORKS, NULL, 0,
     16 * 1024 - 1},
    {"coro_stack_size", "SIZE_MAX", stack_size_then_use, REFUSES,
     "coro_spawn: |coro_stack_size: |coro_run: ", 6, (long)SIZE_MAX},
    {"coro_stack_size", "SIZE_MAX - 4095", stack_size_then_use, REFUSES,
     "coro_spawn: |coro_stack_size: |coro_run: ", 6,
     (long)(SIZE_MAX - 4095)},
    {"coro_stack_size", "SIZE_MAX / 2 + 1", stack_size_then_use, REFUSES,
     "coro_spawn: |coro_stack_size: |coro_run: ", 6,
     (long)(SIZE_MAX / 2 + 1)},
    /* more than the most a stack may have: said, and the size stays */
    {"coro_stack_size", "1 TiB", stack_size_then_use, SAYS,
     "coro_stack_size: ", 7, 1L << 40},
    {"coro_stack_size", "32 MiB, 1 MiB of it used", stack_size_then_dig,
     EITHER, "coro_spawn: |coro_stack_size: |coro_run: ", 7, 1024},
    {"coro_stack_size", "16 KiB, 64 KiB of recursion", overflow_small,
     OVERFLOWS, NULL, 0, 0},
    {"coro_stack_size", "64 KiB at spawn, 16 KiB after; 40 KiB used",
     size_holds_from_spawn, WORKS, NULL, 7, 0},
#endif
    {NULL, NULL, NULL, WORKS, NULL, 0, 0},
};
