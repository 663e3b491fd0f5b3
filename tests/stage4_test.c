/*
 * stage4_test.c - stage 4 (04-scheduler): the coroutine API every stage
 * offers, what a switch must keep (switch_test.c), the scheduler's
 * suites (sched_test.c), and issue 9's defects (sched_defects_test.c;
 * open_defects_test.c: those in code not fixed yet).
 */
#include "cu.h"
#include "switch_test.h"

void coro_api_suite(void);
void scheduler_suites(void);
void sched_defect_suites(void);
void open_defect_suites(void);

int main(void)
{
    static const cu_suite_fn suites[] = {coro_api_suite, switch_suite,
                                         scheduler_suites,
                                         sched_defect_suites,
                                         open_defect_suites, NULL};
    return cu_main(suites);
}
