/*
 * switch_test.c - what every switch of stages 2 to 5 must keep, tested
 * through coro_yield: the callee-saved registers, the floating-point
 * control state, and the stack's alignment at a new coroutine's entry.
 * regs_x86_64.S and regs_aarch64.S set the registers and check them.
 */
#include <stdint.h>
#include <string.h>

#include "coro.h"
#include "ctx.h"
#include "cu.h"
#include "regs.h"
#include "switch_test.h"
#include "trace.h"

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
 * so does glibc's swapcontext; setjmp does not, so stage 2's copy and
 * sigstack modes share one between all coroutines. */
static void fp_control_survives(void)
{
    if (strcmp(ctx_mode, "copy") == 0 || strcmp(ctx_mode, "sigstack") == 0)
        return;
    lost[0] = lost[1] = ~0ul;
    coro_spawn(keep_fp_control, (void *)0);
    coro_spawn(keep_fp_control, (void *)1);
    coro_run();
    CU_ASSERT_EQUAL(lost[0], 0);
    CU_ASSERT_EQUAL(lost[1], 0);
}

static uintptr_t frame_at_entry, aligned_at_entry;

KEEP_FRAME void note_alignment(void *arg)
{
    _Alignas(16) volatile char vector[16];
    (void)arg;
    vector[0] = 1;
    frame_at_entry = (uintptr_t)__builtin_frame_address(0);
    aligned_at_entry = (uintptr_t)vector;
}

bool noted_aligned(void)
{
    bool aligned = frame_at_entry % 16 == 0 && aligned_at_entry % 16 == 0;
    frame_at_entry = aligned_at_entry = 1;
    return aligned;
}

static void a_new_coroutine_starts_aligned(void)
{
    frame_at_entry = aligned_at_entry = 1;
    coro_spawn(note_alignment, NULL);
    coro_run();
    CU_ASSERT(noted_aligned());
}

static const CU_TestInfo switch_tests[] = {
    {"callee-saved registers survive", callee_saved_registers_survive},
    {"floating-point control survives", fp_control_survives},
    {"a new coroutine starts aligned", a_new_coroutine_starts_aligned},
    CU_TEST_INFO_NULL,
};

void switch_suite(void)
{
    cu_add("a switch keeps what it must", switch_tests);
}
