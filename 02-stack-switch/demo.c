/*
 * demo.c - the talk's picture, live: two coroutines, each with a stack.
 *
 *     coro1() calls foo() calls bar() calls coro_yield()
 *     coro2() calls bah() calls bam() calls coro_yield()
 *
 * and later bam() calls printf() on coro 2's own stack.
 *
 *     ./demo              the two coroutines, taking turns
 *     ./demo --overflow   coro 1 digs past the bottom of its stack
 *     ./demo --dangling   coro 2 reads coro 1's local through a pointer
 *     ./demo --bench      how long a switch takes in this mode
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "coro.h"
#include "show.h"
#include "trace/trace.h"

KEEP_FRAME static void bar(const char *who)
{
    printf("%s: bar() yields\n", who);
    coro_yield();
    printf("%s: back in bar()\n", who);
}

KEEP_FRAME static void foo(const char *who)
{
    bar(who);
}

KEEP_FRAME static void coro1(void *arg)
{
    printf("%s: starts, calls foo()\n", (const char *)arg);
    foo(arg);
    printf("%s: returns, and so finishes\n", (const char *)arg);
}

KEEP_FRAME static void bam(const char *who)
{
    printf("%s: bam() yields\n", who);
    coro_yield();
    trace_stacks("bam() is about to call printf() on coro 2's stack");
    printf("%s: printf() ran on my stack\n", who);
}

KEEP_FRAME static void bah(const char *who)
{
    bam(who);
}

KEEP_FRAME static void coro2(void *arg)
{
    printf("%s: starts, calls bah()\n", (const char *)arg);
    bah(arg);
    printf("%s: returns, and so finishes\n", (const char *)arg);
}

static char *volatile dug;      /* so that each block must really exist */

/* 1 KiB of locals per call: enough calls run past any stack. */
KEEP_FRAME static int dig(int calls)
{
    char block[1024];
    dug = block;
    memset(block, calls, sizeof block);
    if (calls > 0)
        return dig(calls - 1) + block[calls % sizeof block];
    coro_yield();               /* the bottom: let the tracer look */
    return block[0];
}

KEEP_FRAME static void digger(void *arg)
{
    (void)arg;
    coro_yield();               /* let coro 2 start too */
    printf("coro 1: digs %d KiB deep, past its %d KiB stack\n",
           CORO_STACK_SIZE / 1024 + 16, CORO_STACK_SIZE / 1024);
    dig(CORO_STACK_SIZE / 1024 + 16);
}

/* A pointer to a local, kept across a yield.  Both coroutines run the
 * same function, so its local sits at the same depth on their stacks. */
static volatile int *lent;

KEEP_FRAME static void twin(const char *who, int value, bool lend)
{
    volatile int mine = value;
    printf("%s: my local holds %d\n", who, mine);
    if (lend) {
        lent = &mine;
        printf("%s: I lend its address, and yield\n", who);
        coro_yield();
        printf("%s: back, and my local holds %d\n", who, mine);
        return;
    }
    printf("%s: through coro 1's pointer I read %d: %s\n", who, *lent,
           lent == &mine ? "my own local, not coro 1's!"
                         : "coro 1's local, on coro 1's stack");
    trace_stacks("coro 2 has read through coro 1's pointer");
}

KEEP_FRAME static void lender(void *arg)
{
    (void)arg;
    twin("coro 1", 42, true);
}

KEEP_FRAME static void borrower(void *arg)
{
    (void)arg;
    twin("coro 2", 7, false);
}

/* Two coroutines yield to each other (through the run loop) a million
 * times: four switches per round.  Not a benchmark to publish; enough
 * to compare the modes. */
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
    printf("%d switches, %.0f ns each\n", 2 * ROUNDS, ns / (2 * ROUNDS));
}

int main(int argc, char **argv)
{
    const char *flag = argc > 1 ? argv[1] : "";
    if (strcmp(flag, "--bench") == 0) {
        bench();
        return 0;
    }
    if (strcmp(flag, "--dangling") == 0) {
        coro_spawn(lender, NULL);
        coro_spawn(borrower, NULL);
    } else {
        coro_spawn(strcmp(flag, "--overflow") == 0 ? digger : coro1,
                   "coro 1");
        coro_spawn(coro2, "coro 2");
    }
    coro_run();
    puts("main: every coroutine has finished");
    return 0;
}
