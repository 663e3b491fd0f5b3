/*
 * demo.c - generators: coroutines that hand values to whoever asks.
 *
 *     ./demo              the numbers, then same fringe
 *     ./demo --numbers    main takes numbers from a generator, in a loop
 *     ./demo --fringe     same fringe: two tree walks, side by side
 *     ./demo --overflow   a generator digs past the bottom of its stack
 *     ./demo --bench      how long a switch takes (as in stage 2)
 *     ./demo --cost       what a switch costs: system calls, and time
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "coro.h"
#include "ctx.h"
#include "fringe.h"
#include "gen.h"
#include "syscount.h"
#include "trace.h"

/* Draw at switches only while show is true, and only if CORO_TRACE
 * asked for drawings at all: one value's switches tell the story, and
 * a projector holds a handful of drawings, not dozens. */
static void draw_switches(bool show)
{
    const char *v = getenv("CORO_TRACE");
    trace_enable(show && v != NULL && *v != '\0' && strcmp(v, "0") != 0);
}

static int made;                /* generators made so far */

/* What the switches so far cost in system calls: swapcontext (and
 * setcontext, for uc_link) makes one rt_sigprocmask call a switch, to
 * set the signal mask; getcontext in gen_new() makes one to read it. */
static void say_switches(void)
{
    printf("main: %lu switches (swapcontext) + %d generator%s made "
           "(getcontext)\n      = %lu rt_sigprocmask system calls; "
           "make stage-3 STRACE=1 counts them\n", ctx_switches(), made,
           made == 1 ? "" : "s", ctx_switches() + (unsigned long)made);
}

/* ---- (a) numbers ------------------------------------------------ */

/* Hand out the numbers range[0] .. range[1], one per gen_next(). */
KEEP_FRAME static void count(void *range)
{
    const long *from_to = range;
    for (long n = from_to[0]; n <= from_to[1]; n++)
        gen_yield(n);
}

KEEP_FRAME static void numbers(void)
{
    printf("\n== a generator of numbers, consumed in a loop\n");
    long range[2] = {1, 5};
    gen *g = gen_new(count, range, "count");
    made++;
    long n;
    while (gen_next(g, &n)) {
        printf("main: got %ld\n", n);
        draw_switches(n == range[1]);   /* the first value, the end */
    }
    draw_switches(false);
    trace_stacks("gen_next() said false: count has finished");
    gen_free(g);
    say_switches();
}

/* ---- (b) same fringe -------------------------------------------- */

/* Draw at this step of the comparison; 0: where the leaves differ. */
static int draw_at;

KEEP_FRAME static void show_step(int step, const long *a, const long *b)
{
    if (a == NULL || b == NULL) {
        printf("step %d: %s\n", step, a ? "the second tree has no more"
               : b ? "the first tree has no more" : "neither tree has more");
        return;
    }
    printf("step %d: %ld and %ld%s\n", step, *a, *b,
           *a == *b ? "" : ": they differ, stop");
    if (step == draw_at)
        trace_stacks("step %d: each walk stopped at its leaf %ld", step,
                     *a);
    if (draw_at == 0 && *a != *b)
        trace_stacks("step %d: %ld and %ld differ; nobody walks on",
                     step, *a, *b);
}

KEEP_FRAME static void compare(const char *first, const char *second,
                               int draw_step)
{
    struct tree *a = tree_parse(first), *b = tree_parse(second);
    printf("\nfirst tree:  %s\nsecond tree: %s\n", first, second);
    draw_at = draw_step;
    bool same = same_fringe(a, b, show_step);
    made += 2;                          /* one walk for each tree */
    printf("same fringe: %s\n", same ? "yes" : "no");
    tree_free(a);
    tree_free(b);
}

KEEP_FRAME static void fringe(void)
{
    printf("\n== same fringe: the same leaves in the same order?\n");
    draw_switches(false);
    compare("(((1 2) 3) (4 5))", "(1 ((2 3) (4 5)))", 1);
    compare("(((1 2) 3) (4 (5 6)))", "(1 ((2 9) ((4 5) 6)))", 0);
    printf("main: the walks stopped at the difference were freed as "
           "they were,\n      their walk() frames abandoned\n");
    say_switches();
}

/* ---- running off the stack ------------------------------------- */

static char *volatile dug;      /* so that each block must really exist */

/* 1 KiB of locals per call: enough calls run past any stack. */
KEEP_FRAME static int dig(int calls)
{
    char block[1024];
    dug = block;
    memset(block, calls, sizeof block);
    if (calls > 0)
        return dig(calls - 1) + block[calls % sizeof block];
    return block[0];
}

KEEP_FRAME static void digger(void *arg)
{
    (void)arg;
    printf("digger: digs %d KiB deep, past its %d KiB stack\n",
           GEN_STACK_SIZE / 1024 + 16, GEN_STACK_SIZE / 1024);
    gen_yield(dig(GEN_STACK_SIZE / 1024 + 16));
}

KEEP_FRAME static void overflow(void)
{
    gen *g = gen_new(digger, NULL, "digger");
    gen_next(g, NULL);
    printf("not reached\n");
}

/* ---- the cost of a switch --------------------------------------- */

/* Two coroutines yield to each other (through the run loop) a million
 * times: four switches per round.  Not a benchmark to publish; enough
 * to compare with stage 2's modes. */
#define ROUNDS 1000000

static void yield_a_lot(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS / 2; i++)
        coro_yield();
}

static void bench(void)
{
    trace_enable(false);
    struct timespec t0, t1;
    coro_spawn(yield_a_lot, NULL);
    coro_spawn(yield_a_lot, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    coro_run();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
    printf("%s mode: %d switches, %.0f ns each\n", ctx_mode, 2 * ROUNDS,
           ns / (2 * ROUNDS));
}

#define COUNTED 1000            /* values taken under the system call
                                   counter, which slows each call */

KEEP_FRAME static void forever(void *arg)
{
    (void)arg;
    for (long n = 0;; n++)
        gen_yield(n);
}

static void take(void *g)
{
    for (int i = 0; i < COUNTED; i++)
        gen_next(g, NULL);
}

/* The time of one rt_sigprocmask system call on its own. */
static double sigprocmask_ns(void)
{
    sigset_t mask;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < ROUNDS; i++)
        sigprocmask(SIG_BLOCK, NULL, &mask);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
           ROUNDS;
}

/* Count the system calls of COUNTED values' switches, and time them. */
static void cost(void)
{
    gen *g = gen_new(forever, NULL, "forever");
    gen_next(g, NULL);                  /* started: round trips only */
    long calls = syscalls_made(SYS_rt_sigprocmask, take, g);
    gen_free(g);
    printf("\n== what a switch costs, measured here\n");
    if (calls < 0)
        printf("system calls: not countable here (valgrind, qemu-user, "
               "or no ptrace)\n");
    else
        printf("%d values taken: %d switches, %ld rt_sigprocmask system "
               "calls\n", COUNTED, 2 * COUNTED, calls);
    printf("one rt_sigprocmask system call alone: %.0f ns\n",
           sigprocmask_ns());
    bench();
}

int main(int argc, char **argv)
{
    const char *flag = argc > 1 ? argv[1] : "";
    if (strcmp(flag, "--overflow") == 0)
        overflow();
    else if (strcmp(flag, "--cost") == 0)
        cost();
    else if (strcmp(flag, "--bench") == 0)
        bench();
    else if (strcmp(flag, "--fringe") == 0)
        fringe();
    else if (strcmp(flag, "--numbers") == 0)
        numbers();
    else {
        numbers();
        fringe();
    }
    return 0;
}
