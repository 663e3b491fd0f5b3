/*
 * stage5_test.c - stage 5 (05-channels): the coroutine API every stage
 * offers, what a switch must keep (switch_test.c), the scheduler's
 * suites as in stage 4 (sched_test.c), the channels' (chan_test.c), and
 * issue 9's defects (sched_defects_test.c, chan_defects_test.c;
 * open_defects_test.c: those in code not fixed yet).
 */
#include "cu.h"
#include "switch_test.h"

void coro_api_suite(void);
void scheduler_suites(void);
void channel_suites(void);
void sched_defect_suites(void);
void chan_defect_suites(void);
void open_defect_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, switch_suite,
                                         scheduler_suites, channel_suites,
                                         sched_defect_suites,
                                         chan_defect_suites,
                                         open_defect_suites, NULL};
    return cu_main(suites);
}
