/*
 * bare.c - a stage's hand-written switch alone: the stage's own
 * switch_<arch>.S, assembled into this program (bench/Makefile), and
 * two contexts handing the CPU to each other with nothing but ctx_swap.
 *
 *     bare swap               ns per hand-over, both contexts switching
 *                             from one call, as in the kit (all of its
 *                             switches are made by the call in ctx_switch)
 *     bare swap-two-calls     the same, each from a call of its own
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define STACK_SIZE (64 * 1024)

void ctx_swap(void **save_sp, void *load_sp);   /* the stage's .S */

/*
 * A fresh stack that looks as if a context had stopped in ctx_swap, so
 * that the first switch to it "returns" into entry.  The frame is the
 * one documented at the top of switch_x86_64.S and switch_aarch64.S:
 * this is the only place here that knows it.
 */
static void *fresh_for_ctx_swap(char *top, void (*entry)(void))
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
        ctx_swap(mine, *theirs);
}

static void partner(void)
{
    same_fp_control();
    swap_loop(&partner_sp, &main_sp, LONG_MAX);
}

static void swap_batch(long iters, void *arg)
{
    (void)arg;
    swap_loop(&main_sp, &partner_sp, iters);
}

/* A call each: the other context never carries on after ours. */
static void partner_two_calls(void)
{
    same_fp_control();
    for (;;)
        ctx_swap(&partner_sp, main_sp);
}

static void swap_batch_two_calls(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        ctx_swap(&main_sp, partner_sp);
}

int main(int argc, char **argv)
{
    struct plan plan;
    int i = plan_parse(&plan, argc, argv);
    bool two_calls = strcmp(argv[i], "swap-two-calls") == 0;
    if (!two_calls && strcmp(argv[i], "swap") != 0) {
        fprintf(stderr, "bare: no such measurement: %s\n", argv[i]);
        return 2;
    }
    char *stack = aligned_alloc(64, STACK_SIZE);
    if (stack == NULL)
        skip("no memory for a stack");
    partner_sp = fresh_for_ctx_swap(stack + STACK_SIZE, two_calls ?
                                    partner_two_calls : partner);
    measure(&plan, two_calls ? swap_batch_two_calls : swap_batch, NULL, 2);
    return 0;
}
