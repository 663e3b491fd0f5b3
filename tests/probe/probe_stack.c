/*
 * probe_stack.c - what the stack probes of every stage share: digging
 * deep, and a frame larger than a guard page at the end of a stack.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "probe.h"

static void *volatile escaped;  /* what the compiler must not keep in
                                   registers: another may change it */

/* Every byte of every block is written (the empty asm keeps the memset
 * from a compiler that sees the whole program: see tests/lib/overflow.c). */
__attribute__((noinline)) int probe_dig(int kib)
{
    char block[1024];
    escaped = block;
    memset(block, kib, sizeof block);
    __asm__ volatile("" : : "r"(block) : "memory");
    int below = kib > 0 ? probe_dig(kib - 1) : 0;
    escaped = NULL;
    return below + block[kib % sizeof block];
}

/* ---- a frame that jumps the guard --------------------------------------- */

#define MARK_BYTES (8 * 1024)   /* the victim's frame near its top */
#define BIG_FRAME  (8 * 1024)   /* more than a guard page */

static struct {
    size_t    stack_bytes;      /* each duelist's stack (or slice) */
    uintptr_t top[2];           /* near the top of each one's stack */
    int       id[2];
    int       struck;           /* has the attacker called big_frame? */
} duel;

/* Holds a painted frame until the attacker has struck, then looks:
 * is the paint intact?  (It says so after its frame is gone: a line on
 * stderr takes more stack than is left beside the paint.) */
__attribute__((noinline)) static bool victim(void)
{
    unsigned char mark[MARK_BYTES];
    memset(mark, 0x5a, sizeof mark);
    escaped = mark;
    for (int turns = 0; !duel.struck && turns < 10; turns++)
        coro_yield();
    size_t intact = 0;
    while (intact < sizeof mark && mark[intact] == 0x5a)
        intact++;
    escaped = NULL;
    return intact == sizeof mark;
}

/* An ordinary function with a big array, which writes its far end
 * first, as any loop that fills it from index 0 does. */
__attribute__((noinline)) static void big_frame(void)
{
    char big[BIG_FRAME];
    escaped = big;
    memset(big, 0xa5, 1024);
    escaped = NULL;
}

/* Go down the stack until about 2.5 KiB are left above lo, its end,
 * then call big_frame(), whose array reaches below that end. */
__attribute__((noinline)) static void descend(uintptr_t lo)
{
    char pad[256];
    escaped = pad;
    if ((intptr_t)((uintptr_t)pad - lo) > 3 * 1024)
        descend(lo);
    else
        big_frame();
    escaped = NULL;
}

/* Two coroutines with stacks side by side (in whichever order the
 * library made them): the one above strikes the one below. */
static void duelist(void *arg)
{
    int me = (int)(intptr_t)arg;
    char top;
    duel.top[me] = (uintptr_t)&top;
    coro_yield();               /* both know where they are */
    if (duel.top[me] < duel.top[1 - me]) {
        must(victim(), "a frame of coro %d was overwritten by its "
             "neighbour's, and nobody noticed", coro_self());
        return;
    }
    probe_culprit("coro %d", coro_self());
    coro_yield();               /* the victim paints its frame */
    descend(duel.top[me] - duel.stack_bytes);
    duel.struck = 1;
}

void probe_duel(size_t stack_bytes, long fillers)
{
    duel.stack_bytes = stack_bytes;
    for (long i = 0; i < fillers; i++)
        must(coro_spawn(probe_nothing, NULL) > 0, "a filler refused");
    duel.id[0] = coro_spawn(duelist, (void *)0);
    duel.id[1] = coro_spawn(duelist, (void *)1);
    coro_run();
}

void probe_nothing(void *arg)
{
    (void)arg;
}
