/*
 * demo.c - the talk's picture, live: two coroutines on the one stack.
 *
 *     coro1() calls foo() calls bar() calls coro_yield()
 *     coro2() calls bah() calls bam() calls coro_yield()
 *
 * and later bam() calls printf() on coro 2's own slice.
 *
 *     ./demo              the two coroutines, taking turns
 *     ./demo --overflow   coro 1 digs past the bottom of its slice
 */
#include <stdio.h>
#include <string.h>

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
    trace_stacks("bam() is about to call printf() on slice 2");
    printf("%s: printf() ran on my own slice\n", who);
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

/* 1 KiB of locals per call: enough calls run past any slice. */
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
    coro_yield();               /* let coro 2 put its frames below us */
    printf("coro 1: digs %d KiB deep, past its %d KiB slice\n",
           CORO_SLICE_SIZE / 1024 + 16, CORO_SLICE_SIZE / 1024);
    dig(CORO_SLICE_SIZE / 1024 + 16);
}

int main(int argc, char **argv)
{
    bool overflow = argc > 1 && strcmp(argv[1], "--overflow") == 0;
    coro_spawn(overflow ? digger : coro1, "coro 1");
    coro_spawn(coro2, "coro 2");
    coro_run();
    puts("main: every coroutine has finished");
    return 0;
}
