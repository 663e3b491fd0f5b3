/*
 * main.c - the one test program, built once per stage and switch.  The
 * suites it runs are the ones tests/Makefile's table names for the
 * stage, passed in as KIT_SUITES: SUITE(api) SUITE(frames) ...; each
 * is suites/<name>.c, offering <name>_suites().
 *
 *   $B/tests/04-scheduler-asm              every suite
 *   $B/tests/04-scheduler-asm stacks gen   only the suites whose names
 *                                          contain "stacks" or "gen"
 */
#include <stdio.h>

#include "cu.h"
#include "kit.h"

#define SUITE(name) void name##_suites(void);
KIT_SUITES
#undef SUITE

#define SUITE(name) name##_suites,
static const cu_suite_fn suites[] = {KIT_SUITES NULL};
#undef SUITE

int main(int argc, char **argv)
{
    printf("%s\n", kit_name());
    kit_begin();
    return cu_main(suites, argc, argv);
}
