/*
 * kit_coro.c - a stage's coroutines through coro.h alone, built once
 * for each stage and switch (bench/Makefile):
 *
 *     kit_coro yield          two coroutines hand the CPU to each other
 *                             with coro_yield: ns per hand-over
 *     kit_coro yield-deep KIB the same, each from KIB KiB down its stack
 *     kit_coro spawn N        spawn N empty coroutines, run them all to
 *                             their end: ns per coroutine
 *
 * A hand-over is one coro_yield: from the moment one coroutine yields
 * to the moment the other carries on, however many switches the stage
 * makes on the way (stages 1-3 pass through their run loop: two;
 * stages 4-5 hand the CPU straight over when nothing else waits: one).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "harness.h"

static struct plan plan;
static bool done;               /* the measuring coroutine has finished */
static long depth_kib;          /* how far down the stack to yield from */

static void yield_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        coro_yield();
}

/* Go kib KiB further down the stack, then do(what) from there. */
__attribute__((noinline))
static void from_deep(long kib, void (*what)(void))
{
    if (kib == 0) {
        what();
        return;
    }
    volatile char frame[1000];  /* a KiB with the frame's own words */
    frame[0] = (char)kib;
    from_deep(kib - 1, what);
    frame[1] = frame[0];        /* the frame stays live: no tail call */
}

static void measure_yields(void)
{
    same_fp_control();
    measure(&plan, yield_batch, NULL, 2);   /* each yield: there and back */
    done = true;
}

static void keep_yielding(void)
{
    same_fp_control();
    while (!done)
        coro_yield();
}

static void measurer(void *arg)
{
    (void)arg;
    from_deep(depth_kib, measure_yields);
}

static void partner(void *arg)
{
    (void)arg;
    from_deep(depth_kib, keep_yielding);
}

static void empty(void *arg) { (void)arg; }

static void spawn_batch(long iters, void *arg)
{
    long n = *(long *)arg;
    for (long i = 0; i < iters; i++) {
        for (long k = 0; k < n; k++)
            coro_spawn(empty, NULL);
        coro_run();
    }
}

int main(int argc, char **argv)
{
    int i = plan_parse(&plan, argc, argv);
    const char *what = argv[i];
    same_fp_control();
    if (strcmp(what, "yield") == 0 || strcmp(what, "yield-deep") == 0) {
        if (strcmp(what, "yield-deep") == 0)
            depth_kib = number_arg(argc, argv, i + 1, "KiB deep");
        coro_spawn(measurer, NULL);
        coro_spawn(partner, NULL);
        coro_run();
    } else if (strcmp(what, "spawn") == 0) {
        long n = number_arg(argc, argv, i + 1, "how many at once");
#ifdef CORO_MAX
        if (n > CORO_MAX) {
            char why[80];
            snprintf(why, sizeof why, "at most CORO_MAX = %d alive at once",
                     CORO_MAX);
            skip(why);
        }
#endif
        measure(&plan, spawn_batch, &n, n);
    } else {
        fprintf(stderr, "kit_coro: no such measurement: %s\n", what);
        return 2;
    }
    return 0;
}
