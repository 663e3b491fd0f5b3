/*
 * stage3_test.c - stage 3 (03-ucontext): the coroutine API on
 * getcontext/makecontext/swapcontext.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "coro_impl.h"
#include "cu.h"

void coro_api_suite(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, NULL};
    return cu_main(suites);
}
