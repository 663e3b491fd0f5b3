/*
 * swap_pair.h - two contexts handing the CPU to each other with a
 * routine shaped as the stages' ctx_swap, measured the two ways
 * BENCHMARKS.md describes: both switching from one call, as every
 * switch in the kit is made (the one call in ctx_switch), and each from
 * a call of its own.  The processor guesses where a `ret` goes from the
 * calls it saw, so for a routine that returns with `ret` the two ways
 * differ; for one that pops the address and jumps they do not.
 *
 * bare.c includes it for the stage's own ctx_swap, peers.c for
 * peer_swap, each after defining SWAP as the routine:
 *
 *     void SWAP(void **save_sp, void *load_sp);
 */
#ifndef SWAP
#error "define SWAP, the switch routine, before including swap_pair.h"
#endif

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"

/*
 * A fresh stack that looks as if a context had stopped in SWAP, so
 * that the first switch to it "returns" into entry.  The frame is the
 * one documented at the top of the stages' switch_x86_64.S and
 * switch_aarch64.S (peer_swap saves the same): this is the only place
 * in the bench that knows it.
 */
static void *fresh_for_swap(char *top, void (*entry)(void))
{
#if defined(__x86_64__)
    /* mxcsr, x87 control, r15 .. rbx, rbp, return address: 8 words, and
     * one more so that entry starts as if called (rsp = 8 mod 16) */
    uint64_t *f = (uint64_t *)(top - 9 * 8);
    memset(f, 0, 9 * 8);
    f[0] = 0x1f80 | (uint64_t)0x037f << 32;     /* the ABI's defaults */
    f[7] = (uint64_t)(uintptr_t)entry;          /* sp + 56 */
#elif defined(__aarch64__)
    /* x19 .. x28, x29 (0: the end of the frame chain), x30, d8 .. d15,
     * fpcr (0: the default) and a spare word: 22 words, 176 bytes */
    uint64_t *f = (uint64_t *)(top - 22 * 8);
    memset(f, 0, 22 * 8);
    f[11] = (uint64_t)(uintptr_t)entry;         /* sp + 88: x30 */
#else
#error "the kit's switch is written for x86-64 and aarch64 only"
#endif
    return f;
}

static void *main_sp, *partner_sp;

/* One call for both contexts: each carries on where the other left. */
__attribute__((noinline))
static void swap_loop(void **mine, void **theirs, long iters)
{
    for (long i = 0; i < iters; i++)
        SWAP(mine, *theirs);
}

static void partner_one_call(void)
{
    same_fp_control();
    swap_loop(&partner_sp, &main_sp, LONG_MAX);
}

static void batch_one_call(long iters, void *arg)
{
    (void)arg;
    swap_loop(&main_sp, &partner_sp, iters);
}

/* A call each: the other context never carries on after ours. */
static void partner_two_calls(void)
{
    same_fp_control();
    for (;;)
        SWAP(&partner_sp, main_sp);
}

static void batch_two_calls(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        SWAP(&main_sp, partner_sp);
}

/* ns per hand-over, with a partner on the stack below top, switching
 * from one call with ours, or each from its own. */
static void measure_swaps(const struct plan *plan, char *top, bool two_calls)
{
    partner_sp = fresh_for_swap(top, two_calls ? partner_two_calls
                                               : partner_one_call);
    measure(plan, two_calls ? batch_two_calls : batch_one_call, NULL, 2);
}
