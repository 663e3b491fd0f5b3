/*
 * stacks_test.c - stacks of their own, as stages 2 and 3 give them:
 * their size can be chosen, finished ones go back to the kernel, and a
 * coroutine that runs off the end of one is stopped with a message.
 * (Copy mode's one shared stack is stage 2's own business.)
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "coro_impl.h"
#include "cu.h"
#include "stacks_test.h"
#include "trace.h"

static bool one_shared_stack(void)
{
    return strcmp(ctx_mode, "copy") == 0;
}

static size_t stack_seen;       /* the last measure_stack() saw */

KEEP_FRAME static void measure_stack(void *arg)
{
    (void)arg;
    for (int i = 0; i < CORO_MAX; i++) {
        const struct coro *c = coro_slot(i);
        if (c->id == coro_self())
            stack_seen = (size_t)(c->ctx.stack.hi - c->ctx.stack.lo);
    }
}

static void the_stack_size_can_be_chosen(void)
{
    if (one_shared_stack())
        return;
    coro_stack_size(32 * 1024);
    coro_spawn(measure_stack, NULL);
    coro_run();
    CU_ASSERT_EQUAL(stack_seen, 32 * 1024);
    coro_stack_size(1000);          /* too small: the minimum instead */
    coro_spawn(measure_stack, NULL);
    coro_run();
    CU_ASSERT_EQUAL(stack_seen, 16 * 1024);
    coro_stack_size(CORO_STACK_SIZE);
}

static void yield_twice(void *arg)
{
    (void)arg;
    coro_yield();
    coro_yield();
}

static void finished_stacks_are_given_back(void)
{
    for (int i = 0; i < CORO_MAX; i++)     /* warm up: stdio, the tracer */
        coro_spawn(yield_twice, NULL);
    coro_run();
    long before = cu_mappings();
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < CORO_MAX; i++)
            coro_spawn(yield_twice, NULL);
        coro_run();
    }
    CU_ASSERT_EQUAL(cu_mappings(), before);
}

void dig_deep(void *arg)
{
    cu_dig((int)(intptr_t)arg);
}

bool overflow_reported(void (*fn)(void *), const char *says)
{
    char err[512];
    int status = cu_in_child(fn, NULL, err, sizeof err);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV &&
           strstr(err, says) != NULL && strstr(err, "not stopped") == NULL;
}

static void overflow_small_stack(void *arg)
{
    (void)arg;
    coro_stack_size(16 * 1024);
    coro_spawn(dig_deep, (void *)(intptr_t)64);
    coro_run();
    fprintf(stderr, "not stopped\n");
}

static void running_off_a_stack_is_caught(void)
{
    if (one_shared_stack())
        return;
    CU_ASSERT(overflow_reported(overflow_small_stack, " overflowed its 16 "
              "KiB stack into the guard page; give it more with "
              "coro_stack_size()"));
}

static void a_deep_call_that_fits_runs(void)
{
    coro_spawn(dig_deep, (void *)(intptr_t)(CORO_STACK_SIZE / 1024 / 2));
    CU_ASSERT_EQUAL(coro_run(), 0);
}

static const CU_TestInfo stacks_tests[] = {
    {"the stack size can be chosen", the_stack_size_can_be_chosen},
    {"finished stacks are given back", finished_stacks_are_given_back},
    {"running off a stack is caught", running_off_a_stack_is_caught},
    {"a deep call that fits runs", a_deep_call_that_fits_runs},
    CU_TEST_INFO_NULL,
};

void stacks_suite(void)
{
    cu_add("stacks of their own", stacks_tests);
}
