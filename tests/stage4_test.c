/*
 * stage4_test.c - stage 4 (04-scheduler): the coroutine API every stage
 * offers, what a switch must keep (switch_test.c), and the scheduler's
 * suites (sched_test.c).
 */
#include "cu.h"
#include "switch_test.h"

void coro_api_suite(void);
void scheduler_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, switch_suite,
                                         scheduler_suites, NULL};
    return cu_main(suites);
}
