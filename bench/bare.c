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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define STACK_SIZE (64 * 1024)

void ctx_swap(void **save_sp, void *load_sp);   /* the stage's .S */

#define SWAP ctx_swap
#include "swap_pair.h"

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
    measure_swaps(&plan, stack + STACK_SIZE, two_calls);
    return 0;
}
