/*
 * switch_cost.c - what a switch costs in system calls, counted for
 * real (lib/syscount.c): swapcontext makes one (rt_sigprocmask) at
 * every switch, because every ucontext has a signal mask of its own;
 * the hand-written switch makes none.  Switched by generators, which
 * go straight from consumer to generator and back.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "cu.h"
#include "gen.h"
#include "kit.h"
#include "syscount.h"

#define ROUNDS 100

static void forever(void *arg)
{
    (void)arg;
    for (long n = 0;; n++)
        gen_yield(n);
}

static void take_rounds(void *g)
{
    for (int i = 0; i < ROUNDS; i++)
        gen_next(g, NULL);
}

static void no_call(void *arg)
{
    (void)arg;
    for (volatile int i = 0; i < ROUNDS; i++)
        ;
}

static void two_calls(void *arg)
{
    sigset_t now;
    (void)arg;
    sigprocmask(SIG_BLOCK, NULL, &now);
    sigprocmask(SIG_BLOCK, NULL, &now);
}

static void the_counter_tells_calls_apart(void)
{
    CU_ASSERT_EQUAL(syscalls_made(SYS_rt_sigprocmask, no_call, NULL), 0);
    CU_ASSERT_EQUAL(syscalls_made(SYS_rt_sigprocmask, two_calls, NULL), 2);
}

/* ucontext: one a switch; asm: none.  A round is two switches. */
static void system_calls_per_switch(void)
{
    long per_switch = strcmp(KIT_SWITCH, "ucontext") == 0 ? 1 : 0;
    gen *g = cu_made(gen_new(forever, NULL, "forever"));
    gen_next(g, NULL);                  /* started: all its calls made */
    long calls = syscalls_made(SYS_rt_sigprocmask, take_rounds, g);
    CU_ASSERT_EQUAL(calls, 2 * ROUNDS * per_switch);
    gen_free(g);
}

static const char *countable_switch(void)
{
    const char *why = needs_syscall_counting();
    if (why != NULL)
        return why;
    if (strcmp(KIT_SWITCH, "asm") == 0 ||
        strcmp(KIT_SWITCH, "ucontext") == 0)
        return NULL;
    if (needs_generators() != NULL)
        return needs_generators();
    return "SWITCH=sigstack: whether setjmp and longjmp touch the signal "
           "mask is the C library's choice";
}

/* Block SIGUSR1 in here, and see whether it stays blocked. */
static void mask_of_its_own(void *arg)
{
    int *blocked_here = arg;
    sigset_t usr1, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    gen_yield(0);
    sigprocmask(SIG_BLOCK, NULL, &now);
    *blocked_here = sigismember(&now, SIGUSR1);
}

static int usr1_blocked(void)
{
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGUSR1);
}

/* Why the system call is there: every context has its own signal mask,
 * and swapcontext puts the one it switches to in place. */
static void each_context_has_its_own_signal_mask(void)
{
    int blocked_in_gen = -1;
    CU_ASSERT_EQUAL(usr1_blocked(), 0);
    gen *g = cu_made(gen_new(mask_of_its_own, &blocked_in_gen, "masked"));
    CU_ASSERT(gen_next(g, NULL));
    CU_ASSERT_EQUAL(usr1_blocked(), 0);         /* main's mask again */
    CU_ASSERT_FALSE(gen_next(g, NULL));
    CU_ASSERT_EQUAL(blocked_in_gen, 1);         /* and the generator's */
    CU_ASSERT_EQUAL(usr1_blocked(), 0);
    gen_free(g);
}

static const struct cu_test tests[] = {
    {"the counter tells calls apart", the_counter_tells_calls_apart,
     needs_syscall_counting},
    {"system calls per switch", system_calls_per_switch, countable_switch},
    {"each context has its own signal mask",
     each_context_has_its_own_signal_mask, needs_ucontext},
    CU_TESTS_END,
};

void switch_cost_suites(void)
{
    cu_suite("what a switch costs", tests, NULL);
}
