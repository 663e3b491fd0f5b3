/*
 * probe_coro.c - coro.h of stages 1 to 3, where it has room for
 * CORO_MAX coroutines: spawn, yield, exit, self, run, and (stages 2
 * and 3) coro_stack_size, fed the boundary and misuse inputs that are
 * theirs alone.  The inputs every stage is fed are in probe_common.c.
 * Every function runs in a fresh child (see harness.c).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "coro.h"
#include "probe.h"
#include "probe_common.h"

/* ---- coro_spawn --------------------------------------------------------- */

static void spawn_one_too_many(long arg)
{
    (void)arg;
    spawn_in_order(CORO_MAX);
    must(coro_spawn(count_run, NULL) == -1, "spawn %d was not refused",
         CORO_MAX + 1);
    must(coro_run() == 0 && ran == CORO_MAX, "%d of %d ran", ran,
         CORO_MAX);
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

/* Calls itself depth deep, each frame with a local that depends on
 * value, yields from the deepest, and adds them all up on the way back:
 * a sum that is right only if every frame kept its local. */
__attribute__((noinline)) static long deep(int depth, long value)
{
    volatile long here = value * 31 + depth;
    if (depth > 0) {
        long below = deep(depth - 1, value);
        return below + here;
    }
    coro_yield();
    return here;
}

static long deep_results[2];

static void deep_yielder(void *arg)
{
    int me = (int)(intptr_t)arg;
    deep_results[me] = deep(200, me + 1);
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

/* Here coro_self() must also be 0 again once coro_run has returned. */
static void self_inside_and_after(long arg)
{
    self_inside(arg);
    must(coro_self() == 0, "coro_self() after coro_run is %d",
         coro_self());
}

/* ---- coro_run ----------------------------------------------------------- */

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
#endif

const struct probe coro_probes[] = {
    {"coro_spawn", "one more than CORO_MAX alive", spawn_one_too_many,
     SAYS, "coro_spawn: ", 0, 0},
    {"coro_spawn", "from a coroutine", spawn_inside, WORKS, NULL, 0, 3},
    {"coro_spawn", "from a coroutine, past CORO_MAX", spawn_inside, SAYS,
     "coro_spawn: ", 0, CORO_MAX},
    {"coro_spawn", "63 runs of CORO_MAX: ids never reused",
     ids_never_reused, WORKS, NULL, 0, 0},
    {"coro_yield", "200 calls deep, locals kept", yield_deep, WORKS, NULL,
     0, 0},
    {"coro_yield", "with 32 KiB of locals live", yield_big_locals, WORKS,
     NULL, 0, 32 * 1024},
    {"coro_exit", "first thing", exit_first, WORKS, NULL, 0, 0},
    {"coro_self", "outside, inside, after", self_inside_and_after, WORKS,
     NULL, 0, 0},
    {"coro_run", "nothing spawned", run_nothing, WORKS, NULL, 0, 1},
    {"coro_run", "three times, nothing spawned", run_nothing, WORKS, NULL,
     0, 3},
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
    {"coro_run", "the program's own SIGUSR1 handler", own_sigusr1, WORKS,
     NULL, 0, 0},
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
    {"coro_stack_size", "64 KiB at spawn, 16 KiB after; 40 KiB used",
     size_holds_from_spawn, WORKS, NULL, 7, 0},
#endif
    {NULL, NULL, NULL, WORKS, NULL, 0, 0},
};
