/*
 * stage5_test.c - stage 5 (05-channels): the coroutine API every stage
 * offers, the scheduler's suites as in stage 4 (sched_test.c), and the
 * channels' (chan_test.c).
 */
#include "cu.h"

void coro_api_suite(void);
void scheduler_suites(void);
void channel_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, scheduler_suites,
                                         channel_suites, NULL};
    return cu_main(suites);
}
