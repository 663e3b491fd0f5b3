/*
 * switch.c - what every switch of stages 2 to 5 must keep, tested
 * through coro_yield: the callee-saved registers, the floating-point
 * control state, and the stack's alignment at a new coroutine's entry.
 * lib/regs_x86_64.S and lib/regs_aarch64.S set the registers and check
 * them.  (generator_stacks.c asks the same of gen_next and gen_yield.)
 */
#include <stdint.h>

#include "coro.h"
#include "cu.h"
#include "kit.h"
#include "regs.h"

static unsigned long lost[2];   /* registers each coroutine found changed */

static void yield_now(void *arg)
{
    (void)arg;
    coro_yield();
}

static void keep_registers(void *arg)
{
    int i = (int)(intptr_t)arg;
    lost[i] = regs_keep(i ? 0x5a5a5a5a00000000ul : 0x1234567800000000ul,
                        yield_now, NULL);
}

static void callee_saved_registers_survive(void)
{
    lost[0] = lost[1] = ~0ul;
    coro_spawn(keep_registers, (void *)0);
    coro_spawn(keep_registers, (void *)1);
    coro_run();
    CU_ASSERT_EQUAL(lost[0], 0);
    CU_ASSERT_EQUAL(lost[1], 0);
}

static void keep_fp_control(void *arg)
{
    int i = (int)(intptr_t)arg;
    lost[i] = fpctl_keep(i ? 3 : 1, yield_now, NULL);
}

/* The hand-written switch keeps the floating-point control state, and
 * so does glibc's swapcontext; setjmp does not, so copy and sigstack
 * share one between all contexts (and the test does not apply). */
static void fp_control_survives(void)
{
    lost[0] = lost[1] = ~0ul;
    coro_spawn(keep_fp_control, (void *)0);
    coro_spawn(keep_fp_control, (void *)1);
    coro_run();
    CU_ASSERT_EQUAL(lost[0], 0);
    CU_ASSERT_EQUAL(lost[1], 0);
}

static void a_new_coroutine_starts_aligned(void)
{
    noted_aligned();
    coro_spawn(note_alignment, NULL);
    coro_run();
    CU_ASSERT(noted_aligned());
}

static const struct cu_test tests[] = {
    {"callee-saved registers survive", callee_saved_registers_survive,
     NULL},
    {"floating-point control survives", fp_control_survives,
     needs_fp_control_kept},
    {"a new coroutine starts aligned", a_new_coroutine_starts_aligned,
     NULL},
    CU_TESTS_END,
};

void switch_suites(void)
{
    cu_suite("a switch keeps what it must", tests, NULL);
}
