/*
 * peers.c - what a programmer would use instead of the kit, measured
 * the way the kit is:
 *
 *     peers call              a plain function call: the unit
 *     peers clock             clock_gettime(CLOCK_MONOTONIC), which a run
 *                             loop may read on every pass
 *     peers popjmp            peer_swap_<arch>.S: ctx_swap's registers,
 *                             left by a jump instead of `ret`
 *     peers popjmp-two-calls  the same, each context switching from a
 *                             call of its own (popjmp: both from one, as
 *                             every switch in the kit is made)
 *     peers setjmp            _setjmp/_longjmp between two stacks
 *     peers ucontext          swapcontext
 *     peers fcontext          Boost.Context's jump_fcontext (and
 *     peers fcontext-two-calls  the same two ways)
 *     peers spawn-ucontext N  N contexts made, run to their end, freed
 *     peers spawn-fcontext N  the same with make_fcontext
 *
 * ns per hand-over of the CPU (per call; per context for spawn-*).
 * Stacks come from malloc, as Boost's default fixedsize_stack does:
 * no guard page, so no system call.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "harness.h"

#define STACK_SIZE (64 * 1024)

static char *new_stack(void)
{
    char *s = aligned_alloc(64, STACK_SIZE);
    if (s == NULL)
        skip("no memory for a stack");
    return s;
}

/* ---- a plain call ---------------------------------------------- */

__attribute__((noinline)) static void nothing(void)
{
    __asm__ volatile("");
}

static void (*volatile callee)(void) = nothing;

static void call_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        callee();
}

static void clock_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        now_ns();
}

/* ---- peer_swap, and _setjmp/_longjmp started by it ----------------- */

void peer_swap(void **save_sp, void *load_sp);  /* peer_swap_<arch>.S */

#define SWAP peer_swap
#include "swap_pair.h"

static jmp_buf main_jb, partner_jb;

/* Started by peer_swap once, to be on a stack of its own; from then on
 * only _setjmp/_longjmp (no signal mask saved) move between the two. */
static void jmp_partner(void)
{
    same_fp_control();
    if (_setjmp(partner_jb) == 0)
        peer_swap(&partner_sp, main_sp);
    for (;;)
        if (_setjmp(partner_jb) == 0)
            _longjmp(main_jb, 1);
}

/* A function of its own: the loop's counter must not live in a frame
 * that _setjmp saves and _longjmp comes back to. */
__attribute__((noinline)) static void jmp_there_and_back(void)
{
    if (_setjmp(main_jb) == 0)
        _longjmp(partner_jb, 1);
}

static void jmp_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        jmp_there_and_back();
}

/* ---- swapcontext ----------------------------------------------- */

static ucontext_t main_uc, partner_uc;

static void uc_partner(void)
{
    same_fp_control();
    for (;;)
        swapcontext(&partner_uc, &main_uc);
}

static void uc_batch(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        swapcontext(&main_uc, &partner_uc);
}

static void make_uc(ucontext_t *uc, char *stack, void (*fn)(void))
{
    getcontext(uc);
    uc->uc_stack.ss_sp = stack;
    uc->uc_stack.ss_size = STACK_SIZE;
    uc->uc_link = &main_uc;
    makecontext(uc, fn, 0);
}

static void uc_empty(void) { }

static void uc_spawn_batch(long iters, void *arg)
{
    long n = *(long *)arg;
    ucontext_t *uc = malloc((size_t)n * sizeof *uc);
    char **stack = malloc((size_t)n * sizeof *stack);
    for (long i = 0; i < iters; i++) {
        for (long k = 0; k < n; k++) {
            stack[k] = new_stack();
            make_uc(&uc[k], stack[k], uc_empty);
        }
        for (long k = 0; k < n; k++) {
            swapcontext(&main_uc, &uc[k]);
            free(stack[k]);
        }
    }
    free(stack);
    free(uc);
}

/* ---- Boost.Context --------------------------------------------- */

#ifdef HAVE_FCONTEXT
#include "fcontext.h"

static fcontext_t partner_fc;

/* One call for both contexts, as swap_loop above. */
__attribute__((noinline))
static fcontext_t fc_loop(fcontext_t other, long iters)
{
    for (long i = 0; i < iters; i++)
        other = jump_fcontext(other, NULL).fctx;
    return other;
}

static void fc_partner(transfer_t t)
{
    same_fp_control();
    fc_loop(t.fctx, LONG_MAX);
}

static void fc_batch(long iters, void *arg)
{
    (void)arg;
    partner_fc = fc_loop(partner_fc, iters);
}

static void fc_partner_two_calls(transfer_t t)
{
    same_fp_control();
    for (;;)
        t = jump_fcontext(t.fctx, NULL);
}

static void fc_batch_two_calls(long iters, void *arg)
{
    (void)arg;
    for (long i = 0; i < iters; i++)
        partner_fc = jump_fcontext(partner_fc, NULL).fctx;
}

static void fc_empty(transfer_t t)
{
    jump_fcontext(t.fctx, NULL);        /* back for good: never resumed */
}

static void fc_spawn_batch(long iters, void *arg)
{
    long n = *(long *)arg;
    fcontext_t *fc = malloc((size_t)n * sizeof *fc);
    char **stack = malloc((size_t)n * sizeof *stack);
    for (long i = 0; i < iters; i++) {
        for (long k = 0; k < n; k++) {
            stack[k] = new_stack();
            fc[k] = make_fcontext(stack[k] + STACK_SIZE, STACK_SIZE,
                                  fc_empty);
        }
        for (long k = 0; k < n; k++) {
            jump_fcontext(fc[k], NULL);
            free(stack[k]);
        }
    }
    free(stack);
    free(fc);
}
#endif

int main(int argc, char **argv)
{
    struct plan plan;
    int i = plan_parse(&plan, argc, argv);
    const char *what = argv[i];
    same_fp_control();
    if (strcmp(what, "call") == 0) {
        measure(&plan, call_batch, NULL, 1);
    } else if (strcmp(what, "clock") == 0) {
        measure(&plan, clock_batch, NULL, 1);
    } else if (strcmp(what, "popjmp") == 0 ||
               strcmp(what, "popjmp-two-calls") == 0) {
        measure_swaps(&plan, new_stack() + STACK_SIZE,
                      strcmp(what, "popjmp-two-calls") == 0);
    } else if (strcmp(what, "setjmp") == 0) {
        partner_sp = fresh_for_swap(new_stack() + STACK_SIZE, jmp_partner);
        peer_swap(&main_sp, partner_sp);    /* it sets partner_jb, back */
        measure(&plan, jmp_batch, NULL, 2);
    } else if (strcmp(what, "ucontext") == 0) {
        make_uc(&partner_uc, new_stack(), uc_partner);
        measure(&plan, uc_batch, NULL, 2);
    } else if (strcmp(what, "spawn-ucontext") == 0) {
        long n = number_arg(argc, argv, i + 1, "how many at once");
        measure(&plan, uc_spawn_batch, &n, n);
    } else if (strcmp(what, "fcontext") == 0 ||
               strcmp(what, "fcontext-two-calls") == 0 ||
               strcmp(what, "spawn-fcontext") == 0) {
#ifdef HAVE_FCONTEXT
        bool two_calls = strcmp(what, "fcontext-two-calls") == 0;
        if (two_calls || strcmp(what, "fcontext") == 0) {
            char *stack = new_stack();
            partner_fc = make_fcontext(stack + STACK_SIZE, STACK_SIZE,
                                       two_calls ? fc_partner_two_calls
                                                 : fc_partner);
            partner_fc = jump_fcontext(partner_fc, NULL).fctx;
            measure(&plan, two_calls ? fc_batch_two_calls : fc_batch,
                    NULL, 2);
        } else {
            long n = number_arg(argc, argv, i + 1, "how many at once");
            measure(&plan, fc_spawn_batch, &n, n);
        }
#else
        skip("no Boost.Context (libboost-context-dev)");
#endif
    } else {
        fprintf(stderr, "peers: no such measurement: %s\n", what);
        return 2;
    }
    return 0;
}
