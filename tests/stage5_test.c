/*
 * stage5_test.c - stage 5 (05-channels): the coroutine API every stage
 * offers, what a switch must keep (switch_test.c), the scheduler's
 * suites as in stage 4 (sched_test.c), and the channels' (chan_test.c).
 */
#include "cu.h"
#include "switch_test.h"

void coro_api_suite(void);
void scheduler_suites(void);
void channel_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, switch_suite,
                                         scheduler_suites, channel_suites,
                                         NULL};
    return cu_main(suites);
}
